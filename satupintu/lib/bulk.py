"""Set-based inserts that skip model instantiation: COPY on PostgreSQL, executemany on SQLite.

For generators and importers that write hundreds of thousands of rows. The caller provides
database-ready values (dates, strings, ints, JSON as text) in the order of `columns`.
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection


def bulk_insert(model, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert rows into the model's table; returns the number written. Run inside a transaction.
    The rows of a hash-chained table (one with `after_bulk_insert`) are chained before it returns."""
    rows = list(rows)
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        with bulk_writer(model, columns) as write:
            for row in rows:
                write(row)
        return len(rows)
    table, names = _names(model, columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        # Table and column names come from model metadata, quoted; values are parameters.
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608
    _after(model)
    return len(rows)


def _after(model) -> None:
    if hook := getattr(model, "after_bulk_insert", None):
        hook()


def q(name: str) -> str:
    """A table, column, index or constraint name quoted for raw SQL."""
    return connection.ops.quote_name(name)


def t(model) -> str:
    """The model's table name quoted for raw SQL."""
    return q(model._meta.db_table)


def _names(model, columns: Sequence[str]) -> tuple[str, str]:
    """The quoted table name and column list."""
    return t(model), ", ".join(q(c) for c in columns)


@contextmanager
def bulk_writer(model, columns: Sequence[str]) -> Iterator:
    """`write(row)` for rows produced one at a time. On PostgreSQL the rows stream into one COPY,
    so the server stores them while the caller computes the next ones; on SQLite they are inserted
    when the block ends. Run inside a transaction."""
    if connection.vendor != "postgresql":
        rows = []
        yield rows.append
        bulk_insert(model, columns, rows)
        return
    table, names = _names(model, columns)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        yield copy.write_row
    _after(model)


def copy_csv(model, columns: Sequence[str], data: bytes) -> None:
    """COPY rows already written as CSV (an unquoted empty field is NULL) into the model's table
    (PostgreSQL). Run inside a transaction."""
    table, names = _names(model, columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv)") as copy,
    ):
        copy.write(data)
    _after(model)


def secondary_indexes(cursor, tables: Sequence[str]) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of each index of `tables` that no primary key, unique or
    exclusion constraint owns, as `pg_get_indexdef` would recreate it (PostgreSQL)."""
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid "
        "WHERE c.relname = ANY(%s) AND c.relnamespace = 'public'::regnamespace "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid "
        "AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x')) ORDER BY 1",
        [list(tables)],
    )
    return cursor.fetchall()


@contextmanager
def indexes_built_after(cursor, table: str, *, enabled: bool = True) -> Iterator[None]:
    """Drop `table`'s secondary indexes, run the block, create them again with the same names and
    definitions ("Populating a Database" in PostgreSQL's manual: one index build is cheaper than
    maintaining the index row by row). PostgreSQL only, inside the caller's transaction: DROP INDEX
    locks the table until commit, so use it where nobody reads the table yet (an empty one)."""
    if connection.vendor != "postgresql" or not enabled:
        yield
        return
    indexes = secondary_indexes(cursor, [table])
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {q(name)}")
    yield
    for _name, definition in indexes:
        cursor.execute(definition)
