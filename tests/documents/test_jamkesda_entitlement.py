"""A valid, unrevoked Kartu Saraswati that lists the applicant entitles them to a Rujukan Jamkesda."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from satupintu.cases.facts import facts_for
from satupintu.catalogue.rules import evaluate
from satupintu.documents import actions
from tests.conftest import apply_for, mark_poor

JAKARTA = ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


def at(*args):
    return time_machine.travel(dt.datetime(*args, 9, 0, tzinfo=JAKARTA), tick=False)


@pytest.fixture
def kenanga_card(kepala, keden_household):
    """Not poor (desil 7) and uninsured: the household holds a Kenanga card, valid to 31 December 2026."""
    mark_poor(keden_household, desil=7)
    with at(2026, 11, 2):
        return actions.document_issue_card(actor=kepala, kind="saraswati", household=keden_household, tier="kenanga")


def jamkesda_result(petugas, household):
    application, _pin = apply_for(petugas, household, "rujukan-jamkesda")
    return evaluate("rujukan-jamkesda", facts_for(application), application.received_at.date())


def test_a_kenanga_card_holder_is_entitled_to_a_jamkesda_referral(client, petugas, keden_household, kenanga_card):
    with at(2026, 11, 9):
        result = jamkesda_result(petugas, keden_household)
        assert result.eligible and kenanga_card.number in result.criteria[0].explanation
        client.force_login(petugas)
        application = keden_household.applications.get()
        html = client.get(reverse("cases:detail", args=[application.number])).content.decode()
    assert kenanga_card.number in html and "Memenuhi syarat" in html


def test_a_revoked_card_is_no_entitlement(petugas, kepala, keden_household, kenanga_card):
    actions.document_revoke(actor=kepala, document=kenanga_card, reason="Pindah domisili")
    with at(2026, 11, 9):
        result = jamkesda_result(petugas, keden_household)
    assert not result.eligible and result.criteria[0].name == "pemegang_saraswati"


def test_a_card_expired_before_the_day_of_receipt_is_no_entitlement(petugas, keden_household, kenanga_card):
    with at(2027, 1, 4):
        assert not jamkesda_result(petugas, keden_household).eligible


def test_a_card_member_with_other_insurance_is_not_entitled(petugas, keden_household, kenanga_card):
    keden_household.head.health_insurance = "bpjs_mandiri"
    keden_household.head.save()
    with at(2026, 11, 9):
        result = jamkesda_result(petugas, keden_household)
    assert not result.eligible and "BPJS" in result.criteria[0].explanation
