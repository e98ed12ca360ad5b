"""Hash chain of the append-only tables: the audit log and the events of applications, complaints
and import batches.

Each table is one stream. A row takes the next position (`seq`) of its stream, the hash of the row
before it (`prev_hash`) and `row_hash` = sha256(prev_hash + its content as canonical JSON); the
stream's head row (`ChainHead`) holds the last position and hash. Writers of a stream are
serialised by locking its head row (FOR UPDATE) inside the inserting transaction, so two
transactions never take the same position. The content is every column but the surrogate id and
the chain's own columns; a column holding NULL is left out, so adding a nullable column keeps the
old rows' hashes.

`verify` recomputes a stream and names its first row that is not as it was written: content
changed, a row before it missing, rows swapped, or rows after the last one missing (the head says
more). Someone able to rewrite the whole table and its head could recompute every hash; the chain
makes a change evident, and the PostgreSQL trigger (`TRIGGER_SQL`) refuses UPDATE and DELETE of a
row once it is in the chain.

Set-based writers (COPY, INSERT … SELECT) insert rows outside the chain and call `seal(model)` in
the same transaction, which chains every row not yet in it in id order.
"""

import contextvars
import datetime as dt
import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction

GENESIS = "0" * 64
CHAIN_COLUMNS = ("seq", "prev_hash", "row_hash")
UPDATE_CHUNK = 20_000

_deferred: contextvars.ContextVar[set | None] = contextvars.ContextVar("chain_deferred", default=None)


def content_fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.attname not in CHAIN_COLUMNS and not f.primary_key]


def _plain(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def content_text(values: dict) -> str:
    """A row's content as the canonical JSON its hash is taken of."""
    content = {name: _plain(value) for name, value in values.items() if value is not None}
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def text_digest(text: str) -> str:
    """The digest of a row's text as UTF-8, which the database must compute alike (`_prepared`)."""
    return hashlib.sha256(text.encode()).hexdigest()


def chained_hash(prev_hash: str, text: str) -> str:
    return hashlib.sha256((prev_hash + text).encode()).hexdigest()


def row_hash(prev_hash: str, values: dict) -> str:
    return chained_hash(prev_hash, content_text(values))


def stream(model) -> str:
    return model._meta.db_table


def _head_model(model):
    return model._meta.apps.get_model("audit", "ChainHead")


def lock_head(model):
    """The stream's head row, locked until the transaction ends (created on first use)."""
    head_model = _head_model(model)
    heads = head_model.objects.select_for_update()
    head = heads.filter(stream=stream(model)).first()
    if head is None:
        head_model.objects.bulk_create([head_model(stream=stream(model))], ignore_conflicts=True)
        head = heads.get(stream=stream(model))
    return head


def append(instance, save) -> None:
    """Insert `instance` through `save()` at the next position of its stream."""
    append_together([(instance, save)])


def append_together(rows: list[tuple]) -> None:
    """Insert each (instance, save) at the next position of its stream, in the order given."""
    if (pending := _deferred.get()) is not None:
        for instance, save in rows:
            pending.add(type(instance))
            save()
        return
    # Every row is made ready (its content in canonical form, on PostgreSQL its statement too) before
    # the first stream is locked. Every writer of a stream waits for its lock, and a worker's thread
    # that gets an answer from the database may wait for Python's lock (the GIL) before it goes on:
    # on PostgreSQL one statement locks the head, takes the position, hashes and inserts the row.
    fast = connection.vendor == "postgresql"
    ready = [_prepared(row, save, fast) for row, save in rows]
    # One row outside a transaction (a page recording its reading): its one statement is a transaction
    # of its own, so the head stays locked for that statement only, not until a COMMIT the worker's
    # thread sends once it has Python's lock back. A stream without its head yet takes the path below.
    if len(ready) == 1 and ready[0][3] is not None and not connection.in_atomic_block:
        instance, _save, text, statement = ready[0]
        if _append_in_one_statement(instance, text, *statement):
            return
    # No savepoint: a row that cannot be appended fails the whole enclosing transaction anyway.
    with transaction.atomic(savepoint=False):
        for instance, save, text, statement in ready:
            if statement is None or not _append_in_one_statement(instance, text, *statement):
                _append_in_steps(instance, save, text)


def _append_in_steps(instance, save, text: str) -> None:
    model = type(instance)
    seq, prev = _lock_position(model)
    instance.seq, instance.prev_hash = seq + 1, prev
    instance.row_hash = chained_hash(prev, text)
    save()
    _set_head(model, instance.seq, instance.row_hash)


def _prepared(instance, save, fast: bool) -> tuple:
    """(instance, save, content text, (statement, values) or None)."""
    model = type(instance)
    if not fast:
        return instance, save, content_text({name: getattr(instance, name) for name in content_fields(model)}), None
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in CHAIN_COLUMNS]
    values = [f.pre_save(instance, True) for f in fields]  # fills in what is set on insert (auto_now_add)
    text = content_text({f.attname: getattr(instance, f.attname) for f in fields})
    quote = connection.ops.quote_name
    head = quote(_head_model(model)._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    # The row hash as chained_hash computes it: sha256 of the previous hash and the text, as UTF-8. The
    # text's own digest, Python's, must be the database's: a text the database reads otherwise (an
    # encoding) appends nothing here, and the row takes the path computed in Python.
    statement = (
        f"WITH last AS (SELECT seq, hash FROM {head} WHERE stream = %s "  # noqa: S608
        "AND encode(sha256(convert_to(%s, 'UTF8')), 'hex') = %s FOR UPDATE), "
        "next AS (SELECT seq + 1 AS seq, hash AS prev, "
        "encode(sha256(convert_to(hash || %s, 'UTF8')), 'hex') AS hash FROM last), "
        f"moved AS (UPDATE {head} AS h SET seq = next.seq, hash = next.hash FROM next WHERE h.stream = %s) "
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}, seq, prev_hash, row_hash) "
        f"SELECT {', '.join(['%s'] * len(fields))}, next.seq, next.prev, next.hash FROM next "
        f"RETURNING {quote(model._meta.pk.column)}, seq, prev_hash, row_hash"
    )
    prepared = [f.get_db_prep_save(value, connection) for f, value in zip(fields, values, strict=True)]
    return instance, save, text, (statement, prepared)


def _append_in_one_statement(instance, text: str, statement: str, values: list) -> bool:
    """The row appended in one statement (PostgreSQL); False when its stream has no head yet."""
    name = stream(type(instance))
    with connection.cursor() as cursor:
        cursor.execute(statement, [name, text, text_digest(text), text, name, *values])
        row = cursor.fetchone()
    if row is None:
        return False
    instance.pk, instance.seq, instance.prev_hash, instance.row_hash = row
    if instance.row_hash != chained_hash(instance.prev_hash, text):
        raise RuntimeError(f"{name}: the database's hash of row {instance.seq} is not the chain's")
    instance._state.adding = False
    instance._state.db = connection.alias
    return True


def _lock_position(model) -> tuple[int, str]:
    """The stream's last position and hash, its head row locked until the transaction ends."""
    table = connection.ops.quote_name(_head_model(model)._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, hash FROM {table} WHERE stream = %s{lock}", [stream(model)])  # noqa: S608
        row = cursor.fetchone()
    if row is None:  # the stream's first row: its head is created
        head = lock_head(model)
        return head.seq, head.hash
    return row[0], row[1]


def _set_head(model, seq: int, last_hash: str) -> None:
    table = connection.ops.quote_name(_head_model(model)._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET seq = %s, hash = %s WHERE stream = %s", [seq, last_hash, stream(model)])  # noqa: S608


def seal(model) -> int:
    """Chain the stream's rows that are not in it yet, in id order; returns how many. Run inside the
    transaction that inserted them."""
    fields = content_fields(model)
    with transaction.atomic():
        head = lock_head(model)
        seq, prev = head.seq, head.hash
        updates = []
        for pk, *values in model.objects.filter(seq__isnull=True).order_by("id").values_list("id", *fields):
            seq += 1
            digest = row_hash(prev, dict(zip(fields, values, strict=True)))
            updates.append((pk, seq, prev, digest))
            prev = digest
        if updates:
            _write(model, updates)
            _set_head(model, seq, prev)
    return len(updates)


def _write(model, updates: list[tuple]) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(
                f"UPDATE {table} SET seq = %s, prev_hash = %s, row_hash = %s WHERE id = %s",  # noqa: S608
                [(seq, prev, digest, pk) for pk, seq, prev, digest in updates],
            )
            return
        for start in range(0, len(updates), UPDATE_CHUNK):
            ids, seqs, prevs, digests = zip(*updates[start : start + UPDATE_CHUNK], strict=True)
            cursor.execute(
                f"UPDATE {table} AS t SET seq = u.seq, prev_hash = u.prev, row_hash = u.digest "  # noqa: S608
                "FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[]) AS u(id, seq, prev, digest) "
                "WHERE t.id = u.id",
                [list(ids), list(seqs), list(prevs), list(digests)],
            )


@contextmanager
def deferred():
    """Rows saved in the block stay outside the chain (and may still be corrected) until the block
    ends, when they are chained. For a generator that writes a history and then moves it in time."""
    pending: set = set()
    token = _deferred.set(pending)
    try:
        with transaction.atomic():
            yield
            _deferred.reset(token)
            token = None
            for model in sorted(pending, key=stream):
                seal(model)
    finally:
        if token is not None:
            _deferred.reset(token)


@dataclass(frozen=True)
class Result:
    stream: str
    rows: int
    broken_id: int | None = None
    problem: str = ""


def verify(model) -> Result:
    """Walk the stream in chain order; the first row that breaks it, with what is wrong."""
    name, fields = stream(model), content_fields(model)
    outside = model.objects.filter(seq__isnull=True).order_by("id").values_list("id", flat=True).first()
    if outside is not None:
        return Result(name, 0, outside, "not in the chain")
    rows = model.objects.order_by("seq").values_list("id", "seq", "prev_hash", "row_hash", *fields)
    expected, prev, last_id, count = 1, GENESIS, None, 0
    for pk, seq, prev_hash, digest, *values in rows.iterator(chunk_size=5000):
        if seq != expected:
            return Result(name, count, pk, f"rows before it are missing (position {seq}, expected {expected})")
        if prev_hash != prev:
            return Result(name, count, pk, "does not follow the row before it")
        if row_hash(prev, dict(zip(fields, values, strict=True))) != digest:
            return Result(name, count, pk, "content changed")
        expected, prev, last_id, count = expected + 1, digest, pk, count + 1
    head = _head_model(model).objects.filter(stream=name).first()
    if ((head.seq, head.hash) if head else (0, GENESIS)) != (count, prev):
        return Result(name, count, last_id, "rows after it are missing (the head holds more)")
    return Result(name, count)


def chained_models() -> list:
    from django.apps import apps

    from .models import Chained

    return sorted((m for m in apps.get_models() if issubclass(m, Chained)), key=stream)


TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION satupintu_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'Table % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
DROP TRIGGER IF EXISTS append_only ON {table};
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION satupintu_append_only();
"""


def chain_existing(model_label: str):
    """A migration step: chain the rows the table already holds and, on PostgreSQL, refuse UPDATE and
    DELETE of chained rows from then on."""

    def forwards(apps, schema_editor):
        model = apps.get_model(model_label)
        seal(model)
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(TRIGGER_SQL.format(table=schema_editor.quote_name(model._meta.db_table)), params=None)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            table = schema_editor.quote_name(apps.get_model(model_label)._meta.db_table)
            schema_editor.execute(f"DROP TRIGGER IF EXISTS append_only ON {table}")

    return forwards, backwards
