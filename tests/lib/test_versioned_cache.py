"""Versioned values: a worker keeps what it read for a version, an edit (a new version) is seen at once
by the worker that made it and within VERSION_SECONDS by every other."""

import pytest
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


def test_a_short_lived_value_is_not_kept_by_the_worker(django_assert_num_queries):
    versioned_cache.cached("ns", "count", lambda: 1, "id", timeout=60)
    with django_assert_num_queries(1):  # the value, from the shared cache (the version is the worker's)
        versioned_cache.cached("ns", "count", lambda: 2, "id", timeout=60)


def test_the_worker_asks_the_shared_cache_again_after_a_minute(monkeypatch):
    versioned_cache.cached("ns", "list", lambda: ["a"], "id")
    key = next(iter(versioned_cache._local))
    cache.set(key, ["rebuilt elsewhere"], versioned_cache.DAY)
    clock = versioned_cache.time.monotonic() + versioned_cache.LOCAL_SECONDS + 1
    monkeypatch.setattr(versioned_cache.time, "monotonic", lambda: clock)
    assert versioned_cache.cached("ns", "list", lambda: ["b"], "id") == ["rebuilt elsewhere"]
