"""Versioned values: a worker keeps what it read for a version, an edit (a new version) is seen at once
by the worker that made it and within VERSION_SECONDS by every other."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache

from satupintu.lib import versioned_cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty():
    cache.clear()
    versioned_cache.forget_local()


def later(monkeypatch, seconds: float) -> None:
    clock = versioned_cache.time.monotonic() + seconds
    monkeypatch.setattr(versioned_cache.time, "monotonic", lambda: clock)


def test_a_day_long_value_read_again_costs_no_query_and_a_version_read_after_a_second(
    django_assert_num_queries, monkeypatch
):
    builds = []
    versioned_cache.cached("ns", "list", lambda: builds.append(1) or ["a"], "id")
    with django_assert_num_queries(0):  # the version and the value are the worker's own
        assert versioned_cache.cached("ns", "list", lambda: builds.append(1) or ["b"], "id") == ["a"]
    later(monkeypatch, versioned_cache.VERSION_SECONDS + 0.1)
    with django_assert_num_queries(1):  # the version, from the shared cache
        assert versioned_cache.cached("ns", "list", lambda: builds.append(1) or ["b"], "id") == ["a"]
    assert builds == [1]


def test_this_worker_s_edit_is_seen_at_once_although_it_kept_the_old_value():
    versioned_cache.cached("ns", "list", lambda: ["old"], "id")
    versioned_cache.changed("ns")
    assert versioned_cache.cached("ns", "list", lambda: ["new"], "id") == ["new"]


def test_another_worker_s_edit_is_seen_within_a_second(monkeypatch):
    versioned_cache.cached("ns", "list", lambda: ["old"], "id")
    cache.set("ns:version", "set-by-another-worker", None)  # what changed() does in another process
    assert versioned_cache.cached("ns", "list", lambda: ["new"], "id") == ["old"]
    later(monkeypatch, versioned_cache.VERSION_SECONDS + 0.1)
    assert versioned_cache.cached("ns", "list", lambda: ["new"], "id") == ["new"]


def test_a_short_lived_value_is_kept_by_the_worker_until_it_is_counted_again(django_assert_num_queries):
    with time_machine.travel(dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        versioned_cache.cached("ns", "count", lambda: 1, "id", timeout=60)
        with django_assert_num_queries(0):  # neither the database nor the shared cache
            assert versioned_cache.cached("ns", "count", lambda: 2, "id", timeout=60) == 1
        traveller.shift(61)
        assert versioned_cache.cached("ns", "count", lambda: 2, "id", timeout=60) == 2


def test_a_worker_reading_a_count_another_counted_keeps_it_only_until_the_count_s_own_expiry():
    with time_machine.travel(dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        assert versioned_cache.counted("tabs", lambda: 1, 60) == (1, dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC))
        versioned_cache.forget_local()  # another worker: it has only the shared cache
        traveller.shift(50)
        assert versioned_cache.counted("tabs", lambda: 2, 60)[0] == 1  # counted 50 s ago by the first
        traveller.shift(11)
        assert versioned_cache.counted("tabs", lambda: 2, 60)[0] == 2  # 61 s: counted again, here too


def test_a_count_kept_for_no_seconds_is_counted_every_time():
    assert [versioned_cache.counted("tabs", lambda n=n: n, 0)[0] for n in (1, 2)] == [1, 2]


def test_the_worker_asks_the_shared_cache_again_after_a_minute(monkeypatch):
    versioned_cache.cached("ns", "list", lambda: ["a"], "id")
    key = next(iter(versioned_cache._local))
    cache.set(key, ["rebuilt elsewhere"], versioned_cache.DAY)
    clock = versioned_cache.time.monotonic() + versioned_cache.LOCAL_SECONDS + 1
    monkeypatch.setattr(versioned_cache.time, "monotonic", lambda: clock)
    assert versioned_cache.cached("ns", "list", lambda: ["b"], "id") == ["rebuilt elsewhere"]
