"""Django's PostgreSQL backend, with one change: `timestamptz` values are read by psycopg's compiled
loader (psycopg[binary]), not by Django's, which is written in Python.

Django's loader reads the value with psycopg's Python one and then sets its time zone to the site's
(`datetime.timezone.utc` with USE_TZ and no TIME_ZONE for the database, as here). Django also sets the
session's time zone to UTC, and for a UTC session psycopg's compiled loader gives the same value with
the same `datetime.timezone.utc`, in a small part of the time: a list whose rows each carry a time (a
work queue's fifty) spent a large part of its reading on them. psycopg keeps its compiled
parts in `psycopg._cmodule`. tests/test_postgresql_backend.py checks that both loaders give the same
values. Without the compiled module, or with another time zone, Django's loader stays.
"""

import datetime as dt

from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLDatabaseWrapper
from psycopg import _cmodule
from psycopg.pq import Format

__all__ = ["DatabaseWrapper", "UtcTimestamptzLoader"]


class UtcTimestamptzLoader:
    """Makes psycopg's compiled loader (a class that cannot be subclassed): psycopg creates a loader for
    each query by calling its class, and uses the compiled reading of what it gets. `timezone` is what
    Django's backend compares with its own before each query, to put its loader back when they differ."""

    format = Format.TEXT
    timezone = dt.UTC

    def __new__(cls, oid, context=None):
        return _cmodule._psycopg.TimestamptzLoader(oid, context)


class DatabaseWrapper(PostgreSQLDatabaseWrapper):
    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if _cmodule._psycopg is not None and self.timezone is dt.UTC and self.timezone_name == "UTC":
            connection.adapters.register_loader("timestamptz", UtcTimestamptzLoader)
        return connection
