"""A list page's query built and compiled once per worker and key, then run with the page's limits.

A work queue's query is the same for an officer all day: the officer's area, role, agency and the
day's appointments decide it, not the page viewed. Building it through the ORM (the scope's filters,
the subqueries) and compiling it to SQL cost more than running it (about 2 ms against 1 ms for a
desa operator's queue), so the SQL and its parameters are kept under a key that names everything
the query is built from, and each view runs the kept statement with its own LIMIT and OFFSET and
turns the values as the ORM would (the database's converters: SQLite's dates, for instance).

The key is the caller's: it must name every input of `build()` (who, what, the day); a different key
builds a new statement. Only `values_list` querysets are kept (plain rows, no model instances).
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from threading import Lock

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

KEPT = 2048  # statements kept per worker: a regency's officers × their queues, with room to spare
_kept: OrderedDict = OrderedDict()
_lock = Lock()


@dataclass(frozen=True)
class Statement:
    sql: str | None  # None: the query can match nothing
    params: tuple | None  # None: the values are in the text
    using: str
    # (position, converters, expression) of each column whose value the database gives otherwise
    converters: tuple
    columns: int  # the values asked for (a statement may select more, e.g. for its order)

    def rows(self, start: int, stop: int) -> list[tuple]:
        """The rows `start` to `stop` (exclusive), in the query's order."""
        if self.sql is None or stop <= start:  # a query that can match nothing (`.none()`, an empty IN)
            return []
        connection = connections[self.using]
        with connection.cursor() as cursor:
            # The limits as numbers in the text, not parameters: a prepared statement's plan is then
            # made for this page's size, where a plan for any LIMIT chose a slower join (0.6 ms
            # against 1.1 ms for a queue of fifty on PostgreSQL).
            cursor.execute(f"{self.sql} LIMIT {int(stop - start)} OFFSET {int(start)}", self.params)  # noqa: S608
            rows = [row[: self.columns] for row in cursor.fetchall()]
        if not self.converters:
            return rows
        converted = []
        for row in rows:
            values = list(row)
            for position, functions, expression in self.converters:
                value = values[position]
                for function in functions:
                    value = function(value, expression, connection)
                values[position] = value
            converted.append(tuple(values))
        return converted


class Rows:
    """A kept statement's rows as a sliceable sequence for Django's `Paginator`, which counts them with
    `count()` unless its count is known beforehand (`lib/paging.py`)."""

    def __init__(self, kept: Statement, count: Callable[[], int] | None = None):
        self.kept = kept
        self._count = count

    def __getitem__(self, window: slice) -> list[tuple]:
        return self.kept.rows(window.start or 0, window.stop)

    def __len__(self) -> int:
        if self._count is None:
            raise TypeError("the rows of a kept statement are counted by the caller")
        return self._count()


def _compile(queryset: QuerySet) -> Statement:
    if queryset.query.is_sliced:
        raise ValueError("a kept statement takes its limits from each view")
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return Statement(None, None, queryset.db, (), 0)
    if compiler.connection.vendor == "postgresql":
        # The values written into the text, quoted by psycopg as Django's own client-side binding
        # does: a statement prepared without parameters is planned once for these values, where a
        # parameterised one was planned again on every run (its generic plan looked costlier).
        sql, params = compiler.connection.ops.compose_sql(sql, params), None
    expressions = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
    converters = tuple(
        (position, tuple(functions), expression)
        for position, (functions, expression) in compiler.get_converters(expressions).items()
    )
    return Statement(sql, None if params is None else tuple(params), queryset.db, converters, compiler.col_count)


def statement(key: Hashable, build: Callable[[], QuerySet]) -> Statement:
    """The statement kept under `key`, or `build()`'s values queryset compiled and kept."""
    with _lock:
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
            return kept
    kept = _compile(build())
    with _lock:
        _kept[key] = kept
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return kept


def forget() -> None:
    """Drop every kept statement (tests)."""
    with _lock:
        _kept.clear()
