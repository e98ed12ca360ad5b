"""50 letters issued at once on PostgreSQL get 50 distinct consecutive numbers."""

import threading

import pytest
from django.db import connection, connections

from satupintu.documents import actions
from satupintu.documents.letter_types import ensure_letter_templates
from satupintu.documents.models import Counter, IssuedDocument

WORKERS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_letters_get_fifty_consecutive_numbers(kepala, keden_household, agencies):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer (BEGIN IMMEDIATE); the row lock race needs PostgreSQL.")
    ensure_letter_templates()  # an earlier transactional test may have flushed the migration's rows
    barrier = threading.Barrier(WORKERS)
    numbers, errors = [], []

    def issue():
        try:
            barrier.wait(timeout=60)
            letter = actions.document_issue_letter(
                actor=kepala, service_code="rujukan-jamkesda", subject_household=keden_household
            )
            numbers.append(letter.sequence)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()  # each thread has its own connection

    threads = [threading.Thread(target=issue) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, WORKERS + 1))
    assert IssuedDocument.objects.values("number").distinct().count() == WORKERS
    assert Counter.objects.get(series__contains="RJK").last == WORKERS
