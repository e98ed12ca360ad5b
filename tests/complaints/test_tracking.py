"""Tracking by number and PIN: the same answer for an unknown number and a wrong PIN; rate-limited."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from .conftest import submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def test_the_right_pin_shows_the_status_and_the_response(client, regions, kasi):
    from satupintu.complaints.actions import complaint_step

    complaint, pin = submit()
    complaint_step(actor=kasi, complaint=complaint, name="respond", data={"reason": "Berkas Anda sudah diproses."})
    page = client.post("/pengaduan/lacak/", {"number": complaint.number, "pin": pin}).content.decode()
    assert "Berkas Anda sudah diproses." in page and 'id="tracked"' in page


def test_unknown_number_and_wrong_pin_read_the_same(client, regions):
    complaint, _pin = submit()
    wrong = client.post("/pengaduan/lacak/", {"number": complaint.number, "pin": "99999999"})
    unknown = client.post("/pengaduan/lacak/", {"number": "ADU0000-000000", "pin": "99999999"})
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert response.context["complaint"] is None and response.context["failed"] is True
        assert "Nomor atau PIN tidak cocok." in response.content.decode()
    assert 'id="tracked"' not in wrong.content.decode()


@override_settings(SATUPINTU_TRACK_LIMIT=3)
def test_tracking_is_rate_limited_per_client(client, regions):
    complaint, pin = submit()
    for _ in range(3):
        assert client.post("/pengaduan/lacak/", {"number": complaint.number, "pin": "0"}).status_code == 200
    blocked = client.post("/pengaduan/lacak/", {"number": complaint.number, "pin": pin})
    assert blocked.status_code == 429
    assert 'id="tracked"' not in blocked.content.decode()
