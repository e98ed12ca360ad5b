"""What the signed-in home page shows each role: the work waiting for that person today.

Every part is a fixed number of queries over the user's own scope (`cases.selectors`,
`complaints.access`), whatever the size of the queues: counts and the oldest row come from one
grouped query, the short lists are sliced in the database.
"""

import datetime as dt

from django.db.models import Count, F, Min, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import (
    CASE_INTAKE,
    CASE_WORK,
    COMPLAINT_HANDLE,
    DEADLINE_ESCALATION,
    EQUITY_REPORT,
    REFERRAL_RECEIVE,
    has,
)
from satupintu.budgets import selectors as budget_selectors
from satupintu.budgets.models import FundingSource
from satupintu.cases import selectors as case_selectors
from satupintu.cases import workflow
from satupintu.cases.models import Application, DeadlineState, Referral
from satupintu.cases.status import CLOSED_STATUSES, OPEN_STATUSES
from satupintu.complaints.access import complaints_for, is_integrity
from satupintu.complaints.models import OPEN_STATUSES as OPEN_COMPLAINTS
from satupintu.justice import charts
from satupintu.lib.workdays import Calendar

LIST_SIZE = 5
MONTHS_CHARTED = 6
COMPLAINT_WARNING_DAYS = 3


def my_queues(user) -> list[dict]:
    """Each queue the user works: how many cases wait and since when the oldest (one query)."""
    queues = workflow.queues_for(user)
    if not queues:
        return []
    statuses = frozenset().union(*(q.statuses for q in queues))
    everything = workflow.Queue("all", "", statuses, ())
    rows = (
        case_selectors.queue_items(user, everything)
        .order_by()
        .values("status")
        .annotate(n=Count("id"), oldest=Min("received_at"))
    )
    by_status = {row["status"]: row for row in rows}
    result = []
    for queue in queues:
        found = [by_status[s] for s in queue.statuses if s in by_status]
        oldest = min((row["oldest"] for row in found), default=None)
        result.append({"queue": queue, "count": sum(row["n"] for row in found), "oldest": oldest})
    return result


def _deadline_scope(user):
    """The cases whose deadlines are this user's concern: the area's open cases for whoever is told
    of every late case (the kepala), otherwise the cases waiting in the user's own queues."""
    if has(user, DEADLINE_ESCALATION):
        return case_selectors.applications_for(user).filter(status__in=OPEN_STATUSES)
    queues = workflow.queues_for(user)
    if not queues:
        return None
    statuses = frozenset().union(*(q.statuses for q in queues))
    return case_selectors.queue_items(user, workflow.Queue("all", "", statuses, ()))


def deadlines(user) -> dict | None:
    """Cases overdue or due soon (counts, then the nearest due dates): two queries."""
    scope = _deadline_scope(user)
    if scope is None:
        return None
    pressing = scope.filter(
        paused_since__isnull=True, deadline_state__in=[DeadlineState.OVERDUE, DeadlineState.DUE_SOON]
    )
    counts = dict(pressing.order_by().values_list("deadline_state").annotate(n=Count("id")))
    items = list(
        pressing.select_related("service", "applicant", "desa")
        .only(
            "number",
            "status",
            "due_date",
            "deadline_state",
            "paused_since",
            "received_at",
            "service__name",
            "service__domain",
            "applicant__name",
            "desa__name",
        )  # fmt: skip
        .order_by("due_date", "received_at", "id")[:LIST_SIZE]
    )
    return {
        "overdue": counts.get(DeadlineState.OVERDUE, 0),
        "due_soon": counts.get(DeadlineState.DUE_SOON, 0),
        "items": items,
    }


def my_referrals(user) -> dict | None:
    """A partner agency's open referrals: counts by state and the oldest ones (two queries)."""
    if not has(user, REFERRAL_RECEIVE):
        return None
    open_referrals = case_selectors.referrals_for(user).exclude(state=Referral.State.DONE)
    counts = dict(open_referrals.order_by().values_list("state").annotate(n=Count("id")))
    return {
        "sent": counts.get(Referral.State.SENT, 0),
        "acknowledged": counts.get(Referral.State.ACKNOWLEDGED, 0),
        "items": list(open_referrals.order_by("sent_at", "id")[:LIST_SIZE]),
    }


def complaints_near_deadline(user, today: dt.date, calendar: Calendar) -> dict | None:
    """Open complaints the user may handle whose resolution date is past or a few working days
    away (two queries)."""
    if not (has(user, COMPLAINT_HANDLE) or is_integrity(user)):
        return None
    horizon = calendar.add_working_days(today, COMPLAINT_WARNING_DAYS)
    near = complaints_for(user).filter(status__in=OPEN_COMPLAINTS, resolution_due__lte=horizon)
    counts = near.order_by().aggregate(
        overdue=Count("id", filter=Q(resolution_due__lt=today)),
        near=Count("id", filter=Q(resolution_due__gte=today)),
    )
    items = list(
        near.only("number", "category", "status", "resolution_due", "sensitive").order_by("resolution_due", "id")[
            :LIST_SIZE
        ]
    )
    return {**counts, "items": items, "horizon": horizon}


def intake_today(user, today: dt.date) -> dict | None:
    """Requests received today in the user's scope, and those the user took in (one query)."""
    if not has(user, CASE_WORK) or has(user, REFERRAL_RECEIVE):
        return None
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    received = case_selectors.applications_for(user).filter(received_at__gte=start)
    return received.order_by().aggregate(total=Count("id"), mine=Count("id", filter=Q(received_by=user))) | {
        "takes_intake": has(user, CASE_INTAKE)
    }


def on_time_share(user, today: dt.date) -> dict | None:
    """Cases finished in each of the last months and how many of them by their due date (one
    query), as figures for this month and a small bar chart of the months."""
    if not (has(user, CASE_WORK) or has(user, EQUITY_REPORT)) or has(user, REFERRAL_RECEIVE):
        return None
    first = today.replace(day=1)
    for _step in range(MONTHS_CHARTED - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    # The auditor works no case and reads the kabupaten's equity report: the kabupaten's counts.
    scope = case_selectors.applications_for(user) if has(user, CASE_WORK) else Application.objects.all()
    finished = scope.filter(status__in=CLOSED_STATUSES, closed_at__gte=start, due_date__isnull=False)
    rows = (
        finished.annotate(month=TruncMonth("closed_at"))
        .order_by()
        .values("month")
        .annotate(n=Count("id"), on_time=Count("id", filter=Q(closed_at__date__lte=F("due_date"))))
    )
    by_month = {}
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        by_month[month.replace(day=1)] = (row["n"], row["on_time"])
    months = []
    cursor = first
    while cursor <= today:
        months.append(cursor)
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    items = []
    for month in months:
        n, on_time = by_month.get(month, (0, 0))
        items.append((date_format(month, "M Y"), 100 * on_time / n if n else None, False))
    n, on_time = by_month.get(months[-1], (0, 0))
    return {
        "finished": n,
        "on_time": on_time,
        "share": on_time / n if n else None,
        "chart": charts.bars(items, unit="%", title=_("Selesai tepat waktu per bulan (persen)"), bar_width=170)
        if any(value is not None for _label, value, _hot in items)
        else "",
    }


def budget_realisation(today: dt.date) -> list[dict]:
    """Per programme of this fiscal year: its ceiling and what the ledger shows as spent (three
    queries whatever the number of programmes)."""
    sources = FundingSource.objects.filter(programme__fiscal_year=today.year).select_related("programme")
    programmes = {}
    for row in budget_selectors.source_figures(sources):
        programme = row["source"].programme
        rupiah = programme.unit == "rupiah"
        ceiling = row["ceiling_amount"] if rupiah else row["ceiling_units"]
        spent = row["realised_amount"] if rupiah else row["realised_units"]
        line = programmes.setdefault(
            programme.pk, {"name": programme.name, "unit": programme.get_unit_display(), "rupiah": rupiah,
                           "ceiling": None, "spent": 0}
        )  # fmt: skip
        line["spent"] += spent or 0
        if ceiling is not None:
            line["ceiling"] = (line["ceiling"] or 0) + ceiling
    lines = list(programmes.values())
    for line in lines:
        line["share"] = line["spent"] / line["ceiling"] if line["ceiling"] else None
    return lines
