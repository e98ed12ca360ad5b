"""Every datetime is stored in one form, whether the ORM or raw SQL wrote it, so period filters
are right on SQLite (which compares the stored text) as on PostgreSQL."""

import datetime as dt
import importlib
import zoneinfo
from types import SimpleNamespace

import pytest
from django.apps import apps as global_apps
from django.db import connection

from satupintu.cases.models import Application
from tests.conftest import apply_for

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
EVENING = dt.datetime(2026, 3, 2, 20, 0, tzinfo=WIB)  # 13:00 UTC


def _stored(application) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT received_at FROM cases_application WHERE id = %s", [application.pk])
        return str(cursor.fetchone()[0])


def _received_by_raw_sql(application, when):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_application SET received_at = %s WHERE id = %s", [when, application.pk])


def test_a_time_written_by_raw_sql_falls_in_the_period_it_belongs_to(regions, petugas, keden_household):
    application, _pin = apply_for(petugas, keden_household)
    _received_by_raw_sql(application, EVENING)
    before_ten_pm = Application.objects.filter(pk=application.pk, received_at__lt=EVENING.replace(hour=22))
    after_nine_pm = Application.objects.filter(pk=application.pk, received_at__gte=EVENING.replace(hour=21))
    assert (before_ten_pm.count(), after_nine_pm.count()) == (1, 0)


def test_raw_sql_and_the_orm_store_the_same_form(regions, petugas, keden_household):
    application, _pin = apply_for(petugas, keden_household)
    Application.objects.filter(pk=application.pk).update(received_at=EVENING)
    by_orm = _stored(application)
    _received_by_raw_sql(application, EVENING)
    assert _stored(application) == by_orm
    if connection.vendor == "sqlite":
        assert by_orm == "2026-03-02 13:00:00"


def test_the_migration_rewrites_times_stored_with_an_offset(regions, petugas, keden_household):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL stores timestamptz, not text")
    application, _pin = apply_for(petugas, keden_household)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_application SET received_at = '2026-03-02 20:00:00+07:00' WHERE id = %s", [application.pk]
        )
    migration = importlib.import_module("satupintu.justice.migrations.0001_sqlite_timestamps_utc")
    migration.to_utc_text(global_apps, SimpleNamespace(connection=connection))
    assert _stored(application) == "2026-03-02 13:00:00"
    assert Application.objects.filter(pk=application.pk, received_at__lt=EVENING.replace(hour=22)).exists()
