"""The registry's indexes on PostgreSQL: no `_like` (varchar_pattern_ops) index nobody reads."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's pattern_ops indexes")
migration = importlib.import_module("satupintu.registry.migrations.0003_drop_unused_like_indexes")


def pattern_indexes() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename LIKE 'registry\\_%%' "
            "AND indexdef LIKE '%%pattern_ops%%' ORDER BY 1"
        )
        return [name for (name,) in cursor.fetchall()]


def test_the_registry_has_no_like_index_after_migrating(db):
    assert pattern_indexes() == []


def test_the_migration_puts_the_like_indexes_back_when_reversed_and_drops_them_again(db):
    with connection.schema_editor() as editor:
        migration.create(apps, editor)
    assert len(pattern_indexes()) == len(migration.LIKE_INDEXED)
    with connection.schema_editor() as editor:
        migration.drop(apps, editor)
    assert pattern_indexes() == []
