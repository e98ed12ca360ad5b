"""Two targeting runs started at once: the second compares with the first, not with the same previous run."""

import threading

import pytest
from django.db import connection, connections

from satupintu.targeting.models import TargetingRun
from satupintu.targeting.run import run_targeting
from tests.conftest import KEDEN, household_in
from tests.targeting.test_run import poor


@pytest.mark.django_db(transaction=True)
def test_runs_started_at_once_form_a_chain_of_previous_runs(regions):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer (BEGIN IMMEDIATE); the race needs PostgreSQL.")
    for _ in range(5):
        poor(household_in(KEDEN))
    run_targeting()
    workers = 4
    barrier, errors = threading.Barrier(workers), []

    def start():
        try:
            barrier.wait(timeout=60)
            run_targeting()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    previous = list(TargetingRun.objects.exclude(previous=None).values_list("previous_id", flat=True))
    assert len(previous) == workers and len(set(previous)) == workers  # each run followed a different one
