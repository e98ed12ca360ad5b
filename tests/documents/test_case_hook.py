"""The wiring docs/documents.md gives the case workflow, run against the real `cases` app.

`cases` does not call documents yet (the lead wires it on merge): these tests patch the "issue" side
effect with exactly the function the documentation shows, so the documented hook is what is tested.
"""

from unittest import mock

import pytest
from django.utils import timezone

from satupintu.accounts.models import Agency
from satupintu.cases import actions as cases
from satupintu.cases.actions import TransitionRefused, application_create, application_transition
from satupintu.catalogue.models import ServiceType
from satupintu.documents.actions import DocumentError
from satupintu.documents.hooks import document_issue_for_application, documents_of_application
from satupintu.documents.models import Kind
from tests.conftest import mark_poor
from tests.documents.conftest import pdf_qr_codes, pdf_text, qr_path


def _issue(actor, application, data):  # the documented replacement of cases.actions._issue
    application.issued_at = timezone.now()
    try:
        document = document_issue_for_application(actor=actor, application=application)
    except DocumentError as error:
        raise TransitionRefused(str(error)) from error
    return {"document": document.pk, "document_number": document.number} if document else None


@pytest.fixture(autouse=True)
def wired():
    with mock.patch.dict(cases.SIDE_EFFECTS, {"issue": _issue}):
        yield


def approved(petugas, kepala, applicant, code):
    service = ServiceType.objects.get(code=code)
    present = [r.pk for r in service.requirements.all()]
    application, _pin = application_create(
        actor=petugas, service=service, applicant=applicant, present_ids=present, details={}
    )
    for actor, name, data in [
        (petugas, "accept_documents", {}),
        (petugas, "fast_track", {}),
        (kepala, "approve", {"reason": "Memenuhi syarat"}),
    ]:
        application = application_transition(actor=actor, application=application, name=name, data=data)
    return application


def test_issuing_a_saraswati_application_issues_the_card_of_its_tier(client, petugas, kepala, keden_household):
    mark_poor(keden_household)
    application = approved(petugas, kepala, keden_household.head, "kartu-saraswati")
    application = cases.application_issue(actor=petugas, application=application)
    [card] = documents_of_application(application)
    assert application.status == "issued"
    assert card.kind == Kind.SARASWATI and card.tier == "melati" and card.number.startswith("MLT.")
    event = application.events.get(type=320)
    assert event.extra == {"document": card.pk, "document_number": card.number}
    assert client.get(qr_path(pdf_qr_codes(bytes(card.pdf), scale=8)[0])).context["status"] == "valid"


def test_a_sintawati_card_is_for_the_pupil_who_applied(petugas, kepala, keden_household, pupil):
    mark_poor(keden_household)
    application = approved(petugas, kepala, pupil, "kartu-sintawati")
    cases.application_issue(actor=petugas, application=application)
    [card] = documents_of_application(application)
    assert card.kind == Kind.SINTAWATI and card.person == pupil and "Dewi Lestari" in pdf_text(bytes(card.pdf))


def test_a_letter_service_issues_its_letter_to_the_service_agency(petugas, kepala, keden_household, agencies):
    mark_poor(keden_household)
    ServiceType.objects.filter(code="rekomendasi-ppa-pkh").update(agency=Agency.objects.get(code="rsud-soeratno"))
    application = approved(petugas, kepala, keden_household.head, "rekomendasi-ppa-pkh")
    cases.application_issue(actor=petugas, application=application)
    [letter] = documents_of_application(application)
    assert letter.kind == Kind.LETTER and letter.addressee.code == "rsud-soeratno"
    assert letter.number in pdf_text(bytes(letter.pdf))


def test_an_aid_service_issues_no_paper(petugas, kepala, keden_household):
    mark_poor(keden_household)
    application = approved(petugas, kepala, keden_household.head, "ambulans-gratis")
    application = cases.application_issue(actor=petugas, application=application)
    assert application.status == "issued" and not documents_of_application(application).exists()
    assert application.events.get(type=320).extra == {}


def test_a_refused_document_refuses_the_transition_and_keeps_the_number(petugas, kepala, keden_household):
    mark_poor(keden_household)
    application = approved(petugas, kepala, keden_household.head, "kartu-saraswati")
    application.rules_result = {**application.rules_result, "tier": None}
    application.save()
    with pytest.raises(TransitionRefused, match="Melati"):
        cases.application_issue(actor=petugas, application=application)
    application.refresh_from_db()
    assert application.status == "approved" and not documents_of_application(application).exists()
