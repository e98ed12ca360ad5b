"""Public pages: the service charter and tracking (no login, rate-limited, no personal data)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from tests.conftest import apply_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_maklumat_lists_every_service_with_requirements_and_estimate(client):
    with time_machine.travel(dt.datetime(2026, 12, 22, 9, tzinfo=ZoneInfo("Asia/Jakarta")), tick=False):
        response = client.get(reverse("cases:maklumat"))
    assert response.status_code == 200
    rows = {r["service"].code: r for r in response.context["rows"]}
    assert len(rows) == 14
    assert rows["kartu-saraswati"]["estimate"] == dt.date(2027, 1, 6)
    assert rows["kursi-roda"]["estimate"] is None
    html = response.content.decode()
    assert "Surat pengantar kepala desa/lurah diketahui camat" in html and "06/01/2027" in html


def test_citizen_tracks_with_number_and_pin_and_sees_only_the_first_name(client, petugas, keden_household):
    application, pin = apply_for(petugas, keden_household)
    response = client.post(reverse("cases:track"), {"number": application.number.lower(), "pin": pin})
    html = response.content.decode()
    assert response.context["result"]["first_name"] == "Sutrisno"
    assert "Wibowo" not in html and keden_household.head.nik not in html and petugas.username not in html


def test_wrong_pin_and_unknown_number_give_the_same_answer(client, petugas, keden_household):
    application, pin = apply_for(petugas, keden_household)
    wrong_pin = "000000" if pin != "000000" else "111111"
    wrong = client.post(reverse("cases:track"), {"number": application.number, "pin": wrong_pin})
    unknown = client.post(reverse("cases:track"), {"number": "UPK0000-000000", "pin": pin})
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["failed"] and unknown.context["failed"]
    strip = lambda r: r.content.decode().split('name="csrfmiddlewaretoken"')[0]  # noqa: E731
    assert strip(wrong) == strip(unknown)


def test_tracking_is_rate_limited(client, settings):
    settings.SATUPINTU_TRACK_LIMIT = 3
    codes = [client.post(reverse("cases:track"), {"number": "X", "pin": "1"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
