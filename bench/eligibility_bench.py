"""Batch eligibility benchmark over a generated regency registry.

    python -m bench.eligibility_bench --size 300000 --database-url postgres://postgres@127.0.0.1:5432/satupintu_bench

Times `run_targeting` (read every household's facts, apply every rule, compare with the stored
open lines, write the differences with the rule version, hash) three times: the first run over an
empty history writes every line; the second, same inputs, must give the same hash, no changes and
no written lines; before the third, ~1 % of households change (`change_one_percent`). The
baseline, in the same run: only reading the same inputs raw and COPYing the same number of result
rows into an unindexed table. WIPES the registry tables of the bench database.
"""

import argparse
import time

from bench.common import line, measured, setup_django, wipe_registry


def targeting() -> dict:
    from satupintu.targeting.run import run_targeting

    run = run_targeting()
    results = sum(run.counts.values())
    return {"hash": run.result_hash, "results": results, "added": run.added, "removed": run.removed,
            "changed": run.changed, "households": run.households, "profile": run.profile}  # fmt: skip


def change_one_percent() -> int:
    """About 1 % of households change: every 100th household's DTSEN desil moves by 5 (1–5 ↔ 6–10),
    and in every 300th (offset 150) the members without health insurance get BPJS mandiri and
    those with it none. Both undo themselves when applied twice. Returns the households touched."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_povertyassessment SET desil = CASE WHEN desil <= 5 THEN desil + 5 ELSE desil - 5 END "
            "WHERE method = 'dtsen' AND desil IS NOT NULL AND household_id %% %s = 0",
            [100],
        )
        cursor.execute(
            "UPDATE registry_person SET health_insurance = CASE health_insurance WHEN %s THEN %s ELSE %s END "
            "WHERE health_insurance IN (%s, %s) AND household_id %% %s = %s",
            ["tidak_ada", "bpjs_mandiri", "tidak_ada", "tidak_ada", "bpjs_mandiri", 300, 150],
        )
        cursor.execute(
            "SELECT COUNT(*) FROM registry_household WHERE id IN (SELECT household_id FROM registry_povertyassessment "
            "WHERE method = 'dtsen' AND desil IS NOT NULL AND household_id %% %s = 0) OR id %% %s = %s",
            [100, 300, 150],
        )
        return cursor.fetchone()[0]


def raw_read_write(results: int) -> int:
    """Floor: fetch the same inputs without any logic, write `results` rows without indexes."""
    from django.db import connection

    from satupintu.lib.bulk import bulk_insert

    fetched = 0
    with connection.cursor() as cursor:
        for sql in (
            "SELECT household_id, health_insurance FROM registry_person WHERE household_id IS NOT NULL",
            "SELECT household_id, method, desil, result, assessed_on FROM registry_povertyassessment WHERE is_valid",
            "SELECT id, household_id, school_status FROM registry_person WHERE school_status IN ('sd', 'smp', 'sma')",
        ):
            cursor.execute(sql)
            while rows := cursor.fetchmany(50000):
                fetched += len(rows)
        cursor.execute("DROP TABLE IF EXISTS bench_results")
        cursor.execute("CREATE TABLE bench_results AS SELECT * FROM targeting_eligibility WHERE 1 = 0")

    class Raw:
        class _meta:
            db_table = "bench_results"

    columns = ["id", "from_run_id", "service", "household_id", "person_id", "tier", "members", "reason"]
    rows = ((i, 0, "svc", 1, None, "", 1, "x") for i in range(results))
    bulk_insert(Raw, columns, rows)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_results")
    return fetched


def _empty_targeting() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE targeting_change, targeting_eligibility, targeting_targetingrun")
        else:
            for table in ("targeting_change", "targeting_eligibility", "targeting_targetingrun"):
                cursor.execute(f"DELETE FROM {table}")


def _settle() -> None:
    """Statistics as a running database has them (autovacuum may be off, as on the bench machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def run(households: int, *, isolate: bool = True, keep_registry: bool = False) -> dict:
    from satupintu.demo.registry import generate
    from satupintu.registry.models import Household, Person

    if keep_registry and Household.objects.count() == households:
        _empty_targeting()
        made_h, made_p = households, Person.objects.count()
    else:
        wipe_registry()
        made_h, made_p = generate(households, seed=2012)
    _settle()
    first_s, first_mb, first = measured(targeting, isolate=isolate)
    second_s, second_mb, second = measured(targeting, isolate=isolate)
    touched = change_one_percent()
    third_s, third_mb, third = measured(targeting, isolate=isolate)
    base_s, base_mb, fetched = measured(raw_read_write, first["results"], isolate=isolate)
    return {"households": made_h, "people": made_p, "first_seconds": first_s, "first_peak_mb": first_mb,
            "second_seconds": second_s, "second_peak_mb": second_mb, "baseline_seconds": base_s,
            "baseline_peak_mb": base_mb, "first": first, "second": second, "fetched": fetched,
            "third_seconds": third_s, "third_peak_mb": third_mb, "third": third, "touched": touched}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=300_000, help="households")
    parser.add_argument("--small", action="store_true", help="1,000 households")
    parser.add_argument("--database-url")
    parser.add_argument("--keep-registry", action="store_true", help="reuse a registry of exactly --size households")
    args = parser.parse_args()
    setup_django(args.database_url)
    from django.db import connection

    start = time.perf_counter()
    r = run(1000 if args.small else args.size, keep_registry=args.keep_registry)
    line("database", connection.vendor)
    line("registry", f"{r['households']:,} households, {r['people']:,} people")
    line(
        "eligibility run (read + rules + write + diff)", f"{r['first_seconds']:.2f} s, peak {r['first_peak_mb']:.0f} MB"
    )
    line("second run (same inputs)", f"{r['second_seconds']:.2f} s, peak {r['second_peak_mb']:.0f} MB")
    line("same hash twice", r["first"]["hash"] == r["second"]["hash"])
    line("changes in second run", r["second"]["added"] + r["second"]["removed"] + r["second"]["changed"])
    third = r["third"]
    line(
        f"third run ({r['touched']:,} households' desil changed)",
        f"{r['third_seconds']:.2f} s, peak {r['third_peak_mb']:.0f} MB; added {third['added']:,}, "
        f"removed {third['removed']:,}, tier {third['changed']:,}",
    )
    for name in ("first", "second", "third"):
        profile = r[name]["profile"]
        phases = ", ".join(f"{phase} {seconds:.2f}" for phase, seconds in profile.items() if phase != "written")
        line(f"  {name} run phases (s)", f"{phases}; lines written {profile['written']:,}")
    line("baseline: raw read + raw write", f"{r['baseline_seconds']:.2f} s, peak {r['baseline_peak_mb']:.0f} MB")
    line("results written", f"{r['first']['results']:,}")
    line("bench wall time", f"{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
