import base64
import re

import pytest
from django_otp.oath import TOTP

from satupintu.accounts.models import Role, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_kepala_enrols_an_authenticator_at_first_login_and_reaches_home(page, regions, settings):
    settings.TWO_FACTOR_REQUIRED = True
    User.objects.create_user(username="kepala", password="Rahasia-123!", role=Role.KEPALA, first_name="Sri")

    page.goto("/masuk/")
    page.fill("#id_username", "kepala")
    page.fill("#id_password", "Rahasia-123!")
    page.click("button[type=submit]")
    page.wait_for_url("**/akun/dua-langkah/daftar/")

    # The QR code is an image served by the site itself (the CSP allows no other source).
    qr = page.locator("img[src$='qr.svg']")
    qr.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", qr.element_handle())

    # What an authenticator app does with the secret shown beside the QR code.
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    code = TOTP(base64.b32decode(secret)).token()
    page.fill("#id_code", f"{code:06d}")
    page.click("button[type=submit]")
    page.wait_for_url("**/akun/dua-langkah/kode-pemulihan/")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)

    page.get_by_role("link", name="lanjutkan").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.locator("a", has_text="Permohonan").first.is_visible()
    # Back to the codes page: they were shown once.
    page.goto("/akun/dua-langkah/kode-pemulihan/")
    assert page.locator("#recovery-codes").count() == 0
