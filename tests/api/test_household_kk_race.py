"""Two households created at the same time with one KK number: the loser is told the number is taken,
as a sequential duplicate is, instead of failing on the unique index."""

import threading
from unittest import mock
from uuid import uuid4

import pytest
from django.db import connection, connections

from satupintu.registry import validation
from satupintu.registry.models import Household, KKNumber
from tests.api.test_households_api import api_for
from tests.conftest import KEDEN

BODY = {"kk_number": "3314010403190007", "address": "Dukuh Krajan", "rt": "1", "rw": "2", "desa": KEDEN}
TAKEN = {"kk_number": ["Nomor KK ini sudah dipakai rumah tangga lain."]}


def _check_passes_as_if_the_other_had_not_committed(number, exclude_household_pk=None):
    return []


def test_a_sequential_duplicate_kk_is_refused_with_a_clear_message(db, operator_keden):
    client = api_for(operator_keden)
    assert client.post("/api/v1/households/", BODY, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid4())).status_code == 201
    second = client.post("/api/v1/households/", BODY, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid4()))
    assert (second.status_code, second.json()) == (400, TAKEN)


def test_a_duplicate_kk_that_passed_the_check_gets_the_same_400_not_a_500(db, operator_keden):
    client = api_for(operator_keden)
    assert client.post("/api/v1/households/", BODY, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid4())).status_code == 201
    with mock.patch("satupintu.api.serializers.kk_errors", _check_passes_as_if_the_other_had_not_committed):
        second = client.post("/api/v1/households/", BODY, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid4()))
    assert (second.status_code, second.json()) == (400, TAKEN)
    assert Household.objects.count() == KKNumber.objects.count() == 1


def test_a_kk_change_that_passed_the_check_gets_the_same_400(db, operator_keden, keden_household):
    client = api_for(operator_keden)
    other = client.post("/api/v1/households/", BODY, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid4())).json()
    with mock.patch("satupintu.api.serializers.kk_errors", _check_passes_as_if_the_other_had_not_committed):
        response = client.patch(
            f"/api/v1/households/{keden_household.pk}/", {"kk_number": BODY["kk_number"]}, format="json"
        )
    assert (response.status_code, response.json()) == (400, TAKEN), other
    keden_household.refresh_from_db()
    assert keden_household.kk_number != BODY["kk_number"]


def test_the_web_form_shows_the_message_when_the_kk_was_taken_after_its_check(client, operator_keden):
    client.force_login(operator_keden)
    form = {**BODY, "desa": KEDEN, "floor_area_m2": "", "ownership": ""}
    api_for(operator_keden).post("/api/v1/households/", BODY, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid4()))
    with mock.patch("satupintu.registry.forms.kk_errors", _check_passes_as_if_the_other_had_not_committed):
        response = client.post("/rumah-tangga/baru/", form)
    assert response.status_code == 200
    assert TAKEN["kk_number"][0] in response.content.decode()
    assert Household.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_creates_with_one_kk_give_one_household_and_one_clear_400(operator_keden):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers (BEGIN IMMEDIATE); the race needs PostgreSQL's concurrent inserts.")
    both_checked = threading.Barrier(2, timeout=30)
    real_check = validation.kk_errors
    responses, errors = [], []

    def check_then_wait(number, exclude_household_pk=None):
        result = real_check(number, exclude_household_pk=exclude_household_pk)
        both_checked.wait()  # neither has inserted yet: both checks found the number free
        return result

    def create(client):
        try:
            response = client.post("/api/v1/households/", BODY, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid4()))
            responses.append((response.status_code, response.json()))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    with mock.patch("satupintu.api.serializers.kk_errors", check_then_wait):
        threads = [threading.Thread(target=create, args=(api_for(operator_keden),)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert sorted(status for status, _body in responses) == [201, 400]
    assert [body for status, body in responses if status == 400] == [TAKEN]
    assert Household.objects.filter(kk_number=BODY["kk_number"]).count() == 1
