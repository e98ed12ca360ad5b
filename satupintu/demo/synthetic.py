"""Seeded synthetic application history for the demo and the benchmark, written set-based.

Applications are spread over the registry's households (mostly poor ones), received on working
days between `start` and `end`, decided after a few working days. `slow_kecamatan` plants an
unfairness: there, decisions take `slow_extra` more working days — the audit must flag it.
"""

import datetime as dt
import json
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from satupintu.accounts.pins import make_pin_hash
from satupintu.cases.models import Application, Channel, DeadlineState, Decision, Event, EventType
from satupintu.cases.status import Status
from satupintu.catalogue.calendar import working_calendar
from satupintu.catalogue.models import ServiceType, SlaKind
from satupintu.lib.bulk import bulk_insert
from satupintu.registry.models import Household

PREFIX = "DEMO"
COLUMNS = [
    "number",
    "pin_hash",
    "service_id",
    "standard_id",
    "applicant_id",
    "household_id",
    "desa_id",
    "channel",
    "status",
    "details",
    "received_at",
    "received_by_id",
    "due_date",
    "deadline_state",
    "fast_path",
    "rules_result",
    "decision",
    "decision_reason",
    "override_reason",
    "decided_by_id",
    "decided_at",
    "issued_at",
    "closed_at",
    "updated_at",
]
CHANNELS = [Channel.DESA, Channel.KECAMATAN, Channel.DESK]


@dataclass(frozen=True)
class Staff:
    intake: int
    deciders: tuple[int, ...]


def _services(start: dt.date):
    services = []
    for service in ServiceType.objects.filter(is_active=True).prefetch_related("standards"):
        standard = service.standard_on(start)
        if standard is not None and standard.kind == SlaKind.WORKING_DAYS:
            services.append((service.pk, standard.pk, standard.days))
    if not services:
        raise ValueError("No service with a working-day standard in the catalogue.")
    return services


def _households():
    poor, other = [], []
    for pk, head, desa, result in Household.objects.filter(head__isnull=False).values_list(
        "id", "head_id", "desa_id", "poverty_result"
    ):
        (poor if result == "miskin" else other).append((pk, head, desa))
    if not poor and not other:
        raise ValueError("The registry is empty.")
    return poor or other, other or poor


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    local = dt.datetime.combine(day, dt.time(8 + rng.randrange(7), rng.randrange(60)))
    return timezone.make_aware(local)


def generate(
    count: int,
    *,
    start: dt.date,
    end: dt.date,
    staff: Staff,
    seed: int = 5,
    slow_kecamatan: str = "",
    slow_extra: int = 8,
    today: dt.date | None = None,
) -> int:
    """Insert `count` applications; returns how many. Desa codes start with their kecamatan code."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    calendar = working_calendar()
    services = _services(start)
    poor, other = _households()
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    workdays = [day for day in days if calendar.is_working_day(day)] or days
    pin = make_pin_hash("000000")
    rows = []
    for serial in range(1, count + 1):
        household, head, desa = rng.choice(poor if rng.random() < 0.8 else other)
        service, standard, sla = rng.choice(services)
        received = rng.choice(workdays)
        slow = bool(slow_kecamatan) and desa.startswith(slow_kecamatan + ".")
        # Within the standard, except about one case in twelve (anywhere), plus the planted delay.
        needed = rng.randint(1, sla) if rng.random() > 1 / 12 else sla + rng.randint(1, 3)
        needed += slow_extra if slow else 0
        decided = calendar.add_working_days(received, needed)
        due = calendar.add_working_days(received, sla)
        row = _row(rng, serial, pin, service, standard, head, household, desa, received, due, decided, today, staff)
        rows.append(row)
    with transaction.atomic():
        bulk_insert(Application, COLUMNS, rows)
        ids = dict(Application.objects.filter(number__startswith=PREFIX + "-").values_list("number", "id"))
        bulk_insert(Event, EVENT_COLUMNS, (event for row in rows for event in _history(ids[row[0]], row)))
    return len(rows)


EVENT_COLUMNS = ["application_id", "actor_id", "type", "from_status", "to_status", "reason", "extra", "at"]


def _history(application_id: int, row: tuple):
    """The events of a synthetic application, so its case page shows how it got where it is."""
    status, received_at, intake = row[8], row[10], row[11]
    decision, reason, override, decider, decided_at, issued_at, closed_at = row[16:23]
    first_status = status if decided_at is None else Status.DECISION
    yield (application_id, intake, EventType.SUBMITTED, "", first_status, "Riwayat demo", "{}", received_at)
    if decided_at is None:
        return
    approved = decision == Decision.APPROVED
    extra = json.dumps({"override_reason": override}) if override else "{}"
    yield (
        application_id,
        decider,
        EventType.APPROVED if approved else EventType.REJECTED,
        Status.DECISION,
        Status.APPROVED if approved else Status.REJECTED,
        reason,
        extra,
        decided_at,
    )
    if issued_at is not None:
        yield (application_id, intake, EventType.ISSUED, Status.APPROVED, Status.ISSUED, "", "{}", issued_at)
    if status == Status.COMPLETED:
        yield (application_id, intake, EventType.COMPLETED, Status.ISSUED, Status.COMPLETED, "", "{}", closed_at)


def _row(rng, serial, pin, service, standard, head, household, desa, received, due, decided, today, staff):
    received_at = _at(received, rng)
    status, decision, reason, override = Status.DECISION, "", "", ""
    decided_at = issued_at = closed_at = None
    decider = None
    if decided < today:
        decided_at = _at(decided, rng)
        decider = rng.choice(staff.deciders)
        approved = rng.random() < 0.85
        decision = Decision.APPROVED if approved else Decision.REJECTED
        # A few decisions without a recorded reason, a few against the rules' result: procedural findings.
        reason = "" if rng.random() < 0.03 else ("Memenuhi kriteria." if approved else "Tidak memenuhi kriteria.")
        override = "Pertimbangan kondisi darurat keluarga." if rng.random() < 0.02 else ""
        if approved:
            issued_at = decided_at
            status = Status.COMPLETED if rng.random() < 0.9 else Status.ISSUED
            closed_at = decided_at if status == Status.COMPLETED else None
        else:
            status, closed_at = Status.REJECTED, decided_at
    elif today > due:
        status = Status.VERIFICATION
    state = DeadlineState.OVERDUE if decided_at is None and today > due else DeadlineState.ON_TIME
    return (
        f"{PREFIX}-{serial:07d}",
        pin,
        service,
        standard,
        head,
        household,
        desa,
        rng.choice(CHANNELS),
        status,
        "{}",
        received_at,
        staff.intake,
        due,
        state,
        rng.random() < 0.97,
        "{}",
        decision,
        reason,
        override,
        decider,
        decided_at,
        issued_at,
        closed_at,
        received_at,
    )
