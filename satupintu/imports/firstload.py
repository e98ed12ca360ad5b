"""First load of an empty registry on PostgreSQL: one transaction, indexes built after the rows.

PostgreSQL's advice for populating a database ("Populating a Database": remove indexes and
foreign keys, load, recreate them, with a larger maintenance_work_mem) applied to a regency's
first DTSEN extract, under these rules:

- Only when the five registry tables (households, people, memberships, KK history, assessments)
  are empty, checked after `LOCK TABLE … IN ACCESS EXCLUSIVE MODE` on all five in the same
  transaction: no other writer (or reader) can slip a row in until the load commits. The lock is
  waited for at most `LOCK_TIMEOUT`; if it is not granted the import takes the chunked path.
- The secondary indexes, the unique constraints (KK number, NIK) and the foreign keys *between*
  registry tables are read from pg_catalog (`pg_get_indexdef`, `pg_get_constraintdef`), dropped,
  and recreated afterwards with the same names and definitions. Primary keys, CHECK constraints
  and foreign keys to tables outside the registry (regions, users) stay: dropping a foreign key
  locks the table it points to, and the users table must stay usable. Recreating a unique index
  or a foreign key checks every row, so a duplicate NIK or KK number (validation excludes them)
  or a dangling id fails the whole load loudly instead of entering the registry.
- Everything — lock, drop, load, recreate, ANALYZE, the batch's counters — is one transaction: a
  failure at any point leaves the registry empty and its schema as it was (tested).
- The cost: the registry tables are locked for reading and writing for the whole load.

Progress and heartbeat written inside that transaction would be invisible to others until it
commits, so they go through a second connection (`OutOfBand`), only when the load's transaction
is the outermost one (inside an outer transaction the batch row may be locked by it).
"""

import logging

from django.db import DEFAULT_DB_ALIAS, DatabaseError, OperationalError, connection, connections, transaction
from django.utils import timezone

from satupintu.lib.bulk import q, secondary_indexes, t
from satupintu.registry.models import Household, KKNumber, Membership, Person, PovertyAssessment

from .models import ImportBatch

logger = logging.getLogger(__name__)

REGISTRY = (Household, Person, Membership, KKNumber, PovertyAssessment)
LOCK_TIMEOUT = "10s"
MAINTENANCE_WORK_MEM = "256MB"
# Share of the load each step ends at, for the progress bar (measured at 100,000 rows).
STEPS = {"reserve": 0.05, "households": 0.15, "people": 0.55, "history": 0.7, "indexes": 0.9, "constraints": 1.0}


def tables() -> list[str]:
    return [model._meta.db_table for model in REGISTRY]


def registry_schema(cursor) -> dict:
    """Every index and constraint of the registry tables, as PostgreSQL would recreate them."""
    cursor.execute(
        "SELECT c.relname, i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid "
        "WHERE c.relname = ANY(%s) AND c.relnamespace = 'public'::regnamespace ORDER BY 1, 2",
        [tables()],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid), k.condeferrable, k.condeferred "
        "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
        "WHERE c.relname = ANY(%s) AND c.relnamespace = 'public'::regnamespace ORDER BY 1, 2",
        [tables()],
    )
    return {"indexes": indexes, "constraints": cursor.fetchall()}


class Schema:
    """The droppable part of the registry's schema, captured from pg_catalog."""

    def __init__(self, cursor):
        names = tables()
        # Unique constraints, and foreign keys whose both ends are registry tables.
        cursor.execute(
            "SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid) FROM pg_constraint k "
            "JOIN pg_class c ON c.oid = k.conrelid LEFT JOIN pg_class r ON r.oid = k.confrelid "
            "WHERE c.relname = ANY(%s) AND c.relnamespace = 'public'::regnamespace "
            "AND (k.contype = 'u' OR (k.contype = 'f' AND r.relname = ANY(%s) "
            "AND r.relnamespace = 'public'::regnamespace)) ORDER BY k.contype DESC, 1, 2",
            [names, names],
        )
        rows = cursor.fetchall()
        self.unique = [(table, name, definition) for table, name, kind, definition in rows if kind == "u"]
        self.foreign = [(table, name, definition) for table, name, kind, definition in rows if kind == "f"]
        self.indexes = secondary_indexes(cursor, names)
        # Foreign keys to tables outside the registry stay; checked at the end of each statement
        # instead of at commit, since no index can be built on a table with checks pending.
        cursor.execute(
            "SELECT k.conname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
            "JOIN pg_class r ON r.oid = k.confrelid WHERE c.relname = ANY(%s) "
            "AND c.relnamespace = 'public'::regnamespace AND k.contype = 'f' AND k.condeferred "
            "AND NOT (r.relname = ANY(%s) AND r.relnamespace = 'public'::regnamespace) ORDER BY 1",
            [names, names],
        )
        self.outside = [name for (name,) in cursor.fetchall()]

    def check_outside(self, cursor, when: str) -> None:
        if self.outside:
            cursor.execute(f"SET CONSTRAINTS {', '.join(q(name) for name in self.outside)} {when}")

    def drop(self, cursor) -> None:
        for table, name, _definition in [*self.foreign, *self.unique]:
            cursor.execute(f"ALTER TABLE {q(table)} DROP CONSTRAINT {q(name)}")
        for name, _definition in self.indexes:
            cursor.execute(f"DROP INDEX {q(name)}")

    def recreate_indexes(self, cursor) -> None:
        for _name, definition in self.indexes:
            cursor.execute(definition)  # pg_get_indexdef: the same name, table, columns, opclass, predicate
        for table, name, definition in self.unique:
            cursor.execute(f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(name)} {definition}")

    def recreate_constraints(self, cursor) -> None:
        for table, name, definition in self.foreign:
            cursor.execute(f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(name)} {definition}")


class OutOfBand:
    """Heartbeat and progress of a batch written on a second connection (autocommit), so that the
    worker's claim and the progress bar see them while the load's transaction is still open."""

    def __init__(self, batch: ImportBatch, enabled: bool):
        self.batch = batch
        self.connection = connections.create_connection(DEFAULT_DB_ALIAS) if enabled else None

    def __call__(self, step: str) -> None:
        if self.connection is None:
            return
        done = round(self.batch.valid_rows * STEPS.get(step, 0))
        try:
            with self.connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '1s'")
                cursor.execute(
                    f"UPDATE {t(ImportBatch)} SET heartbeat = %s, progress_done = %s, "  # noqa: S608
                    "progress_total = %s WHERE id = %s",
                    [timezone.now(), done, self.batch.valid_rows, self.batch.pk],
                )
        except DatabaseError:  # progress is best effort; the load goes on
            logger.warning("progress of batch %s not written", self.batch.pk, exc_info=True)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def _empty(cursor) -> bool:
    for model in REGISTRY:
        cursor.execute(f"SELECT 1 FROM {t(model)} LIMIT 1")  # noqa: S608
        if cursor.fetchone():
            return False
    return True


def load(batch: ImportBatch, chunk, *, progress: bool = True) -> bool:
    """Load every KK group of the batch through `chunk` (a Chunk over all groups) in one transaction
    with the registry's secondary indexes and internal foreign keys dropped; False, having written
    nothing, when this is not PostgreSQL, not a fresh batch, or the registry is not empty."""
    if connection.vendor != "postgresql" or batch.imported_groups or not batch.valid_rows:
        return False
    progress = OutOfBand(batch, enabled=progress and not connection.in_atomic_block)
    chunk.on_step = progress
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            cursor.execute(f"LOCK TABLE {', '.join(q(name) for name in tables())} IN ACCESS EXCLUSIVE MODE")
            cursor.execute("SET LOCAL lock_timeout TO DEFAULT")
            if not _empty(cursor):
                return False
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
            # Compiling these few large statements took ~0.4 s each, more than it saved (measured).
            cursor.execute("SET LOCAL jit = off")
            schema = Schema(cursor)
            schema.drop(cursor)
            schema.check_outside(cursor, "IMMEDIATE")
            chunk.create_new_households(cursor, formula=True)
            schema.recreate_indexes(cursor)
            progress("indexes")
            schema.recreate_constraints(cursor)
            for name in tables():  # the registry grew from nothing: plans after it need statistics
                cursor.execute(f"ANALYZE {q(name)}")
            schema.check_outside(cursor, "DEFERRED")  # as they were declared
            progress("constraints")
            chunk.record()
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) == "55P03":  # lock_not_available: load in chunks
            logger.info("registry busy; batch %s loads in chunks", batch.pk)
            return False
        raise
    finally:
        chunk.on_step = None
        progress.close()
    return True
