"""Printing a desa's cards is a queued job: the page queues it and opens the job's page, which
refreshes itself with the progress and offers the PDF when done, to the requester and the document
managers of that desa only (404 to anyone else); the file is deleted after JOB_FILE_RETENTION_HOURS."""

import datetime as dt
import io
import os

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from satupintu.accounts.models import Role
from satupintu.audit.models import AuditLog
from satupintu.documents import actions
from satupintu.ops.jobs import forget_job_files
from satupintu.ops.models import Job
from tests.conftest import KEDEN, household_in, make_user
from tests.documents.conftest import pdf_text
from tests.ops.queue import run_queue

from .test_views import card

pytestmark = pytest.mark.django_db
URL = reverse("documents:card_batch")


@pytest.fixture
def keden_cards(kepala, keden_household):
    second = household_in(KEDEN, "Parmin")
    return [card(kepala, keden_household), card(kepala, second)]


def queue_print(client, capture, user, desa=KEDEN):
    client.force_login(user)
    run_queue(capture, lambda: client.post(URL, {"desa": desa, "kind": "saraswati"}))
    return run_queue.result


def test_printing_a_desa_queues_a_job_and_opens_its_page(client, petugas, keden_cards):
    client.force_login(petugas)
    response = client.post(URL, {"desa": KEDEN, "kind": "saraswati"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("ops:job", args=[job.pk])
    assert (job.kind, job.state, job.requested_by, job.parameters) == (
        Job.Kind.CARD_BATCH,
        Job.State.QUEUED,
        petugas,
        {"desa": KEDEN, "kind": "saraswati"},
    )
    page = client.get(response["Location"]).content.decode()
    assert "Dalam antrean" in page and '<meta http-equiv="refresh" content="3">' in page
    assert f'href="{URL}"' in page  # back to the batch page


def test_the_job_stores_the_desa_valid_cards_as_one_pdf(
    client, petugas, kepala, keden_cards, trobayan_household, django_capture_on_commit_callbacks
):
    revoked = card(kepala, keden_cards[0].household)
    actions.document_revoke(actor=kepala, document=revoked, reason="salah cetak")
    other = card(kepala, trobayan_household)
    response = queue_print(client, django_capture_on_commit_callbacks, petugas)
    job = Job.objects.get()
    assert job.state == Job.State.DONE and (job.done, job.total) == (2, 2)
    pdf = job.result.read()
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2  # one sheet of fronts, one of backs
    text = pdf_text(pdf)
    assert all(c.number in text for c in keden_cards) and revoked.number not in text and other.number not in text
    audit = AuditLog.objects.get(object_type="regions.region", object_id=KEDEN, reason="Cetak kartu")
    assert audit.actor == petugas and sorted(audit.changes["print"][1]) == sorted(c.number for c in keden_cards)
    page = client.get(response["Location"]).content.decode()
    assert "Selesai" in page and "http-equiv" not in page and reverse("ops:job_download", args=[job.pk]) in page
    download = client.get(reverse("ops:job_download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf" and b"".join(download.streaming_content) == pdf
    assert 'filename="kartu-saraswati-keden.pdf"' in download["Content-Disposition"]


def test_only_the_requester_and_document_managers_of_the_desa_open_the_job(
    client, petugas, operator_keden, keden_cards, django_capture_on_commit_callbacks
):
    queue_print(client, django_capture_on_commit_callbacks, petugas)
    job = Job.objects.get()
    urls = [reverse("ops:job", args=[job.pk]), reverse("ops:job_download", args=[job.pk])]
    kalijambe = make_user("petugas.kalijambe", Role.PETUGAS_LAYANAN, "33.14.01")
    gemolong = make_user("petugas.gemolong", Role.PETUGAS_LAYANAN, "33.14.13")
    for user, status in [(kalijambe, 200), (gemolong, 404), (operator_keden, 404)]:
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [status, status], user.username


def test_the_job_page_shows_the_progress_of_a_running_print(client, petugas, keden_cards):
    client.force_login(petugas)
    client.post(URL, {"desa": KEDEN, "kind": "saraswati"})
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, done=500, total=2000)
    page = client.get(reverse("ops:job", args=[job.pk])).content.decode()
    assert "Berjalan" in page and "500 / 2000 (25%)" in page and 'content="3"' in page
    assert client.get(reverse("ops:job_download", args=[job.pk])).status_code == 404


def test_a_desa_without_valid_cards_queues_nothing(client, petugas, regions):
    client.force_login(petugas)
    response = client.post(URL, {"desa": KEDEN, "kind": "saraswati"}, follow=True)
    assert "Tidak ada kartu berlaku untuk desa ini." in response.content.decode() and not Job.objects.exists()


def test_the_printed_file_is_deleted_after_the_retention_period(
    client, petugas, keden_cards, settings, django_capture_on_commit_callbacks
):
    settings.JOB_FILE_RETENTION_HOURS = 24
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False):
        queue_print(client, django_capture_on_commit_callbacks, petugas)
    job = Job.objects.get()
    path = job.result.path
    with time_machine.travel(dt.datetime(2026, 12, 2, 8, 59, tzinfo=dt.UTC), tick=False):
        assert forget_job_files() == 0
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, 1, tzinfo=dt.UTC), tick=False):
        assert forget_job_files() == 1
    job.refresh_from_db()
    assert not job.result and not os.path.exists(path)
    client.force_login(petugas)
    assert client.get(reverse("ops:job_download", args=[job.pk])).status_code == 404
    assert "sudah dihapus" in client.get(reverse("ops:job", args=[job.pk])).content.decode()
