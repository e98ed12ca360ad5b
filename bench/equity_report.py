"""Benchmark: time to build the equity report (laporan keadilan layanan) over a whole regency.

    .venv/bin/python bench/equity_report.py                # 300,000 households, 100,000 applications
    .venv/bin/python bench/equity_report.py --small        # 2,000 households, 1,000 applications

Runs on PostgreSQL database `satupintu_bench_justice` (override with DATABASE_URL), dropped and
recreated each run. The data are written set-based (satupintu.lib.bulk.bulk_insert). Baselines in
the same run: a plain `SELECT count(*)` over the applications, and the report's raw extraction
query alone (no classification, no statistics). The planted slow kecamatan must be flagged.
"""

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/satupintu_bench_justice"


def _timed(function):
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def setup_data(households: int, applications: int, *, today: dt.date, log=print, load: bool = True) -> None:
    """Regions (unless `load` is off), registry, users and applications in an empty, migrated database."""
    from satupintu.accounts.models import User
    from satupintu.demo import synthetic
    from satupintu.demo.accounts import ensure_demo_users
    from satupintu.demo.registry import generate
    from satupintu.regions.loader import SRAGEN_CSV, load_regions

    if load:
        load_regions(SRAGEN_CSV, kabupaten_name="Sragen")
    _made, seconds = _timed(lambda: generate(households, seed=2012))
    log(f"registry: {households} households in {seconds:.1f} s")
    ensure_demo_users()
    staff = synthetic.Staff(
        intake=User.objects.get(username="petugas").pk,
        deciders=(User.objects.get(username="kasi").pk, User.objects.get(username="kepala").pk),
    )
    _made, seconds = _timed(
        lambda: synthetic.generate(
            applications,
            start=today - dt.timedelta(days=365),
            end=today - dt.timedelta(days=1),
            staff=staff,
            slow_kecamatan="33.14.19",
            today=today,
        )
    )
    log(f"applications: {applications} in {seconds:.1f} s")


def measure(today: dt.date, repeat: int = 3) -> dict:
    """Best of `repeat` for the baselines and the report (the first run warms the caches)."""
    from django.db import connection

    from satupintu.justice.extract import Period, raw_queryset
    from satupintu.justice.report import build

    period = Period(today - dt.timedelta(days=365), today)

    def count():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM cases_application")
            return cursor.fetchone()[0]

    results = {}
    for name, function in (
        ("count", count),
        ("extraction", lambda: len(list(raw_queryset(period).order_by()))),
        ("report", lambda: build(period)),
    ):
        best, value = None, None
        for _ in range(repeat):
            value, seconds = _timed(function)
            best = seconds if best is None else min(best, seconds)
        results[name] = (best, value)
    return results


def recreate_database(url: str) -> None:
    """Drop and create the benchmark's own PostgreSQL database."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        raise SystemExit("The benchmark runs on PostgreSQL (DATABASE_URL=postgres://...).")
    with psycopg.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"],
        port=config["PORT"] or 5432,
        autocommit=True,
    ) as conn:
        name = sql.Identifier(config["NAME"])
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="2,000 households and 1,000 applications")
    parser.add_argument("--households", type=int, default=300_000)
    parser.add_argument("--applications", type=int, default=100_000)
    args = parser.parse_args()
    households, applications = (2_000, 1_000) if args.small else (args.households, args.applications)

    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
    os.environ.setdefault("SATUPINTU_INSECURE_DEV_KEY", "1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    recreate_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    setup_data(households, applications, today=today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    results = measure(today)
    count_s, rows = results["count"]
    extraction_s, _n = results["extraction"]
    report_s, report = results["report"]
    print(f"database: {connection.vendor}; households: {households}; applications: {rows}")
    print(f"baseline SELECT count(*): {count_s * 1000:.1f} ms")
    print(f"baseline extraction query alone: {extraction_s:.2f} s")
    print(f"equity report (all four criteria): {report_s:.2f} s")
    for finding in report.findings:
        print(f"  flagged: {finding}")


if __name__ == "__main__":
    main()
