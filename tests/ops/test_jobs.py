"""A user's long job runs on the task queue: its progress on its row, a run that raises run again by
the queue, and after JOB_TASK_ATTEMPTS runs the job failed with its reason (each failed run raises,
so the cluster keeps it in the admin's failed tasks); a job whose worker died is queued again by
`resume-jobs` once its heartbeat is stale."""

import datetime as dt

import pytest
from django.utils import timezone
from django_q.models import Success

from satupintu.ops import jobs
from satupintu.ops.models import Job

from .queue import run_queue

pytestmark = pytest.mark.django_db

RUNS = []


def flaky(job, progress):
    """Fails its first run (as a database connection dropped mid-run would), then writes a file."""
    RUNS.append(job.attempts)
    progress(1, 2)
    if len(RUNS) == 1:
        raise RuntimeError("koneksi basis data terputus")
    progress(2, 2)
    return "hasil.txt", b"isi"


def broken(job, progress):
    RUNS.append(job.attempts)
    raise RuntimeError("disk penuh")


def refused(job, progress):
    RUNS.append(job.attempts)
    raise jobs.JobRefused("Tidak ada kartu berlaku untuk desa ini.")


@pytest.fixture(autouse=True)
def _runs():
    RUNS.clear()


def queue(capture, user, work):
    run_queue(capture, lambda: None)
    return run_queue(
        capture,
        lambda: jobs.job_create(
            actor=user, kind=Job.Kind.CARD_BATCH, work=f"tests.ops.test_jobs.{work}", parameters={}
        ),
    )


def test_a_run_that_raises_is_run_again_and_the_job_finishes(petugas, django_capture_on_commit_callbacks):
    failures = queue(django_capture_on_commit_callbacks, petugas, "flaky")
    job = Job.objects.get()
    assert len(failures) == 1 and RUNS == [1, 2]
    assert job.state == Job.State.DONE and job.attempts == 2 and job.message == ""
    assert (job.done, job.total, job.percent) == (2, 2, 100)
    assert job.result.read() == b"isi" and job.filename == "hasil.txt"
    assert Success.objects.get().name == f"cetak_kartu-{job.pk}-2"


def test_a_run_that_always_raises_fails_the_job_with_its_reason_after_the_last_attempt(
    petugas, settings, django_capture_on_commit_callbacks
):
    settings.JOB_TASK_ATTEMPTS = 3
    failures = queue(django_capture_on_commit_callbacks, petugas, "broken")
    job = Job.objects.get()
    assert len(failures) == 3 and RUNS == [1, 2, 3]
    assert job.state == Job.State.FAILED and job.finished_at is not None
    assert job.message == "Gagal setelah 3 percobaan: disk penuh"
    assert all(str(failure) == "disk penuh" for failure in failures)  # each one a failed task of the cluster


def test_a_refused_job_fails_at_once_with_the_message_and_is_not_run_again(petugas, django_capture_on_commit_callbacks):
    failures = queue(django_capture_on_commit_callbacks, petugas, "refused")
    job = Job.objects.get()
    assert failures == [] and RUNS == [1]
    assert job.state == Job.State.FAILED and job.message == "Tidak ada kartu berlaku untuk desa ini."


def steady(job, progress):
    RUNS.append(job.attempts)
    progress(1, 1)
    return "hasil.txt", b"isi"


def test_a_job_whose_worker_died_is_queued_again_and_a_late_copy_of_its_run_does_nothing(
    petugas, settings, django_capture_on_commit_callbacks
):
    settings.JOB_STALE_SECONDS = 60
    with django_capture_on_commit_callbacks():
        job = jobs.job_create(actor=petugas, kind=Job.Kind.CARD_BATCH, work="tests.ops.test_jobs.steady", parameters={})
    # A worker claimed it, beat once, and was killed with its task.
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, attempts=1, heartbeat=timezone.now() - dt.timedelta(seconds=61)
    )
    with django_capture_on_commit_callbacks() as queued:
        assert jobs.resume_stalled() == [job.pk]
        assert jobs.resume_stalled() == []  # the claim touched the heartbeat: not queued twice
    assert len(queued) == 1
    # The database queue hands the dead run out again (Q_RETRY later), before or after the new one.
    assert jobs.run_job(job.work, job.pk, 1) == f"job {job.pk}: run 1 not needed"
    queued[0]()
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.attempts == 2 and RUNS == [2]
    assert jobs.run_job(job.work, job.pk, 1) == f"job {job.pk}: run 1 not needed"
    assert RUNS == [2]


def test_a_job_still_beating_is_left_alone_and_one_out_of_attempts_fails(petugas, settings):
    settings.JOB_STALE_SECONDS, settings.JOB_TASK_ATTEMPTS = 60, 3
    beating, dead = (
        Job.objects.create(kind=Job.Kind.CARD_BATCH, requested_by=petugas, work="tests.ops.test_jobs.steady")
        for _ in range(2)
    )
    now = timezone.now()
    Job.objects.filter(pk=beating.pk).update(state=Job.State.RUNNING, attempts=1, heartbeat=now)
    Job.objects.filter(pk=dead.pk).update(state=Job.State.RUNNING, attempts=3, heartbeat=now - dt.timedelta(hours=1))
    assert jobs.resume_stalled() == []
    beating.refresh_from_db()
    dead.refresh_from_db()
    assert beating.state == Job.State.RUNNING
    assert dead.state == Job.State.FAILED and dead.message == "Gagal setelah 3 percobaan: pekerja berhenti tanpa kabar"
