"""A costly shared value is rebuilt by one worker at a time; the others serve the value they have."""

import threading
import time

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection

from satupintu.lib.versioned_cache import NotReady, kept

pytestmark = pytest.mark.django_db(transaction=True)  # the threads use their own connections


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # the cache table is not flushed between transactional tests
    yield
    cache.clear()


def test_a_fresh_value_is_built_once_then_served():
    builds = []
    assert kept("k", lambda: builds.append(1) or "v1", fresh=60) == "v1"
    assert kept("k", lambda: builds.append(1) or "v2", fresh=60) == "v1"
    assert builds == [1]


def test_a_stale_value_is_served_while_another_worker_rebuilds_it():
    with time_machine.travel(0, tick=False) as clock:
        kept("k", lambda: "old", fresh=60)
        clock.shift(61)
        cache.add("k:rebuilding", 1, 60)  # another worker is rebuilding it
        assert kept("k", lambda: "new", fresh=60) == "old"
        cache.delete("k:rebuilding")
        assert kept("k", lambda: "new", fresh=60) == "new"


def test_a_value_no_longer_current_is_rebuilt():
    kept("k", lambda: {"day": 1}, fresh=600)
    assert kept("k", lambda: {"day": 2}, fresh=600, current=lambda v: v["day"] == 2) == {"day": 2}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the in-memory SQLite test database locks whole tables between threads"
)
def test_many_workers_asking_at_once_on_a_cold_cache_build_it_once():
    builds, results = [], []

    def build():
        builds.append(1)
        time.sleep(0.5)
        return "tables"

    def worker():
        results.append(kept("cold", build, fresh=60, wait=10))

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["tables"] * 6 and builds == [1]


def test_on_a_cold_cache_a_worker_that_cannot_build_says_not_ready_instead_of_building_too():
    cache.add("cold:rebuilding", 1, 60)  # another worker is building the first value
    with pytest.raises(NotReady):
        kept("cold", lambda: pytest.fail("built twice"), fresh=60, wait=0.3)
