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


def row_hash(prev_hash: str, values: dict) -> str:
    content = {name: _plain(value) for name, value in values.items() if value is not None}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256((prev_hash + text).encode()).hexdigest()


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
    if (pending := _deferred.get()) is not None:
        pending.add(type(instance))
        save()
        return
    model = type(instance)
    # No savepoint: a row that cannot be appended fails the whole enclosing transaction anyway.
    with transaction.atomic(savepoint=False):
        head = lock_head(model)
        instance.seq, instance.prev_hash = head.seq + 1, head.hash
        instance.row_hash = row_hash(head.hash, {name: getattr(instance, name) for name in content_fields(model)})
        save()
        _advance(head, instance.seq, instance.row_hash)


def _advance(head, seq: int, last_hash: str) -> None:
    type(head).objects.filter(stream=head.stream).update(seq=seq, hash=last_hash)


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
            _advance(head, seq, prev)
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
