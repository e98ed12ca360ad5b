"""The realisation report's three tables against the same figures worked out row by row from a small
ledger: payments in two kecamatan and two months, a reversal, a row paid from a commitment, a
released commitment, a stock receipt and a household reached by two programmes."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest

from satupintu.budgets import actions, report
from satupintu.budgets.models import Commitment, EntryKind, Flow, LedgerEntry, SourceKind, Unit
from satupintu.regions.models import Level, Region
from tests.conftest import GEMOLONG_DESA, KALIJAMBE, TROBAYAN, apply_for, household_in

from .conftest import YEAR, programme_of, source_with

pytestmark = pytest.mark.django_db
MARCH, JULY = dt.date(YEAR, 3, 5), dt.date(YEAR, 7, 20)


def pay(actor, source, household, on, amount=None, units=None, kind=EntryKind.PAYMENT, **extra):
    return actions.record_entry(
        actor=actor, programme=source.programme, source=source, household=household, kind=kind, on=on,
        amount=amount, units=units, **extra,
    )  # fmt: skip


@pytest.fixture
def ledger(kepala, petugas, keden_household, trobayan_household):
    gemolong = household_in(GEMOLONG_DESA, "Karyo")
    beasiswa = programme_of(kepala, "beasiswa-prestasi", Unit.RUPIAH)
    apbd = source_with(kepala, beasiswa, amount=Decimal(5_000_000))
    baznas = source_with(kepala, beasiswa, amount=Decimal(1_000_000), kind=SourceKind.DONATION, name="Baznas")
    chairs = programme_of(kepala, "kursi-roda", Unit.ITEM)
    donated = source_with(kepala, chairs, units=Decimal(10), kind=SourceKind.DONATION, name="Rotary")
    pay(petugas, apbd, keden_household, MARCH, "250000")
    pay(petugas, apbd, keden_household, JULY, "100000")
    actions.reverse_entry(actor=petugas, entry=pay(petugas, apbd, gemolong, MARCH, "400000"), reason="Salah", on=JULY)
    pay(petugas, baznas, trobayan_household, JULY, "75000")
    kalijambe = Region.objects.get(code=KALIJAMBE)
    kept, released = (apply_for(petugas, household_in(TROBAYAN, name), "beasiswa-prestasi")[0] for name in "AB")
    committed = actions.commit_budget(
        actor=kepala, source=apbd, round_ref="1",
        items=[(a, Decimal(600_000), None, kalijambe) for a in (kept, released)],
    )  # fmt: skip
    pay(petugas, apbd, kept.household, JULY, "600000", application=kept)
    pay(petugas, apbd, released.household, JULY, "600000", application=released)
    actions.release_commitment(actor=kepala, commitment=committed[1], reason="Mundur")
    pay(petugas, donated, None, MARCH, units=4, kind=EntryKind.STOCK_RECEIPT)
    pay(petugas, donated, keden_household, JULY, units=1, kind=EntryKind.STOCK_ISSUE)
    return [beasiswa, chairs]


def worked_out(programmes):
    """The three tables' figures, row by row from the ledger, each in the programme's own unit."""
    rows = list(LedgerEntry.objects.filter(programme__fiscal_year=YEAR).select_related("commitment"))
    reversed_ids = {row.reverses_id for row in rows if row.reverses_id}
    unit_of = {p.pk: p.unit for p in programmes}

    def figure(row):  # a ledger row or a commitment, in its programme's own unit
        return (row.amount if unit_of[row.programme_id] == Unit.RUPIAH else row.units) or Decimal(0)

    sources = []
    for p in programmes:
        for source in p.sources.order_by("id"):
            ceiling = source.revisions.order_by("-valid_from", "-id").first()
            ceiling = ceiling.amount if p.unit == Unit.RUPIAH else ceiling.units
            out = [r for r in rows if r.source_id == source.pk and r.flow == Flow.OUT]
            active = Commitment.objects.filter(source=source, released_at__isnull=True)
            committed = sum((figure(c) for c in active), Decimal(0))
            free = [r for r in out if r.commitment is None or r.commitment.released_at is not None]
            realised = sum((figure(r) for r in out), Decimal(0))
            used = committed + sum((figure(r) for r in free), Decimal(0))
            remaining = ceiling - used
            if p.is_stock:  # never more than received − given or reserved
                received = sum((r.units for r in rows if r.source_id == source.pk and r.flow == Flow.IN), Decimal(0))
                remaining = min(remaining, received - used)
            sources.append([p.name, source.name, ceiling, committed, realised, remaining])
    kecamatan = []
    for code, name in Region.objects.filter(level=Level.KECAMATAN).order_by("name").values_list("code", "name"):
        here = [r for r in rows if r.kecamatan_id == code and r.flow == Flow.OUT]
        values = [sum((figure(r) for r in here if r.programme_id == p.pk), Decimal(0)) for p in programmes]
        reached = {
            (r.programme_id, r.household_id)
            for r in here
            if r.household_id and r.kind != EntryKind.REVERSAL and r.pk not in reversed_ids
        }
        kecamatan.append([name, *values, len(reached)])
    months = []
    for p in programmes:
        per_month = defaultdict(Decimal)
        for r in rows:
            if r.programme_id == p.pk and r.flow == Flow.OUT:
                per_month[r.on.month] += figure(r)
        values = [per_month[m] for m in range(1, 13)]
        months.append([p.name, *values, sum(values, Decimal(0))])
    return sources, kecamatan, months


def test_the_report_sums_the_ledger_as_worked_out_row_by_row(ledger):
    sources, kecamatan, months = report.realisation_tables(YEAR)
    expected_sources, expected_kecamatan, expected_months = worked_out(ledger)
    assert [[r[0], r[1], r[3], r[4], r[5], r[6]] for r in sources.rows] == expected_sources
    assert kecamatan.rows == expected_kecamatan
    assert [[r[0], *r[2:]] for r in months.rows] == expected_months


def test_the_worked_example_reaches_the_households_it_should(ledger):
    _sources, kecamatan, _months = report.realisation_tables(YEAR)
    households = {row[0]: row[-1] for row in kecamatan.rows}
    # Kalijambe: Keden (bursary and a wheelchair: two programmes), Trobayan (Baznas) and the two
    # committed applicants; Gemolong's only payment was reversed.
    assert households["Kalijambe"] == 5
    assert households["Gemolong"] == 0
