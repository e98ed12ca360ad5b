"""Reads of the budget programmes: ceilings, what is used, what remains, and the realisation (the sum of
the ledger; no figure is typed by hand).

Used on a source = its active commitments + its outgoing ledger rows not paid from an active
commitment (a row paid from a commitment is already counted by it). Remaining = ceiling − used, in
each dimension (rupiah, units) that has a ceiling; for a stock programme the units are also bounded
by the stock received. `None` in a figure means "no bound in this dimension".
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, DecimalField, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone

from .models import CeilingRevision, Commitment, EntryKind, Flow, FundingSource, LedgerEntry, Programme

ZERO = Decimal(0)


@dataclass(frozen=True)
class Figures:
    amount: Decimal | None
    units: Decimal | None


def total(field: str):
    """The sum of a decimal column, 0 when there are no rows."""
    return _sum_filtered(field, None)


def _sum_filtered(field: str, flt: Q | None):
    return Coalesce(Sum(field, filter=flt), Value(ZERO), output_field=DecimalField(max_digits=20, decimal_places=2))


def ceiling(source, kecamatan=None, on: dt.date | None = None) -> CeilingRevision | None:
    """The revision in force on `on` (today) for the regency (`kecamatan` None) or one kecamatan's split."""
    on = on or timezone.localdate()
    rows = CeilingRevision.objects.filter(source=source, valid_from__lte=on)
    rows = rows.filter(kecamatan__isnull=True) if kecamatan is None else rows.filter(kecamatan=kecamatan)
    return rows.order_by("-valid_from", "-id").first()


def uncovered_q(prefix: str = "") -> Q:
    """Ledger rows not paid from an active commitment."""
    return Q(**{f"{prefix}commitment__isnull": True}) | Q(**{f"{prefix}commitment__released_at__isnull": False})


def used(source, kecamatan=None) -> Figures:
    commitments = Commitment.objects.filter(source=source, released_at__isnull=True)
    ledger = LedgerEntry.objects.filter(uncovered_q(), source=source, flow=Flow.OUT)
    if kecamatan is not None:
        commitments, ledger = commitments.filter(kecamatan=kecamatan), ledger.filter(kecamatan=kecamatan)
    c = commitments.aggregate(amount=total("amount"), units=total("units"))
    e = ledger.aggregate(amount=total("amount"), units=total("units"))
    return Figures(c["amount"] + e["amount"], c["units"] + e["units"])


def stock(source) -> Figures:
    """Units received (net of reversals) and on hand (received − issued) of a stock source."""
    rows = LedgerEntry.objects.filter(source=source).aggregate(
        received=_sum_filtered("units", Q(flow=Flow.IN)), issued=_sum_filtered("units", Q(flow=Flow.OUT))
    )
    return Figures(rows["received"], rows["received"] - rows["issued"])


def headroom(source, kecamatan=None, on=None) -> Figures:
    """Ceiling − used for the regency or for one kecamatan's split only (None: no bound)."""
    row = ceiling(source, kecamatan, on)
    spent = used(source, kecamatan)
    amount = None if row is None or row.amount is None else row.amount - spent.amount
    units = None if row is None or row.units is None else row.units - spent.units
    if kecamatan is None and source.programme.is_stock:
        on_stock = stock(source).amount - spent.units  # received − reserved or given
        units = on_stock if units is None else min(units, on_stock)
    return Figures(amount, units)


def _least(a, b):
    if a is None:
        return b
    return a if b is None else min(a, b)


def remaining(source, kecamatan=None, on=None) -> Figures:
    """What can still be committed: on the regency ceiling and, for a kecamatan, on its split too."""
    regency = headroom(source, None, on)
    if kecamatan is None:
        return regency
    split = headroom(source, kecamatan, on)
    return Figures(_least(regency.amount, split.amount), _least(regency.units, split.units))


# A household is reached by a row that is not a reversal and was not reversed.
REACHED = Q(reversed_by__isnull=True) & ~Q(kind="reversal")

BY = {
    "programme": "programme_id",
    "source": "source_id",
    "kecamatan": "kecamatan_id",
    "desa": "desa_id",
    "month": "month",
    "kind": "kind",
}


def realisation(of, by=("source",), *, area: Q | None = None, households: bool = True) -> list[dict]:
    """The ledger's outgoing rows (reversals included, negated) summed per the `by` keys: `of` is a
    Programme, a fiscal year (int) or a queryset of ledger rows. Each row: the keys, amount, units, rows
    (ledger rows counted, reversals included) and households (distinct households reached)."""
    if isinstance(of, Programme):
        rows = LedgerEntry.objects.filter(programme=of)
    elif isinstance(of, int):
        rows = LedgerEntry.objects.filter(programme__fiscal_year=of)
    else:
        rows = of
    rows = rows.filter(flow=Flow.OUT)
    if area is not None:
        rows = rows.filter(area)
    if "month" in by:
        rows = rows.annotate(month=ExtractMonth("on"))
    keys = [BY[name] for name in by]
    # Households reached (a distinct count over a join to the reversing rows) only when asked: the
    # costliest part of a year's report.
    reached = {"households": Count("household_id", distinct=True, filter=REACHED)} if households else {}
    result = (
        rows.values(*keys)
        .annotate(amount=total("amount"), units=total("units"), rows=Count("id"), **reached)
        .order_by(*keys)
    )
    return [{**{name: row[BY[name]] for name in by}, **_figures(row)} for row in result]


def _figures(row) -> dict:
    return {"amount": row["amount"], "units": row["units"], "rows": row["rows"], "households": row.get("households")}


# Per group of ledger rows: realised (out), the part of it paid from an active commitment (covered:
# already counted by the commitment) and stock received. Few rows are covered or incoming, so the
# two filtered sums cost little.
LEDGER_SUMS = {
    "out_amount": ("amount", Q(flow=Flow.OUT)),
    "out_units": ("units", Q(flow=Flow.OUT)),
    "covered_amount": ("amount", Q(flow=Flow.OUT, commitment__isnull=False, commitment__released_at__isnull=True)),
    "covered_units": ("units", Q(flow=Flow.OUT, commitment__isnull=False, commitment__released_at__isnull=True)),
    "received": ("units", Q(flow=Flow.IN)),
}


def _ledger_sums() -> dict:
    return {name: _sum_filtered(field, flt) for name, (field, flt) in LEDGER_SUMS.items()}


def source_figures(sources, on=None, ledger: dict | None = None) -> list[dict]:
    """Per source: its regency ceiling, committed (active), realised (ledger), used and remaining, with a
    fixed number of queries for any number of sources. `ledger` (source id → `LEDGER_SUMS`) is given
    when the caller has already summed the sources' ledger rows."""
    sources = list(sources)
    on = on or timezone.localdate()
    ids = [s.pk for s in sources]
    latest = {}
    for row in CeilingRevision.objects.filter(source_id__in=ids, kecamatan__isnull=True, valid_from__lte=on).order_by(
        "source_id", "valid_from", "id"
    ):
        latest[row.source_id] = row
    committed = {
        r["source_id"]: r
        for r in Commitment.objects.filter(source_id__in=ids, released_at__isnull=True)
        .values("source_id")
        .annotate(amount=total("amount"), units=total("units"))
    }
    if ledger is None:
        ledger = {
            r["source_id"]: r
            for r in LedgerEntry.objects.filter(source_id__in=ids).values("source_id").annotate(**_ledger_sums())
        }
    out = []
    empty = dict.fromkeys(LEDGER_SUMS, ZERO)
    for source in sources:
        row, e = latest.get(source.pk), ledger.get(source.pk, empty)
        c = committed.get(source.pk, {"amount": ZERO, "units": ZERO})
        # Used: the active commitments and the realised rows they do not cover.
        used_amount = c["amount"] + e["out_amount"] - e["covered_amount"]
        used_units = c["units"] + e["out_units"] - e["covered_units"]
        ceiling_amount = row.amount if row else None
        ceiling_units = row.units if row else None
        remaining_amount = None if ceiling_amount is None else ceiling_amount - used_amount
        remaining_units = None if ceiling_units is None else ceiling_units - used_units
        if source.programme.is_stock:
            remaining_units = _least(remaining_units, e["received"] - used_units)
        out.append(
            {
                "source": source,
                "ceiling": row,
                "ceiling_amount": ceiling_amount,
                "ceiling_units": ceiling_units,
                "committed_amount": c["amount"],
                "committed_units": c["units"],
                "realised_amount": e["out_amount"],
                "realised_units": e["out_units"],
                "received_units": e["received"],
                "on_hand_units": e["received"] - e["out_units"],
                "remaining_amount": remaining_amount,
                "remaining_units": remaining_units,
            }
        )
    return out


def programmes(year: int | None = None):
    rows = Programme.objects.select_related("service").order_by("service__order", "service__code")
    return rows.filter(fiscal_year=year) if year else rows


def sources_of(programme):
    return FundingSource.objects.filter(programme=programme).select_related("programme").order_by("id")


def revisions_of(programme):
    return (
        CeilingRevision.objects.filter(source__programme=programme)
        .select_related("source", "kecamatan", "actor")
        .order_by("source_id", "kecamatan_id", "valid_from", "id")
    )


def ledger_area_q(user) -> Q:
    """The ledger rows a user may see one by one: those of the user's area (`area_q` through the
    household's desa); stock receipts (no household) only for unbound unit staff."""
    from satupintu.accounts.scoping import area_q

    q = area_q(user, "desa")
    if q == Q():
        return q
    return q & Q(desa__isnull=False)


def ledger_for(user, programme=None):
    rows = LedgerEntry.objects.filter(ledger_area_q(user))
    if programme is not None:
        rows = rows.filter(programme=programme)
    return rows.select_related("programme", "source", "household", "officer", "desa", "reverses", "reversed_by")


def entry_for(user, pk) -> LedgerEntry:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(ledger_for(user), pk=pk)


def year_overview(year: int, ledger: dict | None = None) -> list[dict]:
    """The year's programmes, each with its sources' figures (`source_figures`, `ledger` passed on), in
    a fixed number of queries."""
    progs = list(programmes(year))
    sources = FundingSource.objects.filter(programme__in=progs).select_related("programme").order_by("id")
    figures = source_figures(sources, ledger=ledger)
    out = []
    for programme in progs:
        rows = [f for f in figures if f["source"].programme_id == programme.pk]
        out.append({"programme": programme, "sources": rows, "total": _totals(rows)})
    return out


def _totals(rows) -> dict:
    """Column totals of source rows; a ceiling or remainder total is None when a source has none."""
    keys = (
        "ceiling_amount",
        "ceiling_units",
        "committed_amount",
        "committed_units",
        "realised_amount",
        "realised_units",
        "remaining_amount",
        "remaining_units",
        "received_units",
        "on_hand_units",
    )
    total = {}
    for key in keys:
        values = [row[key] for row in rows]
        total[key] = None if not values or any(v is None for v in values) else sum(values, ZERO)
    return total


def years() -> list[int]:
    return sorted(set(Programme.objects.values_list("fiscal_year", flat=True)), reverse=True)


def _latest_splits(programme, on) -> dict:
    """(source id, kecamatan code) → the split revision in force."""
    latest = {}
    rows = CeilingRevision.objects.filter(
        source__programme=programme, kecamatan__isnull=False, valid_from__lte=on
    ).order_by("valid_from", "id")
    for row in rows:
        latest[(row.source_id, row.kecamatan_id)] = row
    return latest


def poor_per_kecamatan() -> dict[str, int]:
    """Registered poor households (latest valid assessment: miskin) per kecamatan."""
    from satupintu.registry.models import Household

    rows = Household.objects.filter(poverty_result="miskin")
    return dict(rows.values_list("desa__parent_id").annotate(n=Count("id")).order_by())


def kecamatan_rows(programme, on=None, poor: dict | None = None) -> list[dict]:
    """Per kecamatan of the regency: the split ceiling (sum over sources, None without a split),
    committed, realised, households reached, poor households, and the kecamatan's share of what was
    realised beside its share of the poor households (in the programme's own unit)."""
    from satupintu.regions.models import Level, Region

    on = on or timezone.localdate()
    use = "amount" if programme.unit == "rupiah" else "units"
    realised = {r["kecamatan"]: r for r in realisation(programme, by=("kecamatan",))}
    committed = {
        r["kecamatan_id"]: r
        for r in Commitment.objects.filter(programme=programme, released_at__isnull=True)
        .values("kecamatan_id")
        .annotate(amount=total("amount"), units=total("units"))
    }
    splits = {}
    for (_source, code), row in _latest_splits(programme, on).items():
        value = getattr(row, use)
        if value is not None:
            splits[code] = splits.get(code, ZERO) + value
    poor = poor_per_kecamatan() if poor is None else poor
    total_realised = sum((r[use] for r in realised.values()), ZERO)
    total_poor = sum(poor.values())
    out = []
    for kecamatan in Region.objects.filter(level=Level.KECAMATAN).order_by("name"):
        code = kecamatan.code
        got = realised.get(code, {})
        value = got.get(use, ZERO)
        out.append(
            {
                "kecamatan": kecamatan,
                "ceiling": splits.get(code),
                "committed": committed.get(code, {}).get(use, ZERO),
                "realised": value,
                "households": got.get("households", 0),
                "poor": poor.get(code, 0),
                "share": value / total_realised if total_realised else None,
                "poor_share": Decimal(poor.get(code, 0)) / total_poor if total_poor else None,
            }
        )
    return out


def waiting(programme) -> int:
    """Open applications of the programme's service that hold neither an active commitment nor a
    ledger row of the programme: those still waiting for the budget."""
    from satupintu.cases.models import Application
    from satupintu.cases.status import OPEN_STATUSES

    return (
        Application.objects.filter(service_id=programme.service_id, status__in=OPEN_STATUSES)
        .exclude(commitments__programme=programme, commitments__released_at__isnull=True)
        .exclude(ledger_entries__programme=programme)
        .count()
    )


def households_reached(programme) -> int:
    """Distinct households given something by a row that was not reversed."""
    rows = LedgerEntry.objects.filter(REACHED, programme=programme, flow=Flow.OUT, household__isnull=False)
    return rows.values("household_id").distinct().count()


@dataclass
class YearFigures:
    """A fiscal year's ledger summed three ways (`year_figures`)."""

    by_source: dict  # source id → `LEDGER_SUMS`
    kecamatan: dict  # (programme id, kecamatan code) → amount, units, rows, households (as `realisation`)
    months: dict  # (programme id, month 1–12) → amount, units, rows


# Room for a year's aggregates in memory on PostgreSQL (a hash table of a few thousand groups, a sort
# of the year's rows for the distinct households), for the report's transaction only: with the
# default 4 MB both spill to disk. A tuning choice, not a regulation.
REPORT_WORK_MEM = "64MB"


def year_figures(year: int) -> YearFigures:
    """The year's ledger per source (as `source_figures` reads it), per programme and kecamatan and per
    programme and month (as `realisation` sums them), in two queries of the ledger: one pass summing
    the rows per source, kecamatan and month (a few thousand groups, rolled up here: the sums add up
    exactly), and the households reached per programme and kecamatan, counted over the rows that are
    neither a reversal nor reversed (from the `budgets_ledger_reaching` index)."""
    # The programmes' ids rather than a join: the planner then knows the rows are the whole year's.
    programme_ids = list(Programme.objects.filter(fiscal_year=year).values_list("id", flat=True))
    of_year = LedgerEntry.objects.filter(programme_id__in=programme_ids)
    out = Q(flow=Flow.OUT)
    sources, kecamatan, months = {}, {}, {}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL work_mem = '{REPORT_WORK_MEM}'")
        fine = (
            of_year.annotate(month=ExtractMonth("on"))
            .values("source_id", "programme_id", "kecamatan_id", "month")
            .annotate(**_ledger_sums(), rows=Count("id", filter=out))
            .order_by()
        )
        for row in fine:
            _add(sources, row["source_id"], row, {name: name for name in LEDGER_SUMS})
            if row["rows"]:
                _add(kecamatan, (row["programme_id"], row["kecamatan_id"]), row, REALISED, households=0)
                _add(months, (row["programme_id"], row["month"]), row, REALISED)
        reversed_ = LedgerEntry.objects.filter(reverses__isnull=False, reverses_id=OuterRef("pk"))
        reached = (
            of_year.filter(out, ~Exists(reversed_), household__isnull=False)
            .exclude(kind=EntryKind.REVERSAL)
            .values("programme_id", "kecamatan_id")
            .annotate(households=Count("household_id", distinct=True))
            .order_by()
        )
        for row in reached:
            kecamatan[(row["programme_id"], row["kecamatan_id"])]["households"] = row["households"]
    return YearFigures(sources, kecamatan, months)


REALISED = {"amount": "out_amount", "units": "out_units", "rows": "rows"}  # name in `realisation` → in the pass


def _add(into: dict, key, row: dict, names: dict, **start) -> None:
    """Add the row's figures to `into[key]`: `names` maps each figure to the row's column."""
    figures = into.get(key)
    if figures is None:
        figures = into[key] = {name: 0 if name == "rows" else ZERO for name in names} | start
    for name, column in names.items():
        figures[name] += row[column]


def month_rows(of) -> list[dict]:
    """Realisation per programme and month (1–12) of a fiscal year."""
    return realisation(of, by=("programme", "month"), households=False)


__all__ = [
    "Figures",
    "ceiling",
    "headroom",
    "realisation",
    "remaining",
    "source_figures",
    "stock",
    "used",
]
