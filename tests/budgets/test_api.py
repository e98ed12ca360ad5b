import datetime as dt
from decimal import Decimal
from uuid import uuid4

import pytest

from satupintu.budgets import actions
from satupintu.budgets.models import EntryKind, LedgerEntry
from tests.api.test_households_api import api_for

from .conftest import YEAR

pytestmark = pytest.mark.django_db
ON = dt.date(YEAR, 3, 5)


def pay(actor, source, household, amount="100000"):
    return actions.record_entry(
        actor=actor, programme=source.programme, source=source, household=household,
        kind=EntryKind.PAYMENT, on=ON, amount=amount,
    )  # fmt: skip


def test_programmes_with_ceilings_and_realisation(auditor, petugas, apbd, keden_household):
    pay(petugas, apbd, keden_household, "250000")
    body = api_for(auditor).get("/api/v1/budgets", {"year": YEAR}).json()
    (source,) = body[0]["sources"]
    assert (source["ceiling_amount"], source["realised_amount"], source["remaining_amount"]) == (
        "1000000.00",
        "250000.00",
        "750000.00",
    )


def test_an_auditor_reads_no_ledger_row(auditor, apbd):
    assert api_for(auditor).get("/api/v1/ledger").status_code == 403


def test_a_desa_operator_sees_its_desa_rows_only(operator_keden, petugas, apbd, keden_household, trobayan_household):
    mine = pay(petugas, apbd, keden_household)
    other = pay(petugas, apbd, trobayan_household)
    client = api_for(operator_keden)
    assert [row["id"] for row in client.get("/api/v1/ledger").json()["results"]] == [mine.pk]
    assert client.get(f"/api/v1/ledger/{other.pk}").status_code == 404


def test_a_row_is_created_once_per_key_and_needs_the_key(petugas, apbd, keden_household):
    client, key = api_for(petugas), str(uuid4())
    body = {"source": apbd.pk, "kind": "payment", "household": keden_household.pk, "on": "2026-03-05", "amount": "5000"}
    assert client.post("/api/v1/ledger", body, format="json").status_code == 400
    first = client.post("/api/v1/ledger", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = client.post("/api/v1/ledger", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json() and LedgerEntry.objects.count() == 1
    assert first.json()["household"] == keden_household.reference


def test_over_the_ceiling_is_a_409_with_the_reason(petugas, apbd, keden_household):
    body = {"source": apbd.pk, "kind": "payment", "household": keden_household.pk, "on": "2026-03-05",
            "amount": "2000000"}  # fmt: skip
    response = api_for(petugas).post("/api/v1/ledger", body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 409 and "sebesar Rp 1.000.000" in response.json()["detail"]


def test_a_distribution_point_writes_no_ledger_row_through_the_api(
    operator_keden, petugas, apbd, keden_household, trobayan_household
):
    client = api_for(operator_keden)
    for household in (keden_household, trobayan_household):
        body = {"source": apbd.pk, "kind": "handover", "household": household.pk, "on": "2026-03-05", "units": "500"}
        response = client.post("/api/v1/ledger", body, format="json", HTTP_IDEMPOTENCY_KEY=str(household.pk))
        assert response.status_code == 403
    entry = pay(petugas, apbd, keden_household)
    reverse = client.post(
        f"/api/v1/ledger/{entry.pk}/reverse", {"reason": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="r"
    )
    assert reverse.status_code == 403
    assert LedgerEntry.objects.count() == 1


def test_a_raskin_handover_posted_by_a_ledger_officer_is_a_409(petugas, apbd, keden_household):
    body = {"source": apbd.pk, "kind": "handover", "household": keden_household.pk, "on": "2026-03-05", "units": "500"}
    response = api_for(petugas).post("/api/v1/ledger", body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 409 and "penyalurannya" in response.json()["detail"]
    assert not LedgerEntry.objects.exists()


def test_a_reversal_through_the_api(petugas, apbd, keden_household):
    entry = pay(petugas, apbd, keden_household)
    client = api_for(petugas)
    url = f"/api/v1/ledger/{entry.pk}/reverse"
    first = client.post(url, {"reason": "Ganda"}, format="json", HTTP_IDEMPOTENCY_KEY="r1")
    again = client.post(url, {"reason": "Ganda"}, format="json", HTTP_IDEMPOTENCY_KEY="r1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["amount"] == "-100000.00" and first.json()["reverses"] == entry.pk
    other_key = client.post(url, {"reason": "Ganda"}, format="json", HTTP_IDEMPOTENCY_KEY="r2")
    assert other_key.status_code == 409
    assert LedgerEntry.objects.filter(reverses=entry).count() == 1
    assert Decimal(first.json()["amount"]) == -entry.amount
