"""Reads of allocation rounds. Rounds are the regency's; their entries name applicants, so every
list of entries starts from `accounts.scoping.area_q` over the application's desa."""

from django.db.models import Count, F, Q

from satupintu.accounts.scoping import area_q
from satupintu.cases.status import Status

from .models import AllocationRound, Decision, RoundEntry, RoundState


def rounds(programme=None):
    queryset = (
        AllocationRound.objects.select_related("programme__service", "source", "opened_by")
        .annotate(applicants=Count("entries"), selected=Count("entries", filter=Q(entries__proposed=True)))
        .order_by("-opened_at", "-id")
    )
    return queryset.filter(programme=programme) if programme is not None else queryset


def entries(round_, user):
    """The round's ranked list as `user` may see it, best first."""
    return (
        round_.entries.filter(area_q(user, "application__desa"))
        .select_related("application__applicant", "application__desa", "kecamatan", "decided_by")
        .order_by("rank")
    )


def proposal_totals(round_) -> dict:
    """How many are proposed and what they cost against what remained of the ceiling."""
    proposed = round_.entries.filter(proposed=True).count()
    amount = None if round_.unit_amount is None else round_.unit_amount * proposed
    units = None if round_.unit_units is None else round_.unit_units * proposed
    return {
        "proposed": proposed,
        "amount": amount,
        "units": units,
        "over_amount": amount is not None and round_.remaining_amount is not None and amount > round_.remaining_amount,
        "over_units": units is not None and round_.remaining_units is not None and units > round_.remaining_units,
    }


def waiting_list(programme, user=None):
    """Those of the programme's latest approved round not selected and still waiting at the decision
    step, in their rank order: the next round (this or the next fiscal year) ranks them again."""
    latest = (
        AllocationRound.objects.filter(programme__service_id=programme.service_id, state=RoundState.APPROVED)
        .order_by("-decided_at", "-id")
        .first()
    )
    if latest is None:
        return RoundEntry.objects.none()
    queryset = latest.entries.exclude(decision=Decision.SELECTED).filter(application__status=Status.DECISION)
    if user is not None:
        queryset = queryset.filter(area_q(user, "application__desa"))
    return queryset.select_related("application__applicant", "application__desa", "kecamatan", "round").order_by("rank")


def deviations(period):
    """Entries of approved rounds whose place in the proposal departs from the ranked order, each with
    its written reason: `period` is a fiscal year (int) or (first day, last day) of the approval."""
    queryset = RoundEntry.objects.filter(round__state=RoundState.APPROVED).exclude(proposed=F("in_line"))
    if isinstance(period, int):
        queryset = queryset.filter(round__programme__fiscal_year=period)
    else:
        start, end = period
        queryset = queryset.filter(round__decided_at__date__gte=start, round__decided_at__date__lte=end)
    return queryset.select_related(
        "round__programme__service", "application__desa", "kecamatan", "decided_by"
    ).order_by("round__decided_at", "rank")
