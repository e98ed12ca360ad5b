"""SQLite: rewrite datetimes that raw SQL stored with an offset (`2026-02-10 09:39:00+07:00`) into
the form Django stores (UTC, no offset), so that text comparison orders every row correctly.
The project's SQLite backend (satupintu.sqlite) keeps new rows in that form. Nothing to do on PostgreSQL."""

import datetime as dt

from django.db import migrations, models

from satupintu.sqlite.base import to_text

WITH_OFFSET = "({column} LIKE '%+__:__' OR {column} LIKE '%-__:__')"


def _columns(apps):
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            for field in model._meta.local_fields:
                if isinstance(field, models.DateTimeField):
                    yield model._meta.db_table, field.column


def to_utc_text(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    quote = connection.ops.quote_name
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table, column in _columns(apps):
            if table not in existing:
                continue
            where = WITH_OFFSET.format(column=quote(column))
            # Table and column names come from model metadata, quoted.
            cursor.execute(f"SELECT rowid, CAST({quote(column)} AS TEXT) FROM {quote(table)} WHERE {where}")  # noqa: S608
            rows = [(to_text(dt.datetime.fromisoformat(text)), rowid) for rowid, text in cursor.fetchall()]
            cursor.executemany(f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE rowid = %s", rows)  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_reference_agencies"),
        ("audit", "0001_initial"),
        ("cases", "0002_verification_overdue_marked"),
        ("complaints", "0001_initial"),
        ("documents", "0003_link_reference_agencies"),
        ("imports", "0006_staging_fillfactor_full"),
        ("registry", "0003_drop_unused_like_indexes"),
        ("survey", "0001_initial"),
        ("targeting", "0004_eligibility_intervals"),
    ]

    operations = [migrations.RunPython(to_utc_text, migrations.RunPython.noop)]
