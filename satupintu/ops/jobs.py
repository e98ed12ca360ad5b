"""Running a user's long job on the task queue.

A feature app creates its `Job` row with `job_create` and names the function doing the work, as a
dotted path (this app imports no feature app): `work(job, progress)` calls `progress(done, total)`
as it goes and returns `(filename, content)` for the file to keep, or None. The task cluster runs
it through `run_job`.

A run that raises queues the next run at once, up to JOB_TASK_ATTEMPTS runs in all; after the last
one the job is marked failed with the error as its reason. Every failed run stays in the admin's
failed tasks (Q_CLUSTER ack_failures).
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
    job = Job.objects.create(kind=kind, requested_by=actor, parameters=parameters, permission=permission, area=area)
    enqueue_job(job, work)
    return job


def enqueue_job(job: Job, work: str, *, attempt: int = 1) -> None:
    name = f"{job.kind}-{job.pk}-{attempt}"
    transaction.on_commit(lambda: async_task(run_job, work, job.pk, attempt, task_name=name, group=job.kind))


def run_job(work: str, job_id: int, attempt: int = 1) -> str:
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    job.state, job.attempts, job.started_at = Job.State.RUNNING, attempt, timezone.now()
    job.save(update_fields=["state", "attempts", "started_at"])
    try:
        outcome = import_string(work)(job, _progress(job_id))
    except JobRefused as refused:
        Job.objects.filter(pk=job_id).update(state=Job.State.FAILED, message=str(refused), finished_at=timezone.now())
        return f"{job}: {refused}"
    except (Exception, TimeoutException) as exc:
        logger.exception("job %s: run %s of %s failed", job_id, attempt, settings.JOB_TASK_ATTEMPTS)
        _after_failure(job, work, attempt, exc)
        raise
    _finish(job, outcome)
    return f"{job}: {Job.State.DONE}"


def _progress(job_id: int):
    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job_id).update(done=done, total=total)

    return progress


def _after_failure(job: Job, work: str, attempt: int, exc: BaseException) -> None:
    error = str(exc) or type(exc).__name__
    if attempt < settings.JOB_TASK_ATTEMPTS:
        message = _("Percobaan %(n)d gagal (%(error)s); dicoba lagi.") % {"n": attempt, "error": error}
        Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED, message=message)
        enqueue_job(job, work, attempt=attempt + 1)
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
