"""Budget realisation report benchmark: a fiscal year's ledger for a regency's households.

    python -m bench.budget_bench --size 300000 --database-url postgres://postgres@127.0.0.1:5432/satupintu_bench

Generates a registry of `--size` households, the five bounded programmes of the year with ceilings,
and `--rows` ledger rows per household on average (set-based with `lib.bulk.bulk_insert`, chained
like every ledger row, then vacuumed and analysed): a raskin handover in a month, a payment of one
of the rupiah programmes or a wheelchair issued, with one row in a hundred reversed. Then times the
realisation report (`budgets.report.realisation_tables`: per programme and source against the
ceiling, per kecamatan, per month) twice, the second on a warm database. The baseline, in the same
run: a plain `SELECT count(*)` over the same ledger table. WIPES the registry and the budget tables
of the bench database.
"""

import argparse
import datetime as dt
import random
import time
from decimal import Decimal

from bench.common import line, setup_django, wipe_registry

YEAR = 2026
PROGRAMMES = [  # service, unit, per row: amount, units
    ("raskin", "kg", None, Decimal(15)),
    ("beasiswa-prestasi", "rupiah", Decimal(6_000_000), None),
    ("santunan-duka", "rupiah", Decimal(500_000), None),
    ("rtlh-apbd", "rupiah", Decimal(7_500_000), Decimal(1)),
    ("kursi-roda", "unit", None, Decimal(1)),
]
WEIGHTS = [70, 10, 8, 7, 5]


def wipe_budgets() -> None:
    from django.db import connection

    from satupintu.audit.models import ChainHead

    tables = ["budgets_ledgerentry", "budgets_commitment", "budgets_ceilingrevision", "budgets_fundingsource",
              "budgets_programme"]  # fmt: skip
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (the names above)
    ChainHead.objects.filter(stream__in=["budgets_ledgerentry", "budgets_ceilingrevision"]).delete()


def programmes(actor) -> list[tuple]:
    """(programme, source, amount, units) per bounded service, each source with a ceiling."""
    from satupintu.budgets import actions
    from satupintu.catalogue.models import ServiceType

    made = []
    for code, unit, amount, units in PROGRAMMES:
        programme = actions.create_programme(
            actor=actor, service=ServiceType.objects.get(code=code), fiscal_year=YEAR, unit=unit, name=code
        )
        source = actions.add_source(actor=actor, programme=programme, kind="apbd", name="APBD")
        actions.revise_ceiling(
            actor=actor, source=source, amount=Decimal(10) ** 13 if amount else None,
            units=Decimal(10) ** 10 if units else None, valid_from=dt.date(YEAR, 1, 1), reason="Bench",
        )  # fmt: skip
        made.append((programme, source, amount, units))
    return made


COLUMNS = ["programme_id", "source_id", "household_id", "desa_id", "kecamatan_id", "kind", "flow", "amount", "units",
           "on", "method", "recipient_name", "proof", "proof_note", "officer_id", "note", "created_at",
           "reverses_id"]  # fmt: skip


def ledger(actor, made, rows_per_household: float, seed: int = 19) -> int:
    """The year's ledger rows, set-based; one row in a hundred reversed (its negated row beside it)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from satupintu.budgets.models import LedgerEntry
    from satupintu.lib.bulk import bulk_insert
    from satupintu.registry.models import Household

    rng = random.Random(seed)
    households = list(Household.objects.values_list("id", "desa_id", "desa__parent_id").order_by("id"))
    count = int(len(households) * rows_per_household)
    now = timezone.now()
    start = 1 + (LedgerEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0)
    rows, reversals = [], []
    for i in range(count):
        household, desa, kecamatan = households[i % len(households)]
        programme, source, amount, units = rng.choices(made, WEIGHTS)[0]
        on = dt.date(YEAR, rng.randint(1, 12), rng.randint(1, 28))
        kind = "issue" if programme.unit == "unit" else "handover" if units and not amount else "payment"
        row = [programme.pk, source.pk, household, desa, kecamatan, kind, "out", amount, units, on, "", "", "", "",
               actor.pk, "", now, None]  # fmt: skip
        rows.append(row)
        if i % 100 == 99:
            negated = [-amount if amount else None, -units if units else None]
            reversals.append([*row[:5], "reversal", "out", *negated, on, "", "", "", "", actor.pk, "Bench", now,
                              start + i])  # fmt: skip
    with transaction.atomic():
        bulk_insert(LedgerEntry, COLUMNS, rows)
        bulk_insert(LedgerEntry, COLUMNS, reversals)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Chaining rewrote every inserted row once: vacuumed, as autovacuum keeps a ledger written
            # over a year, so the report reads live rows (and the count its index alone). Inside a
            # transaction (the bench's test) VACUUM cannot run; the statistics are still refreshed.
            vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            cursor.execute(f"{vacuum} budgets_ledgerentry")
    return len(rows) + len(reversals)


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def count_rows() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM budgets_ledgerentry")
        return cursor.fetchone()[0]


def run(households: int, rows_per_household: float = 2.0, *, generate_registry: bool = True) -> dict:
    from satupintu.accounts.models import Role, User
    from satupintu.budgets import report
    from satupintu.demo.registry import generate

    wipe_budgets()
    if generate_registry:
        wipe_registry()
        generate(households, seed=2012)
    kepala, _created = User.objects.get_or_create(username="bench.kepala", defaults={"role": Role.KEPALA})
    made = programmes(kepala)
    written = ledger(kepala, made, rows_per_household)
    runs = [timed(report.realisation_tables, YEAR) for _ in range(2)]
    base_seconds, counted = timed(count_rows)
    tables = runs[-1][1]
    return {
        "households": households,
        "rows": written,
        "counted": counted,
        "first_seconds": runs[0][0],
        "second_seconds": runs[1][0],
        "baseline_seconds": base_seconds,
        "programme_rows": len(tables[0].rows),
        "realised": {row[0]: row[5] for row in tables[0].rows},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=300_000, help="households")
    parser.add_argument("--rows", type=float, default=2.0, help="ledger rows per household (average)")
    parser.add_argument("--small", action="store_true", help="300 households")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    setup_django(args.database_url)
    from django.db import connection

    r = run(300 if args.small else args.size, args.rows)
    line("database", connection.vendor)
    line("households / ledger rows", f"{r['households']:,} / {r['rows']:,}")
    line("realisation report (first)", f"{r['first_seconds']:.2f} s")
    line("realisation report (second, warm)", f"{r['second_seconds']:.2f} s")
    line("baseline: SELECT count(*) of the ledger", f"{r['baseline_seconds']:.3f} s ({r['counted']:,} rows)")
    line("report / baseline", f"{r['second_seconds'] / max(r['baseline_seconds'], 1e-6):.1f} ×")


if __name__ == "__main__":
    main()
