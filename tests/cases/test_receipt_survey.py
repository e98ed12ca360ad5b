"""The tanda terima invites the citizen to the SKM survey (link and QR of /survei/)."""

import base64
import io
import re

import zxingcpp
from django.urls import reverse
from PIL import Image

from tests.conftest import apply_for


def test_the_receipt_carries_the_survey_link_and_a_qr_that_scans_to_it(client, petugas, keden_household):
    application, _pin = apply_for(petugas, keden_household)
    client.force_login(petugas)
    body = client.get(reverse("cases:receipt", args=[application.number])).content.decode()
    survey_url = "http://testserver" + reverse("survey:entry")
    assert survey_url in body
    png = re.search(r'id="survey-invite"><img src="data:image/png;base64,([^"]+)"', body).group(1)
    image = Image.open(io.BytesIO(base64.b64decode(png))).convert("L")
    image = image.resize((image.width * 4, image.height * 4), Image.NEAREST)
    [decoded] = zxingcpp.read_barcodes(image)
    assert decoded.text == survey_url
