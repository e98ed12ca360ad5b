"""Django's SQLite backend, with one change: a datetime passed as a parameter of raw SQL (bulk
inserts, the importer's statements) is stored in the form the ORM stores, UTC without an offset.

SQLite keeps a datetime as text and compares it as text. Django's backend adapts a raw parameter
with `isoformat(" ")`, which keeps the offset (`2026-03-02 20:00:00+07:00`), while the ORM writes
`2026-03-02 13:00:00`; a period filter over rows of both forms is off by the offset.
"""

import datetime as dt
import sqlite3

from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper

__all__ = ["DatabaseWrapper", "to_text"]


def to_text(value: dt.datetime) -> str:
    """The text Django's SQLite backend stores for `value` (an aware value is turned to UTC)."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(" ")


# Registered after Django's backend registered its own (importing it above), so this one wins.
sqlite3.register_adapter(dt.datetime, to_text)


class DatabaseWrapper(SQLiteDatabaseWrapper):
    pass
