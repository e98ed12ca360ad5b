"""Allocation round benchmark: open + rank + propose over a pile of applications.

    python -m bench.round_bench --size 20000 --database-url postgres://postgres@127.0.0.1:5432/satupintu_bench

Generates a registry of `--size` households, gives each household's head an RTLH APBD application
waiting at the decision step (inserted set-based) and a programme whose ceiling reaches a quarter
of them, then times `allocation.actions.open_round` twice (the second on a warm database): the
facts gathered in a few queries, every applicant scored by the priority rule, the proposal line
drawn inside the remaining ceiling and every entry written. The baseline, in the same run: raw
SELECTs of the same input rows (applications, latest assessments, member counts, heads) with no
logic and no writes. WIPES the registry, application and budget tables of the bench database.
"""

import argparse
import datetime as dt
import time

from bench.common import line, setup_django, wipe_registry

SERVICE = "rtlh-apbd"


def wipe_rounds() -> None:
    from django.db import connection

    tables = ["allocation_roundevent", "allocation_roundentry", "allocation_allocationround", "budgets_commitment",
              "budgets_ledgerentry", "budgets_ceilingrevision", "budgets_fundingsource", "budgets_programme",
              "cases_event", "cases_documentcheck", "cases_application"]  # fmt: skip
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
            return
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (the names above)


def applications(actor) -> int:
    """One RTLH application per household with a head, at the decision step, set-based."""
    from django.utils import timezone

    from satupintu.cases.models import Application
    from satupintu.catalogue.models import ServiceType
    from satupintu.registry.models import Household

    service = ServiceType.objects.get(code=SERVICE)
    start = timezone.now() - dt.timedelta(days=200)
    rows = Household.objects.filter(head__isnull=False).values_list("id", "head_id", "desa_id").order_by("id")
    batch = [
        Application(
            number=f"BENCH-{i:07d}",
            pin_hash="-",
            service=service,
            applicant_id=head,
            household_id=household,
            desa_id=desa,
            channel="desk",
            status="decision",
            received_at=start + dt.timedelta(minutes=i % 50_000),
            received_by=actor,
            rules_result={"eligible": True},
        )  # fmt: skip
        for i, (household, head, desa) in enumerate(rows)
    ]
    Application.objects.bulk_create(batch, batch_size=5000)
    return len(batch)


def programme(actor, recipients: int):
    from satupintu.allocation import costs
    from satupintu.budgets import actions as budgets
    from satupintu.catalogue.models import ServiceType

    today = dt.date.today()
    made = budgets.create_programme(
        actor=actor, service=ServiceType.objects.get(code=SERVICE), fiscal_year=today.year, unit="rupiah", name="RTLH"
    )
    source = budgets.add_source(actor=actor, programme=made, kind="apbd", name="APBD")
    amount, _units = costs.per_applicant(SERVICE, today)
    budgets.revise_ceiling(actor=actor, source=source, amount=amount * recipients, units=None,
                           valid_from=dt.date(today.year, 1, 1), reason="Bench")  # fmt: skip
    return made, source


def raw_select() -> int:
    """Floor: the same input rows, fetched raw with no logic."""
    from django.db import connection

    fetched = 0
    with connection.cursor() as cursor:
        for sql in (
            "SELECT a.id, a.number, a.received_at, a.household_id, a.details, d.parent_id FROM cases_application a "
            "JOIN regions_region d ON d.code = a.desa_id WHERE a.status = 'decision'",
            "SELECT household_id, method, result, desil, score FROM registry_povertyassessment WHERE is_valid "
            "ORDER BY household_id, assessed_on DESC, id DESC",
            "SELECT household_id, COUNT(*), COUNT(*) FILTER (WHERE disability <> 'tidak_ada') FROM registry_person "
            "GROUP BY household_id"
            if connection.vendor == "postgresql"
            else "SELECT household_id, COUNT(*), SUM(disability <> 'tidak_ada') FROM registry_person GROUP BY 1",
            "SELECT h.id, p.sex, p.birth_date FROM registry_household h JOIN registry_person p ON p.id = h.head_id",
        ):
            cursor.execute(sql)
            while rows := cursor.fetchmany(50_000):
                fetched += len(rows)
    return fetched


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def run(households: int, *, generate_registry: bool = True) -> dict:
    from django.db import connection

    from satupintu.accounts.models import Role, User
    from satupintu.allocation.actions import open_round
    from satupintu.demo.registry import generate

    wipe_rounds()
    if generate_registry:
        wipe_registry()
        generate(households, seed=2012)
    kasi, _created = User.objects.get_or_create(username="bench.kasi", defaults={"role": Role.KASI})
    made = applications(kasi)
    programme_, source = programme(kasi, made // 4)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    rounds = []
    for _ in range(2):
        seconds, round_ = timed(open_round, actor=kasi, programme=programme_, source=source)
        rounds.append((seconds, round_))
    base_seconds, fetched = timed(raw_select)
    last = rounds[-1][1]
    return {
        "applicants": made,
        "first_seconds": rounds[0][0],
        "second_seconds": rounds[1][0],
        "entries": last.entries.count(),
        "proposed": last.entries.filter(proposed=True).count(),
        "baseline_seconds": base_seconds,
        "fetched": fetched,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=20_000, help="households, one applicant each")
    parser.add_argument("--small", action="store_true", help="300 households")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    setup_django(args.database_url)
    from django.db import connection

    r = run(300 if args.small else args.size)
    line("database", connection.vendor)
    line("applicants at the decision step", f"{r['applicants']:,}")
    line("open + rank + propose (first)", f"{r['first_seconds']:.2f} s")
    line("open + rank + propose (second, warm)", f"{r['second_seconds']:.2f} s")
    line("entries written / proposed", f"{r['entries']:,} / {r['proposed']:,}")
    line("baseline: raw SELECT of the same inputs", f"{r['baseline_seconds']:.2f} s ({r['fetched']:,} rows)")


if __name__ == "__main__":
    main()
