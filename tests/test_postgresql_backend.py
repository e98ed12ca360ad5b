"""The PostgreSQL backend (satupintu/postgresql/base.py) reads `timestamptz` with psycopg's compiled
loader: every value as Django's own loader reads it, with the same time zone object."""

import datetime as dt

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.utils import timezone

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's loader"),
]

VALUES = """SELECT v::timestamptz FROM (VALUES ('2026-12-07 09:15:00+07'), ('2026-12-07 02:15:00.123456+00'),
    ('1970-01-01 00:00:00+00'), ('1945-08-17 10:00:00+09'), ('2099-12-31 23:59:59.999999+00'),
    ('0001-01-01 00:00:00+00'), ('2024-02-29 12:00:00-05:30'), (NULL)) AS t(v)"""


def read(cursor) -> list:
    cursor.execute(VALUES)
    return [row[0] for row in cursor.fetchall()]


def test_timestamps_are_read_by_the_compiled_loader_as_django_s_loader_reads_them():
    from satupintu.postgresql.base import UtcTimestamptzLoader

    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(cursor.cursor.adapters.types["timestamptz"].oid, 0)
        assert loader is UtcTimestamptzLoader
        compiled = read(cursor)
    with connection.cursor() as cursor:
        register_tzloader(dt.UTC, cursor.cursor)  # Django's own loader, on this cursor only
        django_s = read(cursor)
    assert compiled == django_s
    assert compiled[0] == dt.datetime(2026, 12, 7, 2, 15, tzinfo=dt.UTC)
    assert compiled[1].microsecond == 123456
    assert all(value.tzinfo is dt.UTC for value in compiled if value is not None)
    assert [type(value.tzinfo) for value in django_s if value is not None] == [type(dt.UTC)] * 7


def test_a_model_s_datetime_comes_back_as_it_was_saved(django_user_model):
    saved = timezone.make_aware(dt.datetime(2026, 12, 7, 9, 15, 30, 250000), timezone.get_fixed_timezone(420))
    user = django_user_model.objects.create(username="waktu", date_joined=saved)
    user.refresh_from_db()
    assert user.date_joined == saved and user.date_joined.tzinfo is dt.UTC
