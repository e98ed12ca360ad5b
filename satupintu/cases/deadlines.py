"""Due dates from the dated standard in force at receipt, on the unit's working-day calendar."""

import datetime as dt

from django.conf import settings

from satupintu.catalogue.calendar import working_calendar
from satupintu.catalogue.models import ServiceStandard, SlaKind
from satupintu.lib.workdays import Calendar, fiscal_year_end


def due_date_for(standard: ServiceStandard | None, received: dt.date, calendar: Calendar | None = None):
    """working_days: the N-th working day after receipt; fiscal_year: 31 December; immediate: the
    day of receipt; none (tentative): no due date."""
    if standard is None or standard.kind == SlaKind.NONE:
        return None
    if standard.kind == SlaKind.WORKING_DAYS:
        return (calendar or working_calendar()).add_working_days(received, standard.days)
    if standard.kind == SlaKind.FISCAL_YEAR:
        return fiscal_year_end(received)
    return received


def deadline_state_for(due: dt.date | None, today: dt.date, calendar: Calendar) -> str:
    from .models import DeadlineState

    if due is None:
        return DeadlineState.ON_TIME
    if today > due:
        return DeadlineState.OVERDUE
    if calendar.working_days_between(today, due) <= settings.SATUPINTU_DUE_SOON_DAYS:
        return DeadlineState.DUE_SOON
    return DeadlineState.ON_TIME
