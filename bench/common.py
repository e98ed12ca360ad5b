"""Shared by the benchmark scripts: Django on a dedicated database, timing, peak memory."""

import multiprocessing
import os
import resource
import time
from queue import Empty

DEFAULT_DATABASE = "sqlite:////tmp/satupintu-bench.sqlite3"


def setup_django(database_url: str | None) -> None:
    """Configure Django on the bench database (its registry tables are wiped by the benches)."""
    os.environ["DATABASE_URL"] = database_url or os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("IMPORT_SPAWN_WORKER", "0")
    os.environ.setdefault("MEDIA_ROOT", "/tmp/satupintu-bench-media")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from satupintu.regions.loader import SRAGEN_CSV, load_regions

    load_regions(SRAGEN_CSV, kabupaten_name="Sragen")


def create_database(database_url: str) -> None:
    """Create the bench's PostgreSQL database when it does not exist yet (SQLite creates its file)."""
    import dj_database_url

    config = dj_database_url.parse(database_url)
    if "postgresql" not in config["ENGINE"]:
        return
    import psycopg
    from psycopg import sql

    server = {"host": config["HOST"] or None, "port": config["PORT"] or None, "user": config["USER"] or None}
    with psycopg.connect(dbname="postgres", password=config["PASSWORD"] or None, autocommit=True, **server) as db:
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))


def wipe_registry() -> None:
    """Empty the registry, import and targeting tables of the bench database."""
    from django.db import connection

    from satupintu.audit.models import AuditLog
    from satupintu.imports.models import DuplicatePair, ImportBatch, ImportEvent, PendingPair, RowError, StagedRow
    from satupintu.registry.models import Household, KKNumber, Membership, Person, PovertyAssessment
    from satupintu.targeting.models import Change, Eligibility, TargetingRun

    models = [Change, Eligibility, TargetingRun, DuplicatePair, PendingPair, RowError, StagedRow, ImportEvent,
              ImportBatch, AuditLog, Membership, KKNumber, PovertyAssessment]  # fmt: skip
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in [*models, Household, Person])
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
            return
        for model in models:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        cursor.execute("UPDATE registry_household SET head_id = NULL")
        cursor.execute("DELETE FROM registry_person")
        cursor.execute("DELETE FROM registry_household")


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(queue, fn, args):
    from django.db import connections

    connections.close_all()  # never share the parent's socket
    start = time.perf_counter()
    result = fn(*args)
    queue.put((time.perf_counter() - start, peak_rss_mb(), result))


def measured(fn, *args, isolate: bool = True):
    """(seconds, peak MB, result) of fn(*args); in a forked child so the peak is its own."""
    if not isolate:
        start = time.perf_counter()
        result = fn(*args)
        return time.perf_counter() - start, peak_rss_mb(), result
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=_child, args=(queue, fn, args))
    process.start()
    while True:
        try:
            seconds, peak, result = queue.get(timeout=2)
            break
        except Empty:
            if not process.is_alive():
                raise RuntimeError(f"{fn.__name__} failed in its child process ({process.exitcode})") from None
    process.join()
    return seconds, peak, result


def line(label: str, value) -> None:
    print(f"{label:<46} {value}", flush=True)
