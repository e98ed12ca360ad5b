"""Working-day calendar for service deadlines (Django-free).

A working day is Monday–Friday that is not an Indonesian national holiday (`holidays`, country
ID, category public), not a cuti bersama day (category government) unless the deployment counts
those as working days, and not a configured local non-working day.
"""

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import holidays

ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=64)
def _national(year: int, cuti_bersama_working: bool) -> frozenset[dt.date]:
    categories = ("public",) if cuti_bersama_working else ("public", "government")
    return frozenset(holidays.country_holidays("ID", categories=categories, years=year))


class Calendar:
    def __init__(self, local_days: Iterable[dt.date] = (), *, cuti_bersama_working: bool = False):
        self.local_days = frozenset(local_days)
        self.cuti_bersama_working = cuti_bersama_working

    def is_working_day(self, day: dt.date) -> bool:
        if day.weekday() >= 5 or day in self.local_days:
            return False
        return day not in _national(day.year, self.cuti_bersama_working)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day strictly after `start` (n >= 1); `start` itself for n == 0."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        while n:
            day += ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days d with start < d <= end; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            count += self.is_working_day(day)
        return count


def fiscal_year_end(day: dt.date) -> dt.date:
    """Services bound to the budget year are due on 31 December of the year of receipt."""
    return dt.date(day.year, 12, 31)
