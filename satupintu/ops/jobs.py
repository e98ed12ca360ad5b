"""Running a user's long job on the task queue.

A feature app creates its `Job` row with `job_create` and names the function doing the work, as a
dotted path (this app imports no feature app): `work(job, progress)` calls `progress(done, total)`
as it goes and returns `(filename, content)` for the file to keep, or None. The task cluster runs
it through `run_job`.

A run that raises queues the next run at once, up to JOB_TASK_ATTEMPTS runs in all; after the last
one the job is marked failed with the error as its reason. Every failed run stays in the admin's
failed tasks (Q_CLUSTER ack_failures). A run whose worker died raises nothing: the `resume-jobs`
schedule queues its next attempt once its heartbeat (touched by each progress step) is older than
JOB_STALE_SECONDS.
"""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_q.exceptions import TimeoutException
from django_q.tasks import async_task

from .models import Job

logger = logging.getLogger(__name__)


class JobRefused(Exception):
    """Raised by a job's work when running it again cannot help (nothing to print, too much): the job
    fails at once with the message, in the user's words, and the task itself succeeds."""


@transaction.atomic
def job_create(*, actor, kind: str, work: str, parameters: dict, permission: str = "", area: str = "") -> Job:
    """Store the job and queue its first run once the transaction has committed."""
    job = Job.objects.create(
        kind=kind, requested_by=actor, work=work, parameters=parameters, permission=permission, area=area
    )
    enqueue_job(job, attempt=1)
    return job


def enqueue_job(job: Job, *, attempt: int) -> None:
    name = f"{job.kind}-{job.pk}-{attempt}"
    transaction.on_commit(lambda: async_task(run_job, job.work, job.pk, attempt, task_name=name, group=job.kind))


def run_job(work: str, job_id: int, attempt: int = 1) -> str:
    # Claimed by a conditional update: a run handed out again by the queue after its job was
    # resumed, finished or failed (a worker that died, Q_RETRY later) does nothing.
    now = timezone.now()
    open_job = Job.objects.filter(pk=job_id, attempts__lt=attempt, state__in=(Job.State.QUEUED, Job.State.RUNNING))
    if not open_job.update(state=Job.State.RUNNING, attempts=attempt, started_at=now, heartbeat=now):
        return f"job {job_id}: run {attempt} not needed"
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    try:
        outcome = import_string(work)(job, _progress(job_id))
    except JobRefused as refused:
        Job.objects.filter(pk=job_id).update(state=Job.State.FAILED, message=str(refused), finished_at=timezone.now())
        return f"{job}: {refused}"
    except (Exception, TimeoutException) as exc:
        logger.exception("job %s: run %s of %s failed", job_id, attempt, settings.JOB_TASK_ATTEMPTS)
        _after_failure(job, attempt, exc)
        raise
    _finish(job, outcome)
    return f"{job}: {Job.State.DONE}"


def _progress(job_id: int):
    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job_id).update(done=done, total=total, heartbeat=timezone.now())

    return progress


def _after_failure(job: Job, attempt: int, exc: BaseException) -> None:
    error = str(exc) or type(exc).__name__
    if attempt < settings.JOB_TASK_ATTEMPTS:
        message = _("Percobaan %(n)d gagal (%(error)s); dicoba lagi.") % {"n": attempt, "error": error}
        Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED, message=message)
        enqueue_job(job, attempt=attempt + 1)
        return
    message = _("Gagal setelah %(n)d percobaan: %(error)s") % {"n": attempt, "error": error}
    Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, message=message, finished_at=timezone.now())


@transaction.atomic
def _finish(job: Job, outcome) -> None:
    job = Job.objects.select_for_update().get(pk=job.pk)
    if outcome is not None:
        filename, content = outcome
        job.result.save(filename, ContentFile(content), save=False)
        job.filename = filename
    job.state, job.message, job.finished_at = Job.State.DONE, "", timezone.now()
    job.done = job.total
    job.save(update_fields=["result", "filename", "state", "message", "finished_at", "done"])


def resume_stalled() -> list[int]:
    """Queue again each running job whose heartbeat is older than JOB_STALE_SECONDS (its worker
    died: Redis has lost the task, the database queue hands it out only after Q_RETRY) as its next
    attempt, or fail it after the last one; the ids queued. Claimed by a conditional update, so
    another cluster's scheduler, or the next tick, does not queue it twice."""
    now = timezone.now()
    stale = now - timezone.timedelta(seconds=settings.JOB_STALE_SECONDS)
    error = _("pekerja berhenti tanpa kabar")
    resumed = []
    for job in Job.objects.filter(state=Job.State.RUNNING, heartbeat__lt=stale).order_by("id"):
        claimed = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, heartbeat=job.heartbeat)
        with transaction.atomic():
            if job.attempts >= settings.JOB_TASK_ATTEMPTS:
                message = _("Gagal setelah %(n)d percobaan: %(error)s") % {"n": job.attempts, "error": error}
                claimed.update(state=Job.State.FAILED, message=message, finished_at=now)
                continue
            message = _("Percobaan %(n)d gagal (%(error)s); dicoba lagi.") % {"n": job.attempts, "error": error}
            if claimed.update(state=Job.State.QUEUED, heartbeat=now, message=message):
                logger.warning("job %s: no heartbeat since %s, queued again", job.pk, job.heartbeat)
                enqueue_job(job, attempt=job.attempts + 1)
                resumed.append(job.pk)
    return resumed


def forget_job_files() -> int:
    """Delete the files of jobs finished more than JOB_FILE_RETENTION_HOURS ago; how many."""
    cutoff = timezone.now() - timezone.timedelta(hours=settings.JOB_FILE_RETENTION_HOURS)
    forgotten = 0
    for job in Job.objects.filter(finished_at__lt=cutoff).exclude(result="").only("id", "result"):
        with transaction.atomic():
            job.result.delete(save=False)
            Job.objects.filter(pk=job.pk).update(result="")
        forgotten += 1
    return forgotten
