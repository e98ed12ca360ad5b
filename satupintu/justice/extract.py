"""The equity audit's raw material: one query over the applications received in a period and an
area, each row classified once (kecamatan, sex, age band, disability, channel, service, working
days to decision, within the deadline, checks complete, reasons recorded).

The report's figures and the case lists behind them are both computed from these rows with the
same `matches()`, so a figure and its case list cannot disagree.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone

from satupintu.cases.models import Application, Decision, DocumentCheck, Verification
from satupintu.cases.status import Status
from satupintu.catalogue.calendar import working_calendar
from satupintu.lib.workdays import Calendar

AGE_BANDS = [(0, "0-17"), (18, "18-39"), (40, "40-59"), (60, "60+")]
FILTER_KEYS = (
    "kecamatan",
    "desa",
    "service",
    "channel",
    "sex",
    "age",
    "disability",
    "officer",
    "decided",
    "approved",
    "on_time",
    "checks",
    "reasoned",
    "override",
    "completed",
)
# The yes/no columns are booleans in the rows (`on_time` is None without a decision or a deadline);
# the case list's query string spells them as these words.
FLAGS = ("disability", "decided", "approved", "on_time", "checks", "reasoned", "override", "completed")
WORDS = {True: "ya", False: "tidak"}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    kecamatan: str = ""  # a kecamatan code, or "" for the whole kabupaten

    def bounds(self):
        zone = timezone.get_current_timezone()
        low = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        high = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return low, high

    def query(self) -> dict:
        params = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.kecamatan:
            params["kecamatan"] = self.kecamatan
        return params


class DayIndex:
    """Working days between two dates in O(1): a cumulative count over the dates seen."""

    def __init__(self, calendar: Calendar, first: dt.date, last: dt.date):
        self.first = first
        self.cumulative = [0]
        day = first
        while day < last:
            day += dt.timedelta(days=1)
            self.cumulative.append(self.cumulative[-1] + calendar.is_working_day(day))

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days d with start < d <= end (as Calendar.working_days_between)."""
        return self.cumulative[(end - self.first).days] - self.cumulative[(start - self.first).days]


def age_band(birth: dt.date, on: dt.date) -> str:
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    label = AGE_BANDS[0][1]
    for lower, name in AGE_BANDS:
        if age >= lower:
            label = name
    return label


FIELDS = (
    "id",
    "status",
    "received_at",
    "decided_at",
    "due_date",
    "decision",
    "decision_reason",
    "override_reason",
    "decided_by_id",
    "fast_path",
    "channel",
    "service__code",
    "desa_id",
    "desa__parent_id",
    "applicant__sex",
    "applicant__birth_date",
    "applicant__disability",
    "missing_documents",
    "verified",
)


def raw_queryset(period: Period, base=None):
    """The extraction query alone (the benchmark's baseline runs it without the classification)."""
    low, high = period.bounds()
    qs = (base if base is not None else Application.objects.all()).filter(received_at__gte=low, received_at__lt=high)
    if period.kecamatan:
        qs = qs.filter(desa__parent_id=period.kecamatan)
    missing = DocumentCheck.objects.filter(application=OuterRef("pk"), requirement__is_required=True, present=False)
    verified = Verification.objects.filter(application=OuterRef("pk"), completed_at__isnull=False)
    return qs.annotate(missing_documents=Exists(missing), verified=Exists(verified)).values_list(*FIELDS)


def extract(period: Period, base=None) -> list[dict]:
    raw = list(raw_queryset(period, base).order_by())
    if not raw:
        return []
    zone = timezone.get_current_timezone()  # once: timezone.localtime per row costs seconds at 100k rows
    received = [row[2].astimezone(zone).date() for row in raw]
    decided = [row[3].astimezone(zone).date() if row[3] else None for row in raw]
    last = max([period.end, *[day for day in decided if day], *[day for day in received]])
    index = DayIndex(working_calendar(), min(received), last)
    rows = []
    for row, got, done in zip(raw, received, decided, strict=True):
        (pk, status, _r, _d, due, decision, reason, override, officer, fast, channel, service, desa, kecamatan) = row[
            :14
        ]
        sex, birth, disability, missing, verified = row[14:]
        rows.append(
            {
                "id": pk,
                "kecamatan": kecamatan,
                "desa": desa,
                "service": service,
                "channel": channel,
                "sex": sex,
                "age": age_band(birth, got),
                "disability": disability != "tidak_ada",
                "officer": str(officer) if officer else "",
                "decided": done is not None,
                "approved": decision == Decision.APPROVED,
                "days": index.between(got, done) if done else None,
                "on_time": done <= due if done and due else None,
                "checks": not missing and bool(fast or verified),
                "reasoned": bool(reason.strip()),
                "override": bool(override.strip()),
                "completed": status == Status.COMPLETED,
            }
        )
    return rows


def matches(row: dict, filters: dict) -> bool:
    return all(row[key] == value for key, value in filters.items())


def filters_from(query) -> dict:
    """The case list's filters from its query string, the yes/no ones as booleans (an unknown word
    stays text and matches no row)."""
    flags = {word: flag for flag, word in WORDS.items()}
    return {
        key: flags.get(query[key], query[key]) if key in FLAGS else query[key] for key in FILTER_KEYS if query.get(key)
    }


def as_query(value) -> str:
    """A filter's value as the case list's query string and page spell it."""
    return WORDS[value] if isinstance(value, bool) else value
