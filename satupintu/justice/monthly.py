"""The monthly operational report per service and per kecamatan, over the user's scope."""

import datetime as dt

from django.db.models import Count, F, Q
from django.utils import timezone

from satupintu.cases.selectors import applications_for
from satupintu.cases.status import CLOSED_STATUSES, OPEN_STATUSES

from .extract import Period

GROUPS = {
    "service": ("service__code", "service__name"),
    "kecamatan": ("desa__parent_id", "desa__parent__name"),
}


def month_period(month: dt.date) -> Period:
    start = month.replace(day=1)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return Period(start, following - dt.timedelta(days=1))


def monthly(user, month: dt.date) -> dict:
    period = month_period(month)
    low, high = period.bounds()
    received = Q(received_at__gte=low, received_at__lt=high)
    finished = Q(status__in=CLOSED_STATUSES, closed_at__gte=low, closed_at__lt=high)
    on_time = finished & Q(due_date__isnull=False, closed_at__date__lte=F("due_date"))
    backlog = Q(received_at__lt=high) & (Q(closed_at__isnull=True) | Q(closed_at__gte=high))
    scope = applications_for(user).filter(received | finished | backlog)
    tables = {}
    for name, (key, label) in GROUPS.items():
        tables[name] = list(
            scope.values(key=F(key), name=F(label))
            .annotate(
                received=Count("id", filter=received),
                finished=Count("id", filter=finished),
                on_time=Count("id", filter=on_time),
                backlog=Count("id", filter=backlog),
            )
            .order_by("key")
        )
    return {"period": period, "tables": tables}


def overdue(user, today: dt.date | None = None):
    today = today or timezone.localdate()
    return (
        applications_for(user)
        .filter(status__in=OPEN_STATUSES, paused_since__isnull=True, due_date__lt=today)
        .select_related("service", "desa__parent")
        .order_by("due_date", "id")
    )
