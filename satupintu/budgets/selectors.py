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

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone

from .models import CeilingRevision, Commitment, Flow, FundingSource, LedgerEntry, Programme

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


BY = {
    "programme": "programme_id",
    "source": "source_id",
    "kecamatan": "kecamatan_id",
    "desa": "desa_id",
    "month": "month",
    "kind": "kind",
}


def realisation(of, by=("source",), *, area: Q | None = None) -> list[dict]:
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
    result = (
        rows.values(*keys)
        .annotate(
            amount=total("amount"),
            units=total("units"),
            rows=Count("id"),
            households=Count("household_id", distinct=True),
        )
        .order_by(*keys)
    )
    return [{**{name: row[BY[name]] for name in by}, **_figures(row)} for row in result]


def _figures(row) -> dict:
    return {"amount": row["amount"], "units": row["units"], "rows": row["rows"], "households": row["households"]}


def source_figures(sources, on=None) -> list[dict]:
    """Per source: its regency ceiling, committed (active), realised (ledger), used and remaining, with a
    fixed number of queries for any number of sources."""
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
    ledger = {
        r["source_id"]: r
        for r in LedgerEntry.objects.filter(source_id__in=ids)
        .values("source_id")
        .annotate(
            amount=_sum_filtered("amount", Q(flow=Flow.OUT)),
            units=_sum_filtered("units", Q(flow=Flow.OUT)),
            free_amount=_sum_filtered("amount", Q(flow=Flow.OUT) & uncovered_q()),
            free_units=_sum_filtered("units", Q(flow=Flow.OUT) & uncovered_q()),
            received=_sum_filtered("units", Q(flow=Flow.IN)),
        )
    }
    out = []
    empty = {"amount": ZERO, "units": ZERO, "free_amount": ZERO, "free_units": ZERO, "received": ZERO}
    for source in sources:
        row, c, e = latest.get(source.pk), committed.get(source.pk, empty), ledger.get(source.pk, empty)
        used_amount, used_units = c["amount"] + e["free_amount"], c["units"] + e["free_units"]
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
                "realised_amount": e["amount"],
                "realised_units": e["units"],
                "received_units": e["received"],
                "on_hand_units": e["received"] - e["units"],
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
