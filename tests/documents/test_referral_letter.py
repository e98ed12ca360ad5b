"""The referral letter is addressed to the agency chosen at the referral step."""

import pytest
from django.urls import reverse

from satupintu.accounts.models import Agency
from satupintu.cases import actions as cases
from satupintu.cases.models import Referral
from satupintu.documents.hooks import documents_of_application
from tests.conftest import mark_poor
from tests.documents.conftest import pdf_text
from tests.documents.test_case_hook import approved

pytestmark = pytest.mark.django_db
SRAGEN, GEMOLONG = "RSUD dr. Soehadi Prijonegoro Sragen", "RSUD dr. Soeratno Gemolong"


@pytest.fixture
def jamkesda_approved(petugas, kepala, keden_household, agencies):
    """A Rujukan Jamkesda, approved; the service's usual agency is the RSUD in Sragen."""
    mark_poor(keden_household)
    return approved(petugas, kepala, keden_household.head, "rujukan-jamkesda")


def refer(actor, application, agency_code):
    agency = Agency.objects.get(code=agency_code)
    return cases.application_transition(actor=actor, application=application, name="refer", data={"agency": agency})


def test_the_referral_letter_is_addressed_to_the_agency_chosen_at_referral(client, petugas, jamkesda_approved):
    issued = cases.application_issue(actor=petugas, application=jamkesda_approved)
    [first] = documents_of_application(issued)
    assert first.addressee.code == "rsud-soehadi"
    referred = refer(petugas, issued, "rsud-soeratno")
    letter = Referral.objects.get(application=referred).document
    text = pdf_text(bytes(letter.pdf))
    assert letter.addressee.code == "rsud-soeratno" and GEMOLONG in text and SRAGEN not in text
    first.refresh_from_db()
    assert first.revoked_at and GEMOLONG in first.revoke_reason
    assert referred.events.get(type=330).extra["document_number"] == letter.number
    client.force_login(petugas)
    html = client.get(reverse("cases:detail", args=[referred.number])).content.decode()
    assert reverse("documents:detail", args=[letter.pk]) in html


def test_referring_to_the_letters_agency_keeps_the_issued_letter(petugas, jamkesda_approved):
    issued = cases.application_issue(actor=petugas, application=jamkesda_approved)
    [letter] = documents_of_application(issued)
    referred = refer(petugas, issued, "rsud-soehadi")
    assert Referral.objects.get(application=referred).document == letter
    assert list(documents_of_application(referred)) == [letter] and letter.revoked_at is None


def test_referring_straight_from_approval_issues_the_letter_to_the_chosen_agency(petugas, jamkesda_approved):
    referred = refer(petugas, jamkesda_approved, "rsud-soeratno")
    [letter] = documents_of_application(referred)
    assert letter.addressee.code == "rsud-soeratno" and GEMOLONG in pdf_text(bytes(letter.pdf))
    assert referred.issued_at is not None
