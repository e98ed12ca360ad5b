"""Intake refuses a second open application of the same service for a household, unless the officer
records why; the intake pages show the household's open applications."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from satupintu.audit.models import AuditLog
from satupintu.cases.actions import TransitionRefused, application_transition
from satupintu.cases.models import Application
from satupintu.catalogue.data import load_current
from tests.conftest import apply_for

pytestmark = pytest.mark.django_db


def test_second_open_application_of_same_service_is_refused_without_reason(petugas, keden_household):
    first, _pin = apply_for(petugas, keden_household)
    with pytest.raises(TransitionRefused, match=first.number):
        apply_for(petugas, keden_household)
    assert Application.objects.count() == 1


def test_second_open_application_with_a_reason_is_accepted_and_the_reason_recorded(petugas, keden_household):
    from satupintu.cases.actions import application_create
    from satupintu.catalogue.models import ServiceType

    first, _pin = apply_for(petugas, keden_household)
    second, _pin = application_create(
        actor=petugas,
        service=ServiceType.objects.get(code="kartu-saraswati"),
        applicant=keden_household.head,
        duplicate_reason="  Kartu pertama diajukan dengan KK lama  ",
    )
    event = second.events.get(type=100)
    assert event.reason == "Kartu pertama diajukan dengan KK lama"
    assert event.extra["duplicate_of"] == [first.number]
    audit = AuditLog.objects.get(object_type="cases.application", object_id=str(second.pk), action="create")
    assert audit.reason == "Kartu pertama diajukan dengan KK lama"
    assert audit.changes == {"duplicate_of": [None, [first.number]]}


def test_another_service_or_a_closed_application_does_not_block_intake(petugas, keden_household):
    first, _pin = apply_for(petugas, keden_household)
    apply_for(petugas, keden_household, "raskin")
    application_transition(actor=petugas, application=first, name="withdraw", data={"reason": "Salah layanan"})
    again, _pin = apply_for(petugas, keden_household)
    assert again.events.get(type=100).extra == {"channel": "upt"}


def test_intake_page_shows_the_households_open_applications(client, operator_keden, keden_household):
    first, _pin = apply_for(operator_keden, keden_household)
    client.force_login(operator_keden)
    url = reverse("cases:intake", args=[keden_household.pk])
    for page in (client.get(url), client.get(url + "?layanan=raskin")):
        html = page.content.decode()
        assert first.number in html and first.service.name in html and first.get_status_display() in html
        assert first.due_date.strftime("%d/%m/%Y") in html
    assert 'name="duplicate_reason"' not in client.get(url + "?layanan=raskin").content.decode()


def test_intake_form_refuses_a_second_open_application_unless_a_reason_is_written(
    client, operator_keden, keden_household
):
    first, _pin = apply_for(operator_keden, keden_household)
    client.force_login(operator_keden)
    url = reverse("cases:intake", args=[keden_household.pk]) + "?layanan=kartu-saraswati"
    form = client.get(url).content.decode()
    assert 'name="duplicate_reason"' in form
    refused = client.post(url, {"applicant": keden_household.head_id})
    assert refused.status_code == 200 and first.number in refused.content.decode()
    assert Application.objects.count() == 1
    accepted = client.post(url, {"applicant": keden_household.head_id, "duplicate_reason": "Berkas pertama hilang"})
    second = Application.objects.exclude(pk=first.pk).get()
    assert accepted.url == reverse("cases:receipt", args=[second.number])
    assert second.events.get(type=100).reason == "Berkas pertama hilang"


def test_api_refuses_a_second_open_application_with_409_unless_a_reason_is_given(petugas, keden_household):
    first, _pin = apply_for(petugas, keden_household)
    api = APIClient()
    api.force_authenticate(petugas)
    body = {"service": "kartu-saraswati", "applicant": keden_household.head_id}
    refused = api.post("/api/v1/applications", body, format="json", HTTP_IDEMPOTENCY_KEY="first")
    assert refused.status_code == 409 and first.number in refused.json()["detail"]
    accepted = api.post(
        "/api/v1/applications",
        {**body, "duplicate_reason": "Pindah desa"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="second",
    )
    assert accepted.status_code == 201
    assert Application.objects.get(number=accepted.json()["number"]).events.get(type=100).reason == "Pindah desa"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_intakes_of_the_same_service_make_one_application(petugas, keden_household):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer (BEGIN IMMEDIATE); the row lock race needs PostgreSQL.")
    load_current()  # an earlier transactional test may have flushed the migration's services
    first_done, release = threading.Event(), threading.Event()
    outcomes = []

    def first_intake():
        try:
            with transaction.atomic():  # holds the first intake open while the second one starts
                outcomes.append(apply_for(petugas, keden_household)[0].number)
                first_done.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    def second_intake():
        first_done.wait(timeout=30)
        try:
            outcomes.append(apply_for(petugas, keden_household)[0].number)
        except TransitionRefused as refused:
            outcomes.append(refused)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first_intake), threading.Thread(target=second_intake)]
    for thread in threads:
        thread.start()
    first_done.wait(timeout=30)
    time.sleep(0.5)  # the second intake is now waiting for the household row, or has gone past it
    release.set()
    for thread in threads:
        thread.join()
    assert Application.objects.count() == 1
    assert isinstance(outcomes[1], TransitionRefused)


def test_a_second_applications_reason_longer_than_the_audit_log_keeps_is_refused(petugas, keden_household):
    apply_for(petugas, keden_household)
    api = APIClient()
    api.force_authenticate(petugas)
    body = {"service": "kartu-saraswati", "applicant": keden_household.head_id, "duplicate_reason": "x" * 251}
    refused = api.post("/api/v1/applications", body, format="json", HTTP_IDEMPOTENCY_KEY="long")
    assert refused.status_code == 400 and "duplicate_reason" in refused.json()
    assert Application.objects.count() == 1
    accepted = api.post(
        "/api/v1/applications", {**body, "duplicate_reason": "x" * 250}, format="json", HTTP_IDEMPOTENCY_KEY="250"
    )
    assert accepted.status_code == 201
