"""The public charter and the services API are built once per catalogue version, and an admin's edit
shows on both at once."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from satupintu.catalogue.models import LocalHoliday, ServiceType
from tests.catalogue.test_superseded import service_form_data

pytestmark = pytest.mark.django_db


def catalogue_queries(client, path) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in queries if "catalogue_" in q["sql"]]


@pytest.mark.parametrize("path", ["/layanan/", "/api/v1/services"])
def test_the_catalogue_is_read_from_the_database_once_then_from_the_cache(client, path):
    assert catalogue_queries(client, path)
    assert catalogue_queries(client, path) == []


def test_an_admin_renaming_a_service_shows_on_the_charter_and_the_api_at_once(client, admin_user):
    saraswati = ServiceType.objects.get(code="kartu-saraswati")
    assert "Kartu Saraswati" in client.get("/layanan/").content.decode()
    client.get("/api/v1/services")
    client.force_login(admin_user)
    url = f"/admin/catalogue/servicetype/{saraswati.pk}/change/"
    data = service_form_data(client.get(url))
    data["name"] = "Kartu Saraswati (Jamkesda)"
    assert client.post(url, data).status_code == 302
    client.logout()
    assert "Kartu Saraswati (Jamkesda)" in client.get("/layanan/").content.decode()
    names = {s["code"]: s["name"] for s in client.get("/api/v1/services").json()}
    assert names["kartu-saraswati"] == "Kartu Saraswati (Jamkesda)"


def test_a_local_holiday_added_in_the_admin_moves_the_charters_estimates(client, admin_user):
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        before = client.get("/layanan/").content.decode()
        client.force_login(admin_user)
        added = client.post("/admin/catalogue/localholiday/add/", {"date": "2026-12-02", "name": "Hari jadi (uji)"})
        assert added.status_code == 302 and LocalHoliday.objects.filter(date="2026-12-02").exists()
        client.logout()
        after = client.get("/layanan/").content.decode()
    assert before != after


def test_the_charter_of_one_day_is_not_shown_the_next(client):
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        assert "01/12/2026" in client.get("/layanan/").content.decode()
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        assert "02/12/2026" in client.get("/layanan/").content.decode()
