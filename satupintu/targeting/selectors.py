"""Reads of the targeting runs, from the user's scope."""

from satupintu.accounts.scoping import area_q

from .models import Change, Eligibility


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
