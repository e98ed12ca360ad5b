"""The floor under an import: the rows a first load writes, copied straight into their tables.

    python -m bench.load_floor --size 1000000 --database-url postgres://postgres@127.0.0.1:5432/satupintu_bench

An import can be held to a ratio of a raw COPY's speed. This measures how close any import
that writes the same registry could come, on this machine, in the same run:

1. the baseline: the file COPYed raw into an unindexed table of text columns (as import_bench);
2. the import itself (validation and load, as import_bench);
3. the floor: the rows that import wrote — households, people, memberships, KK history, DTSEN
   assessments, creation audit rows — read back as COPY text, then COPYed from memory into empty
   copies of their tables (same columns, NOT NULL and CHECK constraints) in a scratch schema, and
   given the registry's primary keys, unique constraints, indexes and foreign keys, then ANALYZE,
   in one transaction (as the first load is one). That is the load with validation, staging, id
   numbering and every derivation taken as free: no import writing these rows can be faster
   on one connection.
4. the same floor on two connections (tables split between them, each its own transaction, then
   the foreign keys): what giving up the one transaction could buy with this machine's 2 cores.

5. what an operator runs: `satupintu import-registry` (fuzzy duplicate matching on, as by default)
   in its own process on the emptied registry, and its ratio to the floor.

The import's ratio to the raw COPY cannot pass raw COPY seconds / floor seconds. PostgreSQL only.
WIPES the registry tables of the bench database; the scratch schema is dropped at the end.
"""

import argparse
import io
import threading
import time

from bench.common import line, measured, setup_django, wipe_registry

SCHEMA = "load_floor"


def written_tables() -> list[str]:
    from satupintu.audit.models import AuditLog
    from satupintu.imports.firstload import tables

    return [*tables(), AuditLog._meta.db_table]


def dump(cursor, table: str) -> bytes:
    """The table's rows as COPY text, in id order."""
    out = io.BytesIO()
    with cursor.copy(f'COPY (SELECT * FROM public."{table}" ORDER BY id) TO STDOUT') as copy:
        for data in copy:
            out.write(data)
    return out.getvalue()


def schema_of(cursor, tables: list[str]) -> dict:
    """Per table: its constraints (primary key, unique, foreign key) and its other indexes, as
    pg_catalog would recreate them; foreign keys to tables outside `tables` included."""
    from satupintu.lib.bulk import secondary_indexes

    cursor.execute(
        "SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid) FROM pg_constraint k "
        "JOIN pg_class c ON c.oid = k.conrelid WHERE c.relname = ANY(%s) "
        "AND c.relnamespace = 'public'::regnamespace AND k.contype IN ('p', 'u', 'f') ORDER BY 1, 2",
        [tables],
    )
    rows = cursor.fetchall()
    return {
        "keys": [(table, name, definition) for table, name, kind, definition in rows if kind in "pu"],
        "foreign": [(table, name, definition) for table, name, kind, definition in rows if kind == "f"],
        "indexes": [
            (name, definition.replace(" ON public.", f" ON {SCHEMA}."))
            for name, definition in secondary_indexes(cursor, tables)
        ],  # fmt: skip
    }


def create_empty(cursor, tables: list[str]) -> None:
    cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    cursor.execute(f"CREATE SCHEMA {SCHEMA}")
    for table in tables:  # columns, defaults, NOT NULL and CHECK constraints; no index, no key
        cursor.execute(
            f'CREATE TABLE {SCHEMA}."{table}" (LIKE public."{table}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)'
        )


def load(cursor, data: dict[str, bytes], schema: dict, spent: dict, *, foreign: bool = True) -> None:
    """COPY `data`'s tables, then keys, indexes, (foreign keys), ANALYZE, timing each step into `spent`."""

    def step(name, statements):
        start = time.perf_counter()
        for statement in statements:
            if callable(statement):
                statement()
            else:
                cursor.execute(statement)
        spent[name] = spent.get(name, 0) + time.perf_counter() - start

    def copier(table):
        def run():
            with cursor.copy(f'COPY {SCHEMA}."{table}" FROM STDIN') as copy:
                copy.write(data[table])

        return run

    cursor.execute(f"SET LOCAL search_path = {SCHEMA}, public")  # foreign keys name their tables bare
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    cursor.execute("SET LOCAL jit = off")
    step("copy", [copier(table) for table in data])
    step("keys", [f'ALTER TABLE "{t}" ADD CONSTRAINT "{n}" {d}' for t, n, d in schema["keys"] if t in data])
    step("indexes", [d for n, d in schema["indexes"] if any(f" ON {SCHEMA}.{t} " in d for t in data)])
    if foreign:
        step("foreign keys", foreign_keys(schema, data))
    step("analyze", [f'ANALYZE "{table}"' for table in data])


def foreign_keys(schema: dict, tables) -> list[str]:
    return [f'ALTER TABLE "{t}" ADD CONSTRAINT "{n}" {d}' for t, n, d in schema["foreign"] if t in tables]


def floor_one(data: dict[str, bytes], schema: dict) -> dict:
    from django.db import connection, transaction

    spent: dict[str, float] = {}
    with connection.cursor() as cursor:
        create_empty(cursor, list(data))
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        load(cursor.cursor, data, schema, spent)
    spent["total"] = time.perf_counter() - start
    same_schema(list(data))
    return spent


def same_schema(tables: list[str]) -> None:
    """The scratch tables carry the same indexes and constraints as the registry's (else the floor
    would leave work out)."""
    from django.db import connection

    def shape(namespace):
        cursor.execute(
            "SELECT c.relname, 'i', pg_get_indexdef(x.indexrelid) FROM pg_index x "
            "JOIN pg_class c ON c.oid = x.indrelid "
            "WHERE c.relname = ANY(%s) AND c.relnamespace = %s::regnamespace UNION ALL "
            "SELECT c.relname, k.contype::text, pg_get_constraintdef(k.oid) FROM pg_constraint k "
            "JOIN pg_class c ON c.oid = k.conrelid WHERE c.relname = ANY(%s) AND c.relnamespace = %s::regnamespace",
            [tables, namespace, tables, namespace],
        )
        return sorted((t, k, d.replace(f"{namespace}.", "")) for t, k, d in cursor.fetchall())

    with connection.cursor() as cursor:
        cursor.execute(f"SET search_path = {SCHEMA}, public")
        scratch = shape(SCHEMA)
        cursor.execute("SET search_path TO DEFAULT")
        registry = shape("public")
    if scratch != registry:
        raise SystemExit(f"the scratch tables differ from the registry's: {set(scratch) ^ set(registry)}")


def floor_two(data: dict[str, bytes], schema: dict) -> dict:
    """Tables split in two halves of about equal bytes, each loaded on its own connection (its own
    transaction), then the foreign keys on one."""
    import psycopg
    from django.db import connection

    with connection.cursor() as cursor:
        create_empty(cursor, list(data))
    halves: list[dict[str, bytes]] = [{}, {}]
    for table in sorted(data, key=lambda name: -len(data[name])):
        smaller = min(halves, key=lambda half: sum(map(len, half.values())))
        smaller[table] = data[table]
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    spent = [{}, {}]

    def worker(index):
        with psycopg.connect(**params) as other, other.transaction(), other.cursor() as cursor:
            load(cursor, halves[index], schema, spent[index], foreign=False)

    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    parallel = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute(f"SET search_path = {SCHEMA}, public")
        begin = time.perf_counter()
        for statement in foreign_keys(schema, data):
            cursor.execute(statement)
        keys = time.perf_counter() - begin
        cursor.execute("SET search_path TO DEFAULT")
    same_schema(list(data))
    return {"two connections": parallel, "foreign keys after": keys, "total": parallel + keys}


def run(size: int, *, isolate: bool = True, command: bool = True) -> dict:
    from django.db import connection

    from bench.import_bench import command_import, import_file, make_file, raw_copy

    if connection.vendor != "postgresql":
        raise SystemExit("load_floor measures PostgreSQL only")
    wipe_registry()
    path, rows = make_file(size)
    copy_s, _mb, _copied = measured(raw_copy, path, isolate=isolate)
    import_s, _mb, first = measured(import_file, path, isolate=isolate)
    tables = written_tables()
    with connection.cursor() as cursor:
        data = {table: dump(cursor.cursor, table) for table in tables}
        schema = schema_of(cursor, tables)
    result = {"rows": rows, "copy": copy_s, "import": import_s, "import_parts": first["seconds"]}
    result["sizes"] = {table: (len(blob), blob.count(b"\n")) for table, blob in data.items()}
    result["one"] = floor_one(data, schema)
    result["two"] = floor_two(data, schema)
    result["one again"] = floor_one(data, schema)  # the machine drifts: a second sample
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA {SCHEMA} CASCADE")
    if command:  # another process cannot see a test's database
        wipe_registry()
        result["command"] = command_import(path)["seconds"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000, help="people (rows) in the generated file")
    parser.add_argument("--small", action="store_true", help="2,000 people")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    setup_django(args.database_url)
    size = 2_000 if args.small else args.size
    started = time.perf_counter()
    result = run(size)
    copy = result["copy"]
    line("rows in file", result["rows"])
    line("baseline: raw copy into unindexed table", f"{copy:.2f} s")
    line("import (validate + load)", f"{result['import']:.2f} s = {copy / result['import']:.1%} of raw copy")
    line("import parts", result["import_parts"])
    for table, (size_bytes, count) in result["sizes"].items():
        line(f"  written: {table}", f"{count:,} rows, {size_bytes / 2**20:.0f} MB as COPY text")
    line("written in all", f"{sum(s for s, _ in result['sizes'].values()) / 2**20:.0f} MB as COPY text")
    floor = min(result["one"]["total"], result["one again"]["total"])
    for label in ("one", "one again", "two"):
        steps = result[label]
        total = steps.pop("total")
        name = "floor, two connections" if label == "two" else "floor, one transaction"
        line(name, f"{total:.2f} s = {copy / total:.1%} of raw copy (the best ratio such a load allows)")
        line("  steps", {step: round(seconds, 2) for step, seconds in steps.items()})
    line("import (in-process, no fuzzy) / floor", f"{result['import'] / floor:.2f} x")
    command = result["command"]
    line("command import-registry (fuzzy, the default)", f"{command:.2f} s = {copy / command:.1%} of raw copy")
    line("command / floor, one transaction", f"{command / floor:.2f} x (goal: 1.5 x)")
    line("bench wall time", f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
