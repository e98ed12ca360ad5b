"""Uploading or approving a batch queues its work on the task queue (no worker process started by the
page, no polling); a run that raises is run again by the queue, and after the last run the batch
fails with the error as its reason. The queue runs each task at once in the tests (Q_CLUSTER sync)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_q.models import Success

from satupintu.imports import services, tasks
from satupintu.imports.models import ImportBatch, State
from tests.ops.queue import run_queue

from .helpers import HEAD, SPOUSE, csv_bytes, upload

pytestmark = pytest.mark.django_db


def test_uploading_a_file_queues_its_validation(client, operator_keden, django_capture_on_commit_callbacks):
    client.force_login(operator_keden)
    content = SimpleUploadedFile("desa.csv", csv_bytes([HEAD, SPOUSE]))
    url = reverse("imports:batch_upload")
    run_queue(django_capture_on_commit_callbacks, lambda: client.post(url, {"file": content, "source": "desa"}))
    batch = ImportBatch.objects.get()
    assert batch.state == State.VALIDATED and batch.valid_rows == 2
    assert Success.objects.get().name == f"impor-{batch.reference}-1"


def test_approving_a_batch_queues_its_import(client, operator_keden, kepala, django_capture_on_commit_callbacks):
    batch = upload(csv_bytes([HEAD, SPOUSE]), actor=operator_keden)
    run_queue(django_capture_on_commit_callbacks, lambda: tasks.enqueue_import(batch))
    client.force_login(kepala)
    url = reverse("imports:batch_decide", args=[batch.pk])
    run_queue(django_capture_on_commit_callbacks, lambda: client.post(url, {"decision": "approve"}))
    batch.refresh_from_db()
    assert batch.state == State.IMPORTED and batch.progress_percent == 100


def test_a_run_that_raises_is_run_again_and_the_batch_goes_on(
    operator_keden, monkeypatch, django_capture_on_commit_callbacks
):
    batch = upload(csv_bytes([HEAD, SPOUSE]), actor=operator_keden)
    runs = []

    def crash_once(batch):
        runs.append(batch.state)
        if len(runs) == 1:
            services.workflow.move(batch, "validate")
            raise RuntimeError("koneksi basis data terputus")
        return services.advance(batch)

    monkeypatch.setattr(tasks, "advance", crash_once)
    failures = run_queue(django_capture_on_commit_callbacks, lambda: tasks.enqueue_import(batch))
    batch.refresh_from_db()
    assert len(failures) == 1 and runs == [State.UPLOADED, State.VALIDATING]
    assert batch.state == State.VALIDATED and batch.reason == ""


def test_a_run_that_always_raises_fails_the_batch_with_the_reason_after_the_last_attempt(
    client, operator_keden, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_TASK_ATTEMPTS = 3
    batch = upload(csv_bytes([HEAD, SPOUSE]), actor=operator_keden)

    def crash(batch):
        if batch.state == State.UPLOADED:
            batch = services.workflow.move(batch, "validate")
        raise RuntimeError("disk penuh")

    monkeypatch.setattr(tasks, "advance", crash)
    failures = run_queue(django_capture_on_commit_callbacks, lambda: tasks.enqueue_import(batch))
    batch.refresh_from_db()
    assert len(failures) == 3
    assert batch.state == State.FAILED and batch.reason == "Kesalahan sistem: disk penuh"
    client.force_login(operator_keden)
    page = client.get(reverse("imports:batch_detail", args=[batch.pk])).content.decode()
    assert "Gagal" in page and "Kesalahan sistem: disk penuh" in page


def test_a_batch_whose_worker_died_mid_import_is_queued_again_and_finishes(
    operator_keden, kepala, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_STALE_SECONDS = 60
    batch = upload(csv_bytes([HEAD, SPOUSE]), actor=operator_keden)
    run_queue(django_capture_on_commit_callbacks, lambda: tasks.enqueue_import(batch))
    batch = services.approved_batch(ImportBatch.objects.get(pk=batch.pk), kepala)
    # A worker claimed it, beat once, and was killed with its task (lost by the queue).
    ImportBatch.objects.filter(pk=batch.pk).update(heartbeat=timezone.now() - dt.timedelta(seconds=61))
    with django_capture_on_commit_callbacks() as queued:
        assert tasks.resume_stalled() == [batch.reference]
        assert tasks.resume_stalled() == []  # the claim touched the heartbeat: not queued twice
    assert len(queued) == 1
    queued[0]()
    batch.refresh_from_db()
    assert batch.state == State.IMPORTED and batch.progress_percent == 100


def test_a_batch_still_beating_or_waiting_for_its_first_worker_is_not_queued_again(
    operator_keden, kepala, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_STALE_SECONDS = 60
    beating = upload(csv_bytes([HEAD, SPOUSE]), actor=operator_keden)
    ImportBatch.objects.filter(pk=beating.pk).update(
        state=State.VALIDATING, heartbeat=timezone.now() - dt.timedelta(seconds=59)
    )
    waiting = upload(csv_bytes([HEAD]), actor=operator_keden)
    ImportBatch.objects.filter(pk=waiting.pk).update(state=State.IMPORTING, heartbeat=None)
    with django_capture_on_commit_callbacks() as queued:
        assert tasks.resume_stalled() == []
    assert queued == []
