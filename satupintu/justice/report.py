"""The equity audit (laporan keadilan layanan): NAPA's four social-equity criteria for a period and
an area, as numbers with the filter of the cases behind each one.

Statistics come from satupintu.lib.equity: disparity (max/min ratio, Gini, Theil; areas under half
the median flagged by a one-sided Poisson test), Kruskal–Wallis H on working days to decision,
chi-square on the share decided within the deadline; a gap is flagged only at p < 0.01 and when
it is material (1 working day, 10 percentage points).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import median

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from satupintu.accounts.models import User
from satupintu.cases.models import Channel, QueueException, Referral
from satupintu.catalogue.models import ServiceType
from satupintu.complaints.models import Category, Complaint
from satupintu.lib import equity
from satupintu.regions.models import Level, Region
from satupintu.registry.choices import Sex
from satupintu.registry.models import Household
from satupintu.survey.actions import ikm_of
from satupintu.survey.models import Response

from . import distributive
from .extract import Period, extract
from .suppression import suppress_column

DIMENSIONS = [
    ("kecamatan", _("Kecamatan")),
    ("sex", _("Jenis kelamin pemohon")),
    ("age", _("Kelompok umur")),
    ("disability", _("Disabilitas")),
    ("channel", _("Tempat pengajuan")),
    ("service", _("Layanan")),
]


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Report:
    period: Period
    rows: list[dict]
    labels: dict[str, dict]
    procedural: dict = field(default_factory=dict)
    access: dict = field(default_factory=dict)
    consistency: list = field(default_factory=list)
    outcomes: dict = field(default_factory=dict)
    distributive: dict = field(default_factory=dict)

    @property
    def findings(self) -> list[str]:
        found = []
        for name in self.access.get("kecamatan").flagged if self.access else []:
            found.append(_("Akses: %(area)s jauh di bawah median permohonan per rumah tangga miskin.") % {"area": name})
        for name in self.access.get("desa").flagged if self.access else []:
            found.append(_("Akses: %(area)s jauh di bawah median permohonan per rumah tangga miskin.") % {"area": name})
        for name in self.access.get("kecamatan_approvals").flagged if self.access else []:
            found.append(
                _("Akses: %(area)s jauh di bawah median persetujuan per rumah tangga miskin.") % {"area": name}
            )
        for item in self.consistency:
            for gap in (item["duration"], item["on_time"]):
                if gap.flagged:
                    found.append(describe_gap(item["label"], gap))
        found += [distributive.finding(row) for row in self.distributive.get("rows", []) if row["flagged"]]
        return found


def describe_gap(label, gap) -> str:
    if gap.test.startswith("Kruskal"):
        slow = max(gap.groups, key=lambda key: gap.groups[key]["median"])
        fast = min(gap.groups, key=lambda key: gap.groups[key]["median"])
        return _(
            "Konsistensi (%(label)s): median %(slow)s %(slow_days)s hari kerja vs %(fast)s %(fast_days)s hari kerja "
            "(Kruskal–Wallis H = %(h).1f, p = %(p).2g)."
        ) % {
            "label": label,
            "slow": slow,
            "slow_days": f"{gap.groups[slow]['median']:g}",
            "fast": fast,
            "fast_days": f"{gap.groups[fast]['median']:g}",
            "h": gap.statistic,
            "p": gap.p_value,
        }
    low = min(gap.groups, key=lambda key: gap.groups[key]["share"])
    high = max(gap.groups, key=lambda key: gap.groups[key]["share"])
    return _(
        "Konsistensi (%(label)s): tepat waktu %(low)s %(low_share).0f%% vs %(high)s %(high_share).0f%% "
        "(chi-kuadrat = %(chi).1f, p = %(p).2g)."
    ) % {
        "label": label,
        "low": low,
        "low_share": 100 * gap.groups[low]["share"],
        "high": high,
        "high_share": 100 * gap.groups[high]["share"],
        "chi": gap.statistic,
        "p": gap.p_value,
    }


def _labels(rows) -> dict[str, dict]:
    kecamatan = {row["kecamatan"] for row in rows}
    desa = {row["desa"] for row in rows}
    officers = {int(row["officer"]) for row in rows if row["officer"]}
    return {
        "kecamatan": dict(Region.objects.filter(code__in=kecamatan).values_list("code", "name")),
        "desa": dict(Region.objects.filter(code__in=desa).values_list("code", "name")),
        "service": dict(ServiceType.objects.values_list("code", "name")),
        "channel": {key: str(label) for key, label in Channel.choices},
        "sex": {key: str(label) for key, label in Sex.choices},
        "age": {},
        "disability": {True: str(_("dengan disabilitas")), False: str(_("tanpa disabilitas"))},
        "officer": {
            str(pk): (first + " " + last).strip() or username
            for pk, first, last, username in User.objects.filter(pk__in=officers).values_list(
                "pk", "first_name", "last_name", "username"
            )
        },
    }


def label(report: Report, dimension: str, value: str | bool) -> str:
    return report.labels.get(dimension, {}).get(value, value)


def build(period: Period, base=None) -> Report:
    rows = extract(period, base)
    report = Report(period=period, rows=rows, labels=_labels(rows))
    report.procedural = _procedural(report)
    report.access = _access(report)
    report.consistency = _consistency(report)
    report.outcomes = _outcomes(report)
    report.distributive = distributive.build(period, poor_households(period))
    return report


OFFICER_COUNTS = ("decisions", "overrides", "unreasoned", "incomplete", "queue_exceptions")


def _procedural(report: Report) -> dict:
    decided = [row for row in report.rows if row["decided"]]
    # Every count starts at 0: an officer may appear through queue exceptions alone.
    per_officer = defaultdict(lambda: dict.fromkeys(OFFICER_COUNTS, 0))
    for row in decided:
        tally = per_officer[row["officer"]]
        tally["decisions"] += 1
        tally["overrides"] += row["override"]
        tally["unreasoned"] += not row["reasoned"]
        tally["incomplete"] += not row["checks"]
    low, high = report.period.bounds()
    exceptions = QueueException.objects.filter(at__gte=low, at__lt=high)
    if report.period.kecamatan:
        exceptions = exceptions.filter(application__desa__parent_id=report.period.kecamatan)
    for actor, count in exceptions.values_list("actor_id").annotate(n=Count("id")).order_by():
        per_officer[str(actor)]["queue_exceptions"] += count
    report.labels["officer"].update(
        {
            str(pk): (first + " " + last).strip() or username
            for pk, first, last, username in User.objects.filter(
                pk__in=[int(key) for key in per_officer if key and key not in report.labels["officer"]]
            ).values_list("pk", "first_name", "last_name", "username")
        }
    )
    fair = sum(1 for row in decided if row["checks"] and row["reasoned"])
    return {
        "decisions": len(decided),
        "checks": share(sum(row["checks"] for row in decided), len(decided)),
        "reasoned": share(sum(row["reasoned"] for row in decided), len(decided)),
        "both": share(fair, len(decided)),
        "officers": sorted(
            (
                {"officer": key, "name": label(report, "officer", key) or "—", **tally}
                for key, tally in per_officer.items()
            ),
            key=lambda item: (-item["decisions"], item["name"]),
        ),
    }


def poor_households(period: Period) -> dict[str, int]:
    """Registered poor households per desa (latest valid assessment: miskin)."""
    qs = Household.objects.filter(poverty_result="miskin")
    if period.kecamatan:
        qs = qs.filter(desa__parent_id=period.kecamatan)
    return dict(qs.values_list("desa_id").annotate(n=Count("id")).order_by())


def _disparity(counts: dict) -> equity.Disparity:
    """Every area is tested, so the level is shared among them (Bonferroni): among 208 desa a
    handful would pass p < 0.01 by chance alone."""
    tested = sum(1 for _count, base in counts.values() if base)
    return equity.disparity(counts, alpha=equity.ALPHA / max(tested, 1))


def _access(report: Report) -> dict:
    poor = poor_households(report.period)
    desa_parent = dict(
        Region.objects.filter(level=Level.DESA, code__in=list(poor) + [row["desa"] for row in report.rows]).values_list(
            "code", "parent_id"
        )
    )
    applications, approvals = Counter(), Counter()
    for row in report.rows:
        applications[row["desa"]] += 1
        approvals[row["desa"]] += row["approved"]
    by_kec = defaultdict(lambda: [0, 0, 0])
    for desa, parent in desa_parent.items():
        by_kec[parent][0] += applications[desa]
        by_kec[parent][1] += approvals[desa]
        by_kec[parent][2] += poor.get(desa, 0)
    names = dict(Region.objects.filter(code__in=list(by_kec) + list(desa_parent)).values_list("code", "name"))
    report.labels["kecamatan"].update(names)
    report.labels["desa"].update(names)
    kec = _disparity({code: (apps, base) for code, (apps, _ok, base) in by_kec.items()})
    kec_ok = _disparity({code: (ok, base) for code, (_a, ok, base) in by_kec.items()})
    desa = _disparity({code: (applications[code], poor.get(code, 0)) for code in desa_parent})
    for result in (kec, kec_ok, desa):
        result.flagged = [names.get(code, code) for code in result.flagged]
    return {
        "kecamatan": kec,
        "kecamatan_approvals": kec_ok,
        "desa": desa,
        "kecamatan_rows": sorted(
            (
                {
                    "code": code,
                    "name": names.get(code, code),
                    "applications": apps,
                    "approvals": ok,
                    "poor": base,
                    "rate": share(apps, base),
                    "approval_rate": share(ok, base),
                    "flagged": names.get(code, code) in kec.flagged,
                }
                for code, (apps, ok, base) in by_kec.items()
            ),
            key=lambda item: item["code"],
        ),
        "desa_rows": sorted(
            (
                {
                    "code": area.area,
                    "name": names.get(area.area, area.area),
                    "kecamatan": desa_parent[area.area],
                    "applications": area.count,
                    "poor": area.base,
                    "rate": area.rate,
                    "p_value": area.p_value,
                    "flagged": area.flagged,
                }
                for area in desa.areas
            ),
            key=lambda item: (not item["flagged"], item["rate"] if item["rate"] is not None else -1),
        ),
    }


def _consistency(report: Report) -> list[dict]:
    decided = [row for row in report.rows if row["decided"]]
    result = []
    for dimension, title in DIMENSIONS:
        days, on_time = defaultdict(list), defaultdict(lambda: [0, 0])
        for row in decided:
            days[row[dimension]].append(row["days"])
            if row["on_time"] is not None:
                on_time[row[dimension]][0] += row["on_time"]
                on_time[row[dimension]][1] += 1
        named_days = {label(report, dimension, k): v for k, v in days.items()}
        if dimension == "service":
            # Each service has its own time standard: only the share within it is comparable.
            summary = {name: {"n": len(v), "median": float(median(v))} for name, v in named_days.items()}
            duration = equity.GroupGap(
                dimension, str(_("tidak diuji (standar waktu berbeda)")), None, None, summary, None, False
            )
        else:
            duration = equity.duration_gap(dimension, named_days)
        within = equity.share_gap(dimension, {label(report, dimension, k): tuple(v) for k, v in on_time.items()})
        groups = []
        for key in sorted(days):
            hits, total = on_time.get(key, (0, 0))
            groups.append(
                {
                    "key": key,
                    "label": label(report, dimension, key),
                    "n": len(days[key]),
                    "median": median(days[key]),
                    "on_time": share(hits, total),
                }
            )
        result.append(
            {"dimension": dimension, "label": title, "duration": duration, "on_time": within, "groups": groups}
        )
    return result


def _outcomes(report: Report) -> dict:
    rows, period = report.rows, report.period
    low, high = period.bounds()
    ids_q = Q(application__received_at__gte=low, application__received_at__lt=high)
    area = {"application__desa__parent_id": period.kecamatan} if period.kecamatan else {}
    referrals = Referral.objects.filter(ids_q, **area).aggregate(
        total=Count("id"), done=Count("id", filter=Q(state=Referral.State.DONE))
    )
    responses = Response.objects.filter(
        invitation__application__received_at__gte=low, invitation__application__received_at__lt=high
    )
    if period.kecamatan:
        responses = responses.filter(kecamatan_id=period.kecamatan)
    complaints = Complaint.objects.filter(received_at__gte=low, received_at__lt=high)
    if period.kecamatan:
        complaints = complaints.filter(kecamatan_id=period.kecamatan)
    by_category = dict(complaints.values_list("category").annotate(n=Count("id")).order_by())
    counts = [by_category.get(key, 0) for key, _name in Category.choices]
    shown = suppress_column(counts, total=sum(counts))
    received = len(rows)
    return {
        "received": received,
        "completed": sum(row["completed"] for row in rows),
        "completion_rate": share(sum(row["completed"] for row in rows), received),
        "approval_rate": share(sum(row["approved"] for row in rows), sum(row["decided"] for row in rows)),
        "referrals": referrals["total"],
        "referral_closure": share(referrals["done"], referrals["total"]),
        "ikm": ikm_of(responses),
        "complaints_total": shown.total,
        "complaints": [
            {
                "category": key,
                "label": str(name),
                "count": count,
                "per_1000": 1000 * count / received if received and count is not None else None,
            }
            for (key, name), count in zip(Category.choices, shown.cells, strict=True)
        ],
    }
