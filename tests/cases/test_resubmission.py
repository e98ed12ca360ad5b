"""A create form sent twice (a client retrying while the server restarts, a double click) stores one
record: the intake form and the complaint forms carry a one-time submission key, and the API's
create requires its Idempotency-Key."""

import re
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from satupintu.cases.models import Application
from satupintu.catalogue.data import load_current
from satupintu.complaints.models import Complaint
from tests.threads import at_once

postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions")


def rendered_key(response) -> str:
    return re.search(r'name="submission_key" value="([0-9a-f-]{36})"', response.content.decode()).group(1)


def intake_url(household) -> str:
    return reverse("cases:intake", args=[household.pk]) + "?layanan=kartu-saraswati"


COMPLAINT = {"feedback_type": "pengaduan", "category": "lainnya", "description": "Antrean lama.", "reporter_name": "X"}


def test_the_intake_form_sent_twice_stores_one_application_and_shows_its_pin_once(
    client, operator_keden, keden_household
):
    client.force_login(operator_keden)
    page = client.get(intake_url(keden_household))
    data = {"applicant": keden_household.head_id, "submission_key": rendered_key(page)}
    first = client.post(intake_url(keden_household), data, follow=True)
    again = client.post(intake_url(keden_household), data, follow=True)
    application = Application.objects.get()
    assert first.context["pin"] and again.context["pin"] is None
    assert again.redirect_chain[-1][0] == reverse("cases:receipt", args=[application.number])
    assert f"Permohonan ini sudah tersimpan dengan nomor {application.number}." in again.content.decode()
    assert application.events.count() == 1


def test_each_rendering_of_the_intake_form_has_its_own_key(client, operator_keden, keden_household):
    client.force_login(operator_keden)
    assert rendered_key(client.get(intake_url(keden_household))) != rendered_key(
        client.get(intake_url(keden_household))
    )


def test_the_public_complaint_form_sent_twice_stores_one_complaint(client, regions):
    data = {**COMPLAINT, "submission_key": rendered_key(client.get("/pengaduan/"))}
    first = client.post("/pengaduan/", data, follow=True)
    again = client.post("/pengaduan/", data, follow=True)
    complaint = Complaint.objects.get()
    assert first.context["pin"] and again.context["pin"] is None
    assert f"Pengaduan ini sudah tersimpan dengan nomor {complaint.number}." in again.content.decode()
    assert 'id="complaint-pin"' not in again.content.decode()
    assert complaint.events.count() == 1


def test_the_desk_complaint_form_sent_twice_stores_one_complaint(client, operator_keden):
    client.force_login(operator_keden)
    page = client.get(reverse("complaints:desk_new"))
    data = {**COMPLAINT, "channel": "telepon", "submission_key": rendered_key(page)}
    client.post(reverse("complaints:desk_new"), data)
    again = client.post(reverse("complaints:desk_new"), data)
    assert Complaint.objects.count() == 1 and again.context["pin"] is None


def test_the_api_refuses_a_create_without_an_idempotency_key(petugas, keden_household):
    api = APIClient()
    api.force_authenticate(petugas)
    body = {"service": "kartu-saraswati", "applicant": keden_household.head_id}
    response = api.post("/api/v1/applications", body, format="json")
    assert response.status_code == 400
    assert "Wajib diisi" in response.json()["Idempotency-Key"][0]
    assert not Application.objects.exists()


@postgresql
@pytest.mark.django_db(transaction=True)
def test_the_same_complaint_form_sent_four_times_at_once_stores_one(client, regions):
    data = {**COMPLAINT, "submission_key": str(uuid.uuid4())}
    statuses = []

    at_once(lambda: statuses.append(Client().post("/pengaduan/", data).status_code))
    assert statuses == [302] * 4
    assert Complaint.objects.count() == 1


@postgresql
@pytest.mark.django_db(transaction=True)
def test_the_same_intake_form_sent_four_times_at_once_stores_one(operator_keden, keden_household):
    load_current()  # an earlier transactional test may have flushed the migration's services
    data = {"applicant": keden_household.head_id, "submission_key": str(uuid.uuid4())}
    statuses = []

    def send():
        browser = Client()
        browser.force_login(operator_keden)
        statuses.append(browser.post(intake_url(keden_household), data).status_code)

    at_once(send)
    assert statuses == [302] * 4
    assert Application.objects.count() == 1
