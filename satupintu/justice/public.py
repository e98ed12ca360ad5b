"""The public transparency page: aggregates only, small counts and zeros shown "<5", and whatever
else would let a reader narrow them hidden too (see disclosure.py).

Rates and medians are shown only where their own base reaches the minimum cell size, and never
for a row whose count of applications is suppressed.
"""

import datetime as dt
import uuid
from collections import defaultdict
from statistics import median

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from satupintu.catalogue.models import ServiceType
from satupintu.complaints.models import Complaint
from satupintu.lib.versioned_cache import NotReady, kept
from satupintu.regions.models import Level, Region
from satupintu.survey.actions import ikm_by, responses_in

from .disclosure import COLUMNS, Hidden, protect
from .extract import Period, extract

HIDDEN_TOTAL = Hidden("–", 0, None)  # a total that would narrow a hidden cell (disclosure.py)


def _group(rows, key):
    groups = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


def _counts(keys, groups, complaints) -> dict[str, list[int]]:
    return {
        "received": [len(groups.get(key, [])) for key in keys],
        "completed": [sum(row["completed"] for row in groups.get(key, [])) for key in keys],
        "complaints": [complaints.get(key, 0) for key in keys],
    }


def _table(name, grid, keys, names, groups, ikms):
    minimum = grid.minimum
    lines = []
    for index, key in enumerate(keys):
        rows = groups.get(key, [])
        decided = [row for row in rows if row["decided"]]
        timed = [row for row in decided if row["on_time"] is not None]
        shown = {column: grid.hidden.get((name, column, index), grid.counts[name][column][index]) for column in COLUMNS}
        visible = not isinstance(shown["received"], Hidden)
        result = ikms.get(key)
        lines.append(
            {
                "name": names[key],
                **shown,
                "on_time": sum(row["on_time"] for row in timed) / len(timed)
                if visible and len(timed) >= minimum
                else None,
                "median_days": median(row["days"] for row in decided) if visible and len(decided) >= minimum else None,
                "ikm": result if result and result.respondents >= minimum else None,
            }
        )
    totals = {
        column: HIDDEN_TOTAL if (name, column) in grid.hidden_totals else sum(grid.counts[name][column])
        for column in COLUMNS
    }
    return {"rows": lines, "totals": totals}


def transparency(start, end) -> dict:
    rows = extract(Period(start, end))
    low, high = Period(start, end).bounds()
    complaints = Complaint.objects.filter(received_at__gte=low, received_at__lt=high)
    responses = responses_in(start, end)
    services = dict(ServiceType.objects.filter(is_active=True).values_list("code", "name"))
    kecamatan = dict(Region.objects.filter(level=Level.KECAMATAN).values_list("code", "name"))
    by_service_complaints = dict(
        complaints.filter(application__isnull=False)
        .values_list("application__service__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_kec_complaints = dict(
        complaints.filter(kecamatan__isnull=False).values_list("kecamatan_id").annotate(n=Count("id")).order_by()
    )
    by_service, by_kecamatan = _group(rows, "service"), _group(rows, "kecamatan")
    grid = protect(
        {
            "services": _counts(list(services), by_service, by_service_complaints),
            "kecamatan": _counts(list(kecamatan), by_kecamatan, by_kec_complaints),
        },
        settings.SATUPINTU_MIN_CELL,
    )
    return {
        "services": _table("services", grid, list(services), services, by_service, ikm_by(responses, "service__code")),
        "kecamatan": _table(
            "kecamatan", grid, list(kecamatan), kecamatan, by_kecamatan, ikm_by(responses, "kecamatan_id")
        ),
    }


FIGURES_KEY = "justice:transparency"


def _figures(today: dt.date) -> dict:
    start = today.replace(month=1, day=1) if today.month > 3 else dt.date(today.year - 1, 1, 1)
    return {"start": start, "end": today, "tables": transparency(start, today), "build": uuid.uuid4().hex}


def figures(today: dt.date | None = None, *, fresh: int | None = None) -> dict:
    """The page's figures (start, end, tables), kept in the shared cache: built by the
    `refresh-transparency` schedule, or by one worker at a time when they are older than
    TRANSPARENCY_SECONDS or of another day. Raises NotReady while the first ones are being built."""
    today = today or timezone.localdate()
    return kept(
        FIGURES_KEY,
        lambda: _figures(today),
        fresh=settings.TRANSPARENCY_SECONDS if fresh is None else fresh,
        current=lambda kept_figures: kept_figures["end"] == today,
        keep=settings.TRANSPARENCY_SECONDS * 12,
    )


def refresh_figures() -> str:
    """The schedule's job: build the figures now, so that no visitor waits for them."""
    try:
        built = figures(fresh=0)
    except NotReady:
        return "sedang dibangun oleh pekerja lain"
    return f"angka transparansi {built['start']}–{built['end']} diperbarui"
