"""Issuing an application issues its document through the real case workflow."""

import pytest

from satupintu.accounts.models import Agency
from satupintu.cases import actions as cases
from satupintu.cases.actions import TransitionRefused, application_create, application_transition
from satupintu.catalogue.models import ServiceType
from satupintu.documents.hooks import documents_of_application
from satupintu.documents.models import Kind
from tests.conftest import mark_poor
from tests.documents.conftest import pdf_qr_codes, pdf_text, qr_path


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


def test_the_case_timeline_links_the_issued_document(client, petugas, kepala, keden_household):
    from django.urls import reverse

    mark_poor(keden_household)
    application = approved(petugas, kepala, keden_household.head, "kartu-saraswati")
    application = cases.application_issue(actor=petugas, application=application)
    [card] = documents_of_application(application)
    client.force_login(petugas)
    body = client.get(reverse("cases:detail", args=[application.number])).content.decode()
    assert reverse("documents:detail", args=[card.pk]) in body and card.number in body
