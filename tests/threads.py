"""Run a function in several threads at the same moment, each on its own database connection."""

import threading

import pytest
from django.db import connection, connections

# Threads on SQLite's in-memory test database lock whole tables: concurrency is tried on PostgreSQL.
postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions")


def at_once(target, times: int = 4) -> None:
    def run():
        try:
            target()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
