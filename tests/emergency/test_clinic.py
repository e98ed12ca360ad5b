import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from satupintu.documents.actions import document_issue_card, document_revoke
from satupintu.documents.models import IssuedDocument
from satupintu.emergency.eligibility import check_card
from satupintu.emergency.models import CheckResult, ClinicVisit
from satupintu.emergency.selectors import people_for
from satupintu.registry.models import Person
from tests.conftest import KEDEN, TROBAYAN, household_in, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(petugas, keden_household):
    return document_issue_card(actor=petugas, kind="saraswati", household=keden_household, tier="menur")


def test_a_scanned_card_in_force_is_valid_with_its_tier(petugas, card):
    check = check_card(card.qr_text, people_for(petugas))
    assert check.result == CheckResult.VALID and check.tier == "menur"
    assert check.household == card.household and card.number in check.reason


def test_a_revoked_card_is_reported_with_the_reason(petugas, card):
    document_revoke(actor=petugas, document=card, reason="Sudah mampu")
    check = check_card(card.qr_text, people_for(petugas))
    assert check.result == CheckResult.REVOKED and "Sudah mampu" in check.reason


def test_an_expired_card_is_reported_as_expired(petugas, card):
    with time_machine.travel(dt.datetime(card.valid_until.year + 1, 1, 10, 3, tzinfo=dt.UTC)):
        check = check_card(card.qr_text, people_for(petugas))
    assert check.result == CheckResult.EXPIRED


def test_a_forged_qr_is_refused_by_its_signature(petugas, card):
    forged = card.qr_text.replace(card.number, card.number[:-1] + ("1" if card.number[-1] != "1" else "2"))
    check = check_card(forged, people_for(petugas))
    assert check.result == CheckResult.NOT_FOUND and "Tanda tangan" in check.reason and not check.found
    other = card.qr_text.rpartition("~")[0] + "~" + "A" * 86
    assert "Tanda tangan" in check_card(other, people_for(petugas)).reason


def test_a_nik_finds_the_households_card_and_a_stranger_is_not_found(petugas, card, trobayan_household):
    head = Person.objects.get(pk=card.household.head_id)
    assert check_card(head.nik, people_for(petugas)).result == CheckResult.VALID
    check = check_card(trobayan_household.head.nik, people_for(petugas))
    assert check.result == CheckResult.NOT_FOUND and check.found  # in the registry, without a card
    assert not check_card("3314010101010001", people_for(petugas)).found
    assert not check_card("halo", people_for(petugas)).found


def test_a_card_of_another_area_is_not_found_for_a_bound_officer(regions, petugas):
    household = household_in(TROBAYAN, "Paimin Santoso")
    card = document_issue_card(actor=petugas, kind="saraswati", household=household, tier="melati")
    desk = make_user("petugas.keden", "petugas_layanan", KEDEN)
    assert not check_card(card.qr_text, people_for(desk)).found


def test_a_visit_is_recorded_once_and_a_referral_letter_issued(client, petugas, card):
    client.force_login(petugas)
    url = reverse("emergency:visit_new")
    page = client.post(url, {"scanned": card.qr_text, "check": "1"}).content.decode()
    assert 'data-result="valid"' in page and "Menur" in page
    spouse = card.household.members.exclude(pk=card.household.head_id).get()
    agency = IssuedDocument._meta.get_field("addressee").related_model.objects.get(code="rsud-soehadi")
    form = {
        "scanned": card.qr_text,
        "person": spouse.pk,
        "service": "pengobatan",
        "service_note": "Demam tinggi tiga hari",
        "referred": "on",
        "referral_agency": agency.pk,
        "submission_key": "b3c1a2d4-1e2f-4a5b-8c6d-7e8f9a0b1c2d",
        "save": "1",
    }
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302
    visit = ClinicVisit.objects.get()
    assert (visit.person, visit.tier, visit.check_result, visit.card) == (spouse, "menur", "valid", card)
    letter = visit.referral_letter
    assert letter.service_code == "rujukan-jamkesda" and letter.person == spouse and letter.addressee == agency
    assert "Demam tinggi" in str(letter.content)
    listing = client.get(reverse("emergency:visits")).content.decode()
    assert letter.number in listing


def test_a_member_of_another_household_cannot_be_registered_on_a_card(client, petugas, card, trobayan_household):
    client.force_login(petugas)
    form = {"scanned": card.qr_text, "person": trobayan_household.head_id, "service": "pemeriksaan", "save": "1"}
    response = client.post(reverse("emergency:visit_new"), form)
    assert response.status_code == 200 and ClinicVisit.objects.count() == 0
