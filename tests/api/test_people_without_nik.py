"""A person without a NIK is stored with NULL, whichever way it arrives, so any number of them fit."""

from uuid import uuid4

import pytest
from django.db import IntegrityError, transaction

from satupintu.registry.models import Person
from tests.api.test_households_api import CHILD, api_for


def test_api_stores_a_blank_nik_as_null_so_many_people_may_lack_one(operator_keden, keden_household):
    client = api_for(operator_keden)
    for name in ("Bagus", "Sari", "Tono"):
        body = {**CHILD, "household": keden_household.pk, "name": name, "nik": ""}
        response = client.post("/api/v1/people/", body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid4()))
        assert response.status_code == 201, response.json()
        assert response.json()["nik"] is None
    assert Person.objects.filter(name__in=["Bagus", "Sari", "Tono"], nik__isnull=True).count() == 3


def test_api_clearing_a_nik_stores_null(operator_keden, keden_household):
    client = api_for(operator_keden)
    person = keden_household.members.first()
    response = client.patch(f"/api/v1/people/{person.pk}/", {"nik": ""}, format="json")
    assert response.status_code == 200, response.json()
    person.refresh_from_db()
    assert person.nik is None


def test_the_database_refuses_an_empty_nik(keden_household):
    person = keden_household.members.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(nik="")
