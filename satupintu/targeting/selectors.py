"""Reads of the targeting runs, from the user's scope."""

from django.db.models import Exists, Q, Subquery

from satupintu.accounts.scoping import area_q
from satupintu.ops.models import Job

from .models import Change, Eligibility, TargetingRun


def run_lines(user, run):
    """(first, lines): a run's changes since the run before it, in the user's area; for the first
    run, which has none to compare with, the lines it found (all of them new)."""
    first = run.previous_id is None and not Change.objects.filter(run=run).exists()
    lines = Eligibility.objects.filter(from_run=run) if first else Change.objects.filter(run=run)
    lines = (
        lines.filter(area_q(user, "household__desa"))
        .select_related("household__desa", "household__head", "person")
        .order_by("service", "household_id", "id")
    )
    return first, lines


def unfinished_jobs():
    """The run jobs started since the last run that completed and not done: queued, running, or
    failed with their reason."""
    latest = TargetingRun.objects.order_by("-id").values("started_at")[:1]
    since = Q(created_at__gt=Subquery(latest)) | ~Exists(TargetingRun.objects.all())
    jobs = Job.objects.filter(since, kind=Job.Kind.TARGETING).exclude(state=Job.State.DONE)
    return jobs.select_related("requested_by").order_by("-created_at", "-id")
