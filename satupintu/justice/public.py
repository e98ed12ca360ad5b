"""The public transparency page: aggregates only, small counts suppressed (see suppression.py).

Rates and medians are shown only where their own base reaches the minimum cell size, and never
for a row whose count of applications is suppressed.
"""

from collections import defaultdict
from statistics import median

from django.conf import settings
from django.db.models import Count

from satupintu.catalogue.models import ServiceType
from satupintu.complaints.models import Complaint
from satupintu.regions.models import Level, Region
from satupintu.survey.actions import ikm_by, responses_in

from .extract import Period, extract
from .suppression import suppress_column


def _group(rows, key):
    groups = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


def _table(keys, names, groups, complaints, ikms):
    minimum = settings.SATUPINTU_MIN_CELL
    received = [len(groups.get(key, [])) for key in keys]
    completed = [sum(row["completed"] for row in groups.get(key, [])) for key in keys]
    complaint_counts = [complaints.get(key, 0) for key in keys]
    columns = {
        "received": suppress_column(received),
        "completed": suppress_column(completed),
        "complaints": suppress_column(complaint_counts),
    }
    lines = []
    for index, key in enumerate(keys):
        rows = groups.get(key, [])
        decided = [row for row in rows if row["decided"]]
        timed = [row for row in decided if row["on_time"] is not None]
        visible = columns["received"].cells[index] is not None
        result = ikms.get(key)
        lines.append(
            {
                "name": names[key],
                "received": columns["received"].cells[index],
                "completed": columns["completed"].cells[index],
                "on_time": sum(row["on_time"] for row in timed) / len(timed)
                if visible and len(timed) >= minimum
                else None,
                "median_days": median(row["days"] for row in decided) if visible and len(decided) >= minimum else None,
                "ikm": result if result and result.respondents >= minimum else None,
                "complaints": columns["complaints"].cells[index],
            }
        )
    totals = {name: column.total for name, column in columns.items()}
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
    return {
        "services": _table(
            list(services), services, _group(rows, "service"), by_service_complaints, ikm_by(responses, "service__code")
        ),
        "kecamatan": _table(
            list(kecamatan), kecamatan, _group(rows, "kecamatan"), by_kec_complaints, ikm_by(responses, "kecamatan_id")
        ),
    }
