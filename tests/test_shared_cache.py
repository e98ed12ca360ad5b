"""The shared cache keeps what the pages need however many attempt counters the public pages write,
and its expired entries are deleted on schedule."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from satupintu.lib.throttle import allow_value


@pytest.fixture
def empty_cache(db):
    cache.clear()
    yield
    cache.clear()


def stored_keys() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {cache._table}")  # noqa: S608
        return sorted(row[0] for row in cursor.fetchall())


def test_thousands_of_attempt_counters_do_not_evict_a_kept_value(empty_cache):
    cache.set("justice:public-figures", {"end": "2026-12-03"}, 600)
    for number in range(1_000):
        allow_value("pin-number", f"UPK2612-{number:06d}", limit=10, window=3600)
    assert cache.get("justice:public-figures") == {"end": "2026-12-03"}


def test_the_schedule_deletes_expired_entries_and_keeps_live_ones(empty_cache, capsys):
    cache.set("short", 1, 60)
    cache.set("long", 2, 3600)
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=5)):
        call_command("forget_expired_cache")
        assert cache.get("long") == 2
    assert "expired cache entries deleted: 1" in capsys.readouterr().out
    assert stored_keys() == [cache.make_key("long")]
