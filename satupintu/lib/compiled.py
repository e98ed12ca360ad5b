"""A list page's query built and compiled once per worker and key, then run with the page's limits.

A work queue's query is the same for an officer all day: the officer's area, role, agency and the
day's appointments decide it, not the page viewed. Building it through the ORM (the scope's filters,
the subqueries) and compiling it to SQL cost more than running it (about 2 ms against 1 ms for a
desa operator's queue), so the SQL and its parameters are kept under a key that names everything
the query is built from, and each view runs the kept statement with its own LIMIT and OFFSET and
turns the values as the ORM would (the database's converters: SQLite's dates, for instance).

The key is the caller's: it must name every input of `build()` (who, what, the day); a different key
builds a new statement. `statement` keeps `values_list` querysets (plain rows, no model instances).

A detail page's queries (the case, its documents, events, referrals, pauses, recusals; the household,
its members, KK history, assessments, deaths and audit trail) are the same for every record but its
key: `instances` builds and compiles each once per worker with a stand-in for the key, and runs it
with the record's own as a parameter, turning the rows into model instances as Django's
`ModelIterable` does (with their select_related rows): no query is built or compiled per view.
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
        return [tuple(_converted(row, self.converters, connection)) for row in rows]


def _converters(compiler) -> tuple:
    """(position, converters, expression) of each selected column whose value the database gives otherwise."""
    expressions = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
    return tuple(
        (position, tuple(functions), expression)
        for position, (functions, expression) in compiler.get_converters(expressions).items()
    )


def _converted(row, converters: tuple, connection) -> list:
    """`row`'s values turned as the ORM turns them (the database's converters)."""
    values = list(row)
    for position, functions, expression in converters:
        for function in functions:
            values[position] = function(values[position], expression, connection)
    return values


def _keep(key: Hashable, make: Callable[[], object]):
    """The statement kept under `key`, or `make()`'s, kept (the least recently used beyond KEPT dropped)."""
    with _lock:
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
            return kept
    kept = make()
    with _lock:
        _kept[key] = kept
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return kept


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
    params = None if params is None else tuple(params)
    return Statement(sql, params, queryset.db, _converters(compiler), compiler.col_count)


def statement(key: Hashable, build: Callable[[], QuerySet]) -> Statement:
    """The statement kept under `key`, or `build()`'s values queryset compiled and kept."""
    return _keep(key, lambda: _compile(build()))


def forget() -> None:
    """Drop every kept statement (tests)."""
    with _lock:
        _kept.clear()


# A detail page's lists: the same query for every record but one value (the record's key), built and
# compiled once per worker and key with a stand-in for that value, then run with the record's own.
STAND_IN_NUMBER = -918_273_645_546_372_819
STAND_IN_TEXT = "~stand-in~4c1f9e~"  # no receipt number, NIK or code looks like this


@dataclass(frozen=True)
class InstanceStatement:
    """A kept model query: its SQL, its parameters with the record's value at `slot`, and what Django's
    `ModelIterable` builds its instances from (the selected fields and the select_related populators)."""

    sql: str | None
    params: tuple
    slot: int
    using: str
    converters: tuple
    model: type
    fields: tuple  # the attribute names of the model's own columns, in the row's order
    start: int
    end: int
    populators: tuple
    annotations: tuple  # (name, position) of annotated values

    def instances(self, value) -> list:
        if self.sql is None:
            return []
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params_for(value))
            return self.built(cursor.fetchall(), connection)

    def params_for(self, value) -> tuple:
        return (*self.params[: self.slot], value, *self.params[self.slot + 1 :])

    def built(self, rows: list, connection) -> list:
        """The model instances of the statement's `rows`."""
        found = []
        for row in rows:
            if self.converters:
                row = _converted(row, self.converters, connection)
            instance = self.model.from_db(self.using, self.fields, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, instance)
            for name, position in self.annotations:
                setattr(instance, name, row[position])
            found.append(instance)
        return found


def _compile_instances(queryset: QuerySet, stand_in) -> InstanceStatement:
    from django.db.models.query import ModelIterable, get_related_populators

    if (
        queryset._prefetch_related_lookups
        or queryset._known_related_objects
        or queryset._iterable_class is not ModelIterable
    ):
        raise ValueError("a kept model query has no prefetch, no known related objects and yields instances")
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return InstanceStatement(None, (), 0, queryset.db, (), queryset.model, (), 0, 0, (), ())
    slots = [position for position, param in enumerate(params) if param == stand_in]
    if len(slots) != 1:
        raise ValueError("the record's value must appear once among the query's parameters")
    klass_info, select = compiler.klass_info, compiler.select
    selected = klass_info["select_fields"]
    start, end = selected[0], selected[-1] + 1
    return InstanceStatement(
        sql, tuple(params), slots[0], queryset.db, _converters(compiler), klass_info["model"],
        tuple(column[0].target.attname for column in select[start:end]), start, end,
        tuple(get_related_populators(klass_info, select, queryset.db)),
        tuple(compiler.annotation_col_map.items()),
    )  # fmt: skip


def _instance_statement(key: Hashable, build: Callable[[object], QuerySet], value) -> InstanceStatement:
    stand_in = STAND_IN_TEXT if isinstance(value, str) else STAND_IN_NUMBER
    return _keep(("instances", key), lambda: _compile_instances(build(stand_in), stand_in))


def instances(key: Hashable, build: Callable[[object], QuerySet], value) -> list:
    """The model instances of `build(value)`, from a statement kept under `key`: `build` is called once
    per worker and key with a stand-in for `value` (an int or a str), which must reach the query as one
    parameter, compared as it is (a key, a number). No prefetch_related: select_related is compiled once."""
    return _instance_statement(key, build, value).instances(value)


def instances_together(requests: dict[str, tuple[Hashable, Callable[[object], QuerySet], object]]) -> dict[str, list]:
    """`instances(key, build, value)` for each name's (key, build, value), the statements sent together:
    on PostgreSQL in one pipeline, so that a page's lists cost one round trip to the database instead
    of one each; elsewhere one after the other."""
    kept = {name: (_instance_statement(key, build, value), value) for name, (key, build, value) in requests.items()}
    using = {statement.using for statement, _value in kept.values()}
    connection = connections[using.pop()] if len(using) == 1 else None
    if connection is None or connection.vendor != "postgresql" or not _pipelines_work():
        return {name: statement.instances(value) for name, (statement, value) in kept.items()}
    found = {name: [] for name in kept}
    with connection.cursor() as first:  # opens the connection (and checks it) as any query does
        cursors = []
        try:  # an error of the pipeline's own (at its end) is turned into Django's, as a query's is
            with connection.wrap_database_errors, connection.connection.pipeline():
                for name, (statement, value) in kept.items():
                    if statement.sql is None:
                        continue
                    cursor = first if not cursors else connection.cursor()
                    cursor.execute(statement.sql, statement.params_for(value))
                    cursors.append((name, statement, cursor))
                rows = [(name, statement, cursor.fetchall()) for name, statement, cursor in cursors]
        finally:
            for _name, _statement, cursor in cursors[1:]:
                cursor.close()
    for name, statement, fetched in rows:
        found[name] = statement.built(fetched, connection)
    return found


def _pipelines_work() -> bool:
    from psycopg import Pipeline

    return Pipeline.is_supported()
