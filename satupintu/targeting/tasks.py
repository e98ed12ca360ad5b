"""The targeting run started from its page, queued as a job (ops/jobs.py) for `satupintu qcluster`:
over a regency's registry it takes longer than a web request may wait. A run that raises is rolled
back whole and run again by the queue, up to JOB_TASK_ATTEMPTS runs; the job then fails with the
reason, shown on the run list."""

from satupintu.accounts.permissions import TARGETING_RUN
from satupintu.ops.jobs import job_create
from satupintu.ops.models import Job

from .run import run_targeting


def targeting_queue(*, actor) -> Job:
    return job_create(
        actor=actor,
        kind=Job.Kind.TARGETING,
        work="satupintu.targeting.tasks.run_targeting_job",
        parameters={},
        permission=TARGETING_RUN,
    )


def run_targeting_job(job: Job, progress) -> None:
    # One transaction: its steps are invisible until it commits, so the job shows only that it runs.
    progress(0, 1)
    run_targeting(actor=job.requested_by)
