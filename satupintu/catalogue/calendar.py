"""The unit's working-day calendar: national holidays and cuti bersama (`lib/workdays.py`) plus the
regency's own non-working days kept beside it (`LocalHoliday`). Case and complaint deadlines both
count on it."""

from django.conf import settings

from satupintu.lib.workdays import Calendar

from . import versions
from .models import LocalHoliday


def working_calendar() -> Calendar:
    """The calendar, its local days read once per catalogue version (catalogue/versions.py)."""
    dates = versions.cached("local-holidays", lambda: list(LocalHoliday.objects.values_list("date", flat=True)))
    return Calendar(dates, cuti_bersama_working=settings.SATUPINTU_CUTI_BERSAMA_WORKING)
