"""The distributive criterion of the equity audit on money and goods: what the budget programmes'
ledger gave per registered poor household in each kecamatan, and whether a kecamatan's share departs
from its share of the poor households beyond what chance explains.

From the ledger's outgoing rows dated in the period (payments, handovers, stock issued); a reversed
row and its reversal both leave out, so corrections are netted. Rupiah and each unit (kg, places,
houses, items) per poor household per kecamatan, with their Gini across kecamatan. The test is on
counts: households reached per programme (a household counted once per programme) against the
kecamatan's share of the poor households, two-sided Poisson (`lib.equity.share_departure`). The
allocation rounds' deviations from the ranked order, with their reasons and who decided, are listed
beside it when the allocation app is installed.
"""

from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from satupintu.allocation import selectors as allocation_selectors
from satupintu.budgets.models import EntryKind, Flow, LedgerEntry, Unit
from satupintu.lib import equity
from satupintu.regions.models import Region

ZERO = Decimal(0)


def _ledger(period):
    rows = LedgerEntry.objects.filter(flow=Flow.OUT, on__gte=period.start, on__lte=period.end)
    rows = rows.exclude(kind=EntryKind.REVERSAL).filter(reversed_by__isnull=True)
    return rows.filter(kecamatan_id=period.kecamatan) if period.kecamatan else rows


def _per(value, base):
    return None if not base else value / base


def build(period, poor_by_desa: dict[str, int]) -> dict:
    """poor_by_desa: registered poor households per desa code (the report's base)."""
    parents = dict(Region.objects.filter(code__in=list(poor_by_desa)).values_list("code", "parent_id"))
    poor: dict[str, int] = {}
    for desa, n in poor_by_desa.items():
        poor[parents[desa]] = poor.get(parents[desa], 0) + n
    ledger = _ledger(period)
    sums = ledger.values_list("kecamatan_id", "programme__unit").annotate(amount=Sum("amount"), units=Sum("units"))
    sums = sums.order_by()
    rupiah: dict[str, Decimal] = {}
    units: dict[str, dict[str, Decimal]] = {}
    for kecamatan, unit, amount, count in sums:
        rupiah[kecamatan] = rupiah.get(kecamatan, ZERO) + (amount or ZERO)
        if unit != Unit.RUPIAH and count:
            units.setdefault(unit, {})[kecamatan] = units.get(unit, {}).get(kecamatan, ZERO) + count
    reached: dict[str, int] = {}
    per_programme = ledger.values_list("kecamatan_id", "programme_id").annotate(n=Count("household", distinct=True))
    for kecamatan, _programme, n in per_programme.order_by():
        reached[kecamatan] = reached.get(kecamatan, 0) + n
    codes = sorted({*poor, *rupiah, *reached} - {None})
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    tests = {row.area: row for row in equity.share_departure({c: (reached.get(c, 0), poor.get(c, 0)) for c in codes})}
    total_rupiah, total_poor = sum(rupiah.values(), ZERO), sum(poor.values())
    unit_labels = {unit: str(Unit(unit).label) for unit in sorted(units)}
    rows = []
    for code in codes:
        test = tests[code]
        rows.append(
            {
                "code": code,
                "name": names.get(code, code),
                "poor": poor.get(code, 0),
                "rupiah": rupiah.get(code, ZERO),
                "rupiah_per_poor": _per(rupiah.get(code, ZERO), poor.get(code, 0)),
                "units_per_poor": {u: _per(units[u].get(code, ZERO), poor.get(code, 0)) for u in unit_labels},
                "units": {u: units[u].get(code, ZERO) for u in unit_labels},
                "share_rupiah": _per(rupiah.get(code, ZERO), total_rupiah),
                "share_poor": _per(poor.get(code, 0), total_poor),
                "reached": test.observed,
                "expected": test.expected,
                "ratio": test.ratio,
                "p_value": test.p_value,
                "flagged": test.flagged,
            }
        )
    with_poor = [row for row in rows if row["poor"]]
    return {
        "rows": rows,
        "units": unit_labels,
        "total_rupiah": total_rupiah,
        "total_reached": sum(reached.values()),
        "gini_rupiah": equity.gini([float(row["rupiah_per_poor"]) for row in with_poor]),
        "gini_units": {u: equity.gini([float(row["units_per_poor"][u]) for row in with_poor]) for u in unit_labels},
        "flagged": [row["name"] for row in rows if row["flagged"]],
        "deviations": deviations(period),
    }


def finding(row) -> str:
    direction = _("jauh di bawah") if row["ratio"] < 1 else _("jauh di atas")
    return _(
        "Distributif: %(area)s menerima %(reached)s penerimaan bantuan, %(direction)s bagiannya menurut jumlah "
        "rumah tangga miskin (harapan %(expected).1f; uji Poisson dua sisi, p = %(p).2g)."
    ) % {
        "area": row["name"],
        "reached": row["reached"],
        "direction": direction,
        "expected": row["expected"],
        "p": row["p_value"],
    }


def deviations(period) -> list[dict]:
    """The allocation rounds' decisions that depart from the ranked order in the period, each with its
    reason and who decided."""
    rows = allocation_selectors.deviations((period.start, period.end))
    if period.kecamatan:
        rows = rows.filter(kecamatan_id=period.kecamatan)
    return [
        {
            "service": row.round.programme.service.name,
            "application": row.application.number,
            "kecamatan": row.kecamatan.name,
            "rank": row.rank,
            "proposed": row.proposed,
            "reason": row.deviation_reason,
            "actor": (row.decided_by.get_full_name() or row.decided_by.username) if row.decided_by else "",
            "decided_at": row.decided_at or row.round.decided_at,
        }
        for row in rows
    ]


WITHHELD = "—"


def withhold_identifiers(report, user) -> None:
    """For a reader without access to households (the auditor), the deviations keep their service,
    kecamatan, rank, direction and decider but not the application number nor the written reason,
    which can name a household's circumstances (an illness, a family matter)."""
    if user is not None and user.can_read_registry:
        return
    for row in (report.distributive or {}).get("deviations") or []:
        row["application"] = row["reason"] = WITHHELD
