"""Import benchmark: a generated regency file through validation and import, against raw COPY.

    python -m bench.import_bench --size 1000000 --database-url postgres://postgres@127.0.0.1:5432/satupintu_bench

Prints rows/s of the whole import (validation, staging, registry checks, set-based load, KK
history, memberships, assessments, audit; fuzzy matching is measured by dedup_bench), of a
re-import of the same file (a no-op), and of the baseline measured in the same run: the same CSV
copied raw into an unindexed table of text columns (COPY on PostgreSQL, executemany on SQLite).
Each import also gives its load stage's seconds per kind of statement (`load_breakdown`, COMMIT
included: deferred foreign-key checks). Last, a file of `--new-size` people in households not in
the registry is imported into the loaded registry (the non-empty case).
WIPES the registry tables of the bench database.
"""

import argparse
import csv
import os
import re
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from bench.common import line, measured, setup_django, wipe_registry

WORK = Path(os.environ.get("BENCH_DIR", "/tmp/satupintu-bench"))


def make_file(people: int) -> tuple[Path, int]:
    from satupintu.imports.sample import sample_rows, write_csv

    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"registry-{people}.csv"
    if path.exists():  # seeded: the same size always gives the same file
        with open(path, "rb") as handle:
            return path, sum(1 for _ in handle) - 1
    rows = write_csv(path, sample_rows(max(1, round(people / 3.67)), seed=2012))
    return path, rows


def make_new_file(people: int) -> tuple[Path, int]:
    """Households that are not in `make_file`'s files: another seed, and KK and NIK serials moved up
    by 5,000 (the generator's serials start below 3,001 and rarely pass 3,200), so that importing it
    into the loaded registry creates every household (the non-empty, chunked case)."""
    from satupintu.imports.sample import sample_rows, write_csv

    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"new-households-{people}.csv"
    if path.exists():
        with open(path, "rb") as handle:
            return path, sum(1 for _ in handle) - 1

    def moved(number: str) -> str:
        return f"{number[:-4]}{int(number[-4:]) + 5000:04d}" if number else number

    rows = ({**row, "no_kk": moved(row["no_kk"]), "nik": moved(row["nik"])}
            for row in sample_rows(max(1, round(people / 3.67)), seed=2013))  # fmt: skip
    return path, write_csv(path, rows)


def raw_copy(path: Path) -> int:
    """The baseline: the file's rows into an unindexed table, no checks."""
    from django.db import connection

    from satupintu.imports.sample import HEADER

    columns = ", ".join(f"c_{name} text" for name in HEADER)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw")
        cursor.execute(f"CREATE TABLE bench_raw ({columns})")
        if connection.vendor == "postgresql":
            with (
                open(path, "rb") as handle,
                cursor.cursor.copy("COPY bench_raw FROM STDIN (FORMAT csv, HEADER true)") as copy,
            ):
                while chunk := handle.read(2**20):
                    copy.write(chunk)
        else:
            with open(path, encoding="utf-8", newline="") as handle:
                reader = csv.reader(handle)
                next(reader)
                marks = ", ".join(["%s"] * len(HEADER))
                cursor.executemany(f"INSERT INTO bench_raw VALUES ({marks})", list(reader))
        cursor.execute("SELECT COUNT(*) FROM bench_raw")
        count = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_raw")
    return count


def _statement_kind(sql: str) -> str:
    """A short label of a statement: its verb and first table (ids and values are parameters)."""
    words = re.sub(r"\s+", " ", sql.strip()).split(" ")
    verb = words[0].upper()
    if verb in ("INSERT", "COPY") and len(words) > 2:
        return f"{verb} {words[2 if verb == 'INSERT' else 1].strip(chr(34))}"
    if verb == "UPDATE":
        return f"UPDATE {words[1].strip(chr(34))}"
    if verb in ("CREATE", "ALTER", "DROP", "LOCK", "ANALYZE", "SET"):
        return " ".join(w.strip(chr(34)) for w in words[:3])
    match = re.search(r"\bFROM (\S+)", sql)
    return f"{verb} {match.group(1).strip(chr(34)) if match else ''}".strip()


@contextmanager
def load_profile():
    """Seconds spent per kind of statement, and in COMMIT (deferred foreign-key checks), while the block runs."""
    from django.db import connection

    spent: dict[str, float] = defaultdict(float)

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[_statement_kind(sql)] += time.perf_counter() - start

    original = connection._commit

    def commit():
        start = time.perf_counter()
        try:
            return original()
        finally:
            spent["COMMIT"] += time.perf_counter() - start

    connection._commit = commit
    try:
        with connection.execute_wrapper(timed):
            yield spent
    finally:
        connection._commit = original


def import_file(path: Path) -> dict:
    from satupintu.imports import services, workflow
    from satupintu.imports.loader import import_batch
    from satupintu.imports.pipeline import validate_batch

    start = time.perf_counter()
    with open(path, "rb") as handle:
        batch = services.batch_create(actor=None, upload=handle, name=path.name, source="DTSEN")
    stored = time.perf_counter()
    batch = validate_batch(workflow.move(batch, "validate"), fuzzy=False)
    validated = time.perf_counter()
    batch = workflow.move(batch, "approve", command_line=True)
    with load_profile() as spent:
        batch = import_batch(batch)
    breakdown = {kind: round(seconds, 2) for kind, seconds in sorted(spent.items(), key=lambda kv: -kv[1])}
    return {
        "seconds": {
            "store": round(stored - start, 1),
            "validate": round(validated - stored, 1),
            "load": round(time.perf_counter() - validated, 1),
        },
        "state": batch.state,
        "rows": batch.total_rows,
        "valid": batch.valid_rows,
        "households_created": batch.households_created,
        "people_created": batch.people_created,
        "unchanged": batch.unchanged_rows,
        "load_breakdown": {kind: seconds for kind, seconds in breakdown.items() if seconds >= 0.05},
    }


def run(size: int, *, isolate: bool = True, new_size: int = 0) -> dict:
    wipe_registry()
    path, rows = make_file(size)
    copy_s, copy_mb, copied = measured(raw_copy, path, isolate=isolate)
    import_s, import_mb, first = measured(import_file, path, isolate=isolate)
    again_s, again_mb, second = measured(import_file, path, isolate=isolate)
    more = {}
    if new_size:
        new_path, new_rows = make_new_file(new_size)
        new_s, new_mb, new = measured(import_file, new_path, isolate=isolate)
        more = {"new_rows": new_rows, "new_seconds": new_s, "new_peak_mb": new_mb, "new": new}
    return {
        **more,
        "rows": rows,
        "copied": copied,
        "copy_seconds": copy_s,
        "copy_rows_per_s": rows / copy_s,
        "import_seconds": import_s,
        "import_rows_per_s": rows / import_s,
        "ratio_to_copy": (rows / import_s) / (rows / copy_s),
        "import_peak_mb": import_mb,
        "reimport_seconds": again_s,
        "reimport_rows_per_s": rows / again_s,
        "reimport_peak_mb": again_mb,
        "first": first,
        "second": second,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000, help="people (rows) in the generated file")
    parser.add_argument("--small", action="store_true", help="2,000 people")
    parser.add_argument("--database-url")
    parser.add_argument(
        "--new-size", type=int, default=100_000, help="people in a file of new households imported last (0: none)"
    )
    args = parser.parse_args()
    setup_django(args.database_url)
    from django.db import connection

    size = 2000 if args.small else args.size
    start = time.perf_counter()
    result = run(size, new_size=min(args.new_size, 500) if args.small else args.new_size)
    line("database", connection.vendor)
    line("rows in file", result["rows"])
    line(
        "baseline: raw copy into unindexed table",
        f"{result['copy_seconds']:.2f} s, {result['copy_rows_per_s']:,.0f} rows/s",
    )
    line("import (validate + load)", f"{result['import_seconds']:.2f} s, {result['import_rows_per_s']:,.0f} rows/s")
    line("import / raw copy", f"{result['ratio_to_copy']:.1%}")
    line("import peak memory", f"{result['import_peak_mb']:.0f} MB")
    line(
        "re-import of the same file (no-op)",
        f"{result['reimport_seconds']:.2f} s, {result['reimport_rows_per_s']:,.0f} rows/s",
    )
    line("re-import peak memory", f"{result['reimport_peak_mb']:.0f} MB")
    line("first import", result["first"])
    line("second import", result["second"])
    if "new" in result:
        line(
            "new households into the loaded registry",
            f"{result['new_seconds']:.2f} s for {result['new_rows']:,} rows, peak {result['new_peak_mb']:.0f} MB",
        )
        line("new-households import", result["new"])
    line("bench wall time", f"{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
