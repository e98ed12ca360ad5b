"""Versioned values: a worker keeps what it read for a version, and an edit (a new version) is seen at
once by every worker."""

import pytest
from django.core.cache import cache

from satupintu.lib import versioned_cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty():
    cache.clear()
    versioned_cache._local.clear()


def test_a_day_long_value_read_again_costs_only_the_version_read(django_assert_num_queries):
    builds = []
    versioned_cache.cached("ns", "list", lambda: builds.append(1) or ["a"], "id")
    with django_assert_num_queries(1):  # the version; the value is the worker's own
        assert versioned_cache.cached("ns", "list", lambda: builds.append(1) or ["b"], "id") == ["a"]
    assert builds == [1]


def test_an_edit_is_seen_at_once_although_the_worker_kept_the_old_value():
    versioned_cache.cached("ns", "list", lambda: ["old"], "id")
    versioned_cache.changed("ns")  # another worker's admin edit, through the shared cache
    assert versioned_cache.cached("ns", "list", lambda: ["new"], "id") == ["new"]


def test_a_short_lived_value_is_not_kept_by_the_worker(django_assert_num_queries):
    versioned_cache.cached("ns", "count", lambda: 1, "id", timeout=60)
    with django_assert_num_queries(2):  # version and value, from the shared cache
        versioned_cache.cached("ns", "count", lambda: 2, "id", timeout=60)


def test_the_worker_asks_the_shared_cache_again_after_a_minute(monkeypatch):
    versioned_cache.cached("ns", "list", lambda: ["a"], "id")
    key = next(iter(versioned_cache._local))
    cache.set(key, ["rebuilt elsewhere"], versioned_cache.DAY)
    clock = versioned_cache.time.monotonic() + versioned_cache.LOCAL_SECONDS + 1
    monkeypatch.setattr(versioned_cache.time, "monotonic", lambda: clock)
    assert versioned_cache.cached("ns", "list", lambda: ["b"], "id") == ["rebuilt elsewhere"]
