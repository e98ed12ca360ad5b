"""Row counts and content checksums of every table, computed the same way on SQLite and PostgreSQL.

A table's checksum is the SHA-256 of the SHA-256 digests of its rows, concatenated in primary-key
order (by the row's text when a table has no primary key). A row's text is the database's own text
form of the whole row: PostgreSQL's `row::text`, SQLite's `quote()` of each column joined by the
unit separator. The backup and the restore compute it on the same engine, so equal checksums mean
equal contents, types and all.
"""

from __future__ import annotations

import hashlib
import sqlite3

from django.db.backends.base.base import BaseDatabaseWrapper

# PostgreSQL hashes each row on the server and sends 32 bytes per row, not the row.
_POSTGRES_QUERY = (
    "SELECT count(*), coalesce(string_agg(sha256(convert_to(t::text, 'UTF8')), ''::bytea ORDER BY {order}), '')"
    " FROM {table} AS t"
)


def table_fingerprints(connection: BaseDatabaseWrapper) -> dict[str, dict]:
    """{table: {"rows": n, "sha256": hex}} for every table of the database, in name order."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return sqlite_fingerprints(connection.connection)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = sorted(info.name for info in connection.introspection.get_table_list(cursor) if info.type == "t")
        found = {}
        for table in tables:
            keys = connection.introspection.get_primary_key_columns(cursor, table) or []
            order = ", ".join(f"t.{quote(key)}" for key in keys) or "t::text"
            cursor.execute(_POSTGRES_QUERY.format(order=order, table=quote(table)))
            rows, digests = cursor.fetchone()
            found[table] = {"rows": rows, "sha256": hashlib.sha256(bytes(digests)).hexdigest()}
        return found


def sqlite_fingerprints(raw: sqlite3.Connection) -> dict[str, dict]:
    """The same for an SQLite connection of the standard library (Django's, or one on a backup file)."""
    cursor = raw.cursor()
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    found = {}
    for (table,) in cursor.fetchall():
        columns = cursor.execute(f"PRAGMA table_info({_q(table)})").fetchall()
        row_text = " || char(31) || ".join(f"quote({_q(column[1])})" for column in columns)
        keys = [column for column in columns if column[5]]
        order = ", ".join(_q(column[1]) for column in sorted(keys, key=lambda column: column[5])) or "1"
        cursor.execute(f"SELECT {row_text} AS r FROM {_q(table)} ORDER BY {order}")  # noqa: S608 - quoted names
        found[table] = _hash_rows(cursor)
    cursor.close()
    return found


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _hash_rows(cursor) -> dict:
    total, rows = hashlib.sha256(), 0
    while batch := cursor.fetchmany(5000):
        for (text,) in batch:
            total.update(hashlib.sha256(text.encode()).digest())
        rows += len(batch)
    return {"rows": rows, "sha256": total.hexdigest()}
