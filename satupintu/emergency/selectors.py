"""Reads of the immediate services, each from the user's scope (the pickup desa of a call, the
desa of a visit), and their statistics: response time per kecamatan against the published
standard, and clinic visits per tier and kecamatan."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from satupintu.accounts.scoping import area_q
from satupintu.documents.models import Tier
from satupintu.registry.models import Person

from .models import ACTIVE_STATES, AmbulanceCall, CallEvent, CallState, ClinicVisit


def calls_for(user):
    return AmbulanceCall.objects.filter(area_q(user, "pickup_desa"))


def board(user):
    """The active calls, oldest first, with what the board shows (no query per row)."""
    return (
        calls_for(user)
        .filter(state__in=ACTIVE_STATES)
        .select_related("pickup_desa__parent", "destination", "vehicle", "driver")
        .order_by("received_at", "id")
    )


def recent_closed(user, since: dt.datetime):
    return (
        calls_for(user)
        .filter(state__in=[CallState.BACK, CallState.CANCELLED], received_at__gte=since)
        .select_related("pickup_desa__parent", "vehicle")
        .order_by("-received_at", "-id")
    )


def call_for_user(user, number: str) -> AmbulanceCall:
    """The call, or 404 when its pickup desa is outside the user's area."""
    events = CallEvent.objects.select_related("actor").order_by("at", "id")
    qs = calls_for(user).select_related(
        "pickup_desa__parent", "destination", "vehicle", "driver", "taken_by", "verified_by", "card", "patient"
    )
    return get_object_or_404(qs.prefetch_related(Prefetch("events", queryset=events)), number=number)


def verification_list(user, *, pending: bool = True):
    qs = calls_for(user).filter(verify_after=True).select_related("pickup_desa__parent", "verified_by")
    if pending:
        qs = qs.filter(verification_outcome="")
    return qs.order_by("received_at", "id")


def people_for(user):
    return Person.objects.filter(area_q(user, "household__desa"))


def patient_lookup(user, query: str, limit: int = 10):
    """People of the user's area by NIK (16 digits) or by a part of the name."""
    query = (query or "").strip()
    if len(query) < 3:
        return Person.objects.none()
    people = people_for(user).select_related("household__desa__parent")
    if query.isdigit():
        return people.filter(nik=query)[:limit] if len(query) == 16 else Person.objects.none()
    return people.filter(name__icontains=query).order_by("name", "id")[:limit]


def visits_for(user):
    return ClinicVisit.objects.filter(area_q(user, "desa"))


def visit_list(user):
    return visits_for(user).select_related("person", "desa__parent", "officer", "referral_letter", "card")


# --- statistics (aggregates, no personal data) ---


def _bounds(start: dt.date, end: dt.date):
    zone = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    return low, dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def _percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p90: the time 90 % of the calls reached)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


@dataclass(frozen=True)
class ResponseRow:
    name: str
    calls: int
    reached: int
    median: float | None
    p90: float | None
    within: int
    measured: int

    @property
    def share_within(self) -> float | None:
        return self.within / self.measured if self.measured else None


def _row(name: str, calls: int, times: list[tuple[float, int | None]]) -> ResponseRow:
    minutes = [m for m, _standard in times]
    measured = [(m, s) for m, s in times if s]
    return ResponseRow(
        name=name,
        calls=calls,
        reached=len(minutes),
        median=statistics.median(minutes) if minutes else None,
        p90=_percentile(minutes, 0.9) if minutes else None,
        within=sum(1 for m, s in measured if m <= s),
        measured=len(measured),
    )


def response_times(start: dt.date, end: dt.date, *, scope=None, kecamatan: str = "") -> dict:
    """Response time (call received → ambulance at the patient) per kecamatan of the pickup, in
    minutes: median, p90 and the share within the standard in force on the day of each call.
    `scope` is an area filter (`area_q(user, "pickup_desa")`) or None for the whole regency."""
    low, high = _bounds(start, end)
    qs = AmbulanceCall.objects.filter(received_at__gte=low, received_at__lt=high).exclude(state=CallState.CANCELLED)
    if scope is not None:
        qs = qs.filter(scope)
    if kecamatan:
        qs = qs.filter(pickup_desa__parent_id=kecamatan)
    per: dict[str, list] = {}
    counts: dict[str, int] = {}
    rows = qs.values_list("pickup_desa__parent__name", "received_at", "at_pickup_at", "standard_minutes")
    for name, received, pickup, standard in rows.iterator(chunk_size=2000):
        counts[name] = counts.get(name, 0) + 1
        if pickup is not None:
            per.setdefault(name, []).append(((pickup - received).total_seconds() / 60, standard))
    table = [_row(name, counts[name], per.get(name, [])) for name in sorted(counts)]
    everything = [time for times in per.values() for time in times]
    return {"rows": table, "total": _row("", sum(counts.values()), everything)}


def clinic_counts(start: dt.date, end: dt.date, *, scope=None, kecamatan: str = "") -> dict:
    """Clinic visits per kecamatan and card tier (blank tier: no card), with the referrals."""
    low, high = _bounds(start, end)
    qs = ClinicVisit.objects.filter(visited_at__gte=low, visited_at__lt=high)
    if scope is not None:
        qs = qs.filter(scope)
    if kecamatan:
        qs = qs.filter(desa__parent_id=kecamatan)
    tiers = [*Tier.values, ""]
    table: dict[str, dict] = {}
    grouped = qs.values("desa__parent__name", "tier").annotate(
        n=Count("id"), referred=Count("id", filter=Q(referred=True))
    )
    for row in grouped.order_by():
        entry = table.setdefault(row["desa__parent__name"], {"tiers": dict.fromkeys(tiers, 0), "referred": 0})
        entry["tiers"][row["tier"]] += row["n"]
        entry["referred"] += row["referred"]
    rows = [
        {"name": name, "counts": [entry["tiers"][t] for t in tiers], "total": sum(entry["tiers"].values()),
         "referred": entry["referred"]}
        for name, entry in sorted(table.items())
    ]  # fmt: skip
    totals = [sum(row["counts"][i] for row in rows) for i in range(len(tiers))]
    labels = [Tier(t).label.split(" — ")[0] for t in Tier.values] + ["—"]
    return {
        "tiers": labels,
        "rows": rows,
        "totals": totals,
        "total": sum(totals),
        "referred": sum(r["referred"] for r in rows),
    }
