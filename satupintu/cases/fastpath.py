"""The fast-path clock: minutes from intake (`received_at`) to issue, for every case.

The step that issues the product stores the minutes on the case (`issue_minutes`); before that the
clock runs. The standard is the rule parameter `fast_path_minutes` in force on the day of receipt
(the unit's SOP for a household already recorded poor). Wall-clock minutes: a case taken late in
the day and issued the next morning counts the night.
"""

import datetime as dt

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from satupintu import parameters

PARAMETER = "fast_path_minutes"


def minutes_between(start: dt.datetime, end: dt.datetime) -> int:
    return max(0, int((end - start).total_seconds() // 60))


def standard_minutes(on: dt.date) -> int:
    return int(parameters.value(PARAMETER, on))


def clock(application, now: dt.datetime | None = None) -> dict | None:
    """What the case page shows: minutes so far (or to issue), the standard, whether it is met."""
    if application.received_at is None:
        return None
    standard = standard_minutes(timezone.localtime(application.received_at).date())
    if application.issue_minutes is not None:
        minutes, running = application.issue_minutes, False
    elif application.issued_at is not None:
        minutes, running = minutes_between(application.received_at, application.issued_at), False
    elif application.is_open:
        minutes, running = minutes_between(application.received_at, now or timezone.now()), True
    else:
        return None
    return {
        "minutes": minutes,
        "running": running,
        "standard": standard,
        "within": minutes <= standard,
        "fast_path": application.fast_path,
    }


def standard_expression():
    """The standard in force on each case's day of receipt, as a database expression."""
    history = parameters.history(PARAMETER)
    whens = [
        When(received_at__date__gte=value.valid_from, then=Value(int(value.value)))
        for value in sorted(history, key=lambda v: v.valid_from, reverse=True)
    ]
    return Case(*whens, default=Value(int(history[0].value)), output_field=IntegerField())
