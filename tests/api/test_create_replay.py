"""Every create of the registry API requires an Idempotency-Key: the same request sent again (a
client retrying after a lost answer) gets the first answer back instead of a second record."""

from uuid import uuid4

import pytest
from django.db import connection
from rest_framework.test import APIClient

from satupintu.registry.models import Household, Person
from tests.api.test_households_api import CHILD, api_for
from tests.conftest import KEDEN
from tests.threads import at_once

postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions")
HOUSEHOLD = {"kk_number": "3314010403190007", "address": "Dukuh Krajan", "rt": "1", "rw": "2", "desa": KEDEN}


def test_a_household_sent_twice_with_one_key_is_created_once(operator_keden):
    client, key = api_for(operator_keden), str(uuid4())
    first = client.post("/api/v1/households/", HOUSEHOLD, format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = client.post("/api/v1/households/", HOUSEHOLD, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Household.objects.count() == 1


def test_a_person_without_nik_sent_twice_with_one_key_is_added_once(operator_keden, keden_household):
    client, key = api_for(operator_keden), str(uuid4())
    body = {**CHILD, "household": keden_household.pk, "nik": ""}
    for _ in range(2):
        client.post("/api/v1/people/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert Person.objects.filter(name=CHILD["name"]).count() == 1


@pytest.mark.parametrize("path", ["/api/v1/households/", "/api/v1/people/"])
def test_a_create_without_a_key_is_refused_with_400(operator_keden, path):
    response = api_for(operator_keden).post(path, HOUSEHOLD, format="json")
    assert response.status_code == 400
    assert "Wajib diisi" in response.json()["Idempotency-Key"][0]
    assert not Household.objects.exists()


def test_a_refused_create_keeps_its_key_free_for_the_corrected_request(operator_keden):
    client, key = api_for(operator_keden), str(uuid4())
    wrong = client.post("/api/v1/households/", {**HOUSEHOLD, "rt": ""}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    right = client.post("/api/v1/households/", HOUSEHOLD, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert (wrong.status_code, right.status_code) == (400, 201)


def test_a_key_used_for_another_kind_of_record_is_refused(operator_keden, keden_household):
    client, key = api_for(operator_keden), str(uuid4())
    client.post("/api/v1/households/", HOUSEHOLD, format="json", HTTP_IDEMPOTENCY_KEY=key)
    body = {**CHILD, "household": keden_household.pk}
    response = client.post("/api/v1/people/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400 and not Person.objects.filter(nik=CHILD["nik"]).exists()


@postgresql
@pytest.mark.django_db(transaction=True)
def test_the_same_person_sent_four_times_at_once_is_added_once(operator_keden, keden_household):
    body, key, statuses = {**CHILD, "household": keden_household.pk, "nik": ""}, str(uuid4()), []

    def send():
        client = APIClient()
        client.force_authenticate(operator_keden)
        statuses.append(client.post("/api/v1/people/", body, format="json", HTTP_IDEMPOTENCY_KEY=key).status_code)

    at_once(send)
    assert sorted(statuses) == [200, 200, 200, 201]
    assert Person.objects.filter(name=CHILD["name"]).count() == 1
