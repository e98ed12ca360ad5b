"""The verification page with the shared cache in Redis (CACHE_URL, as deployed): a repeat opening
asks the database nothing, a reader's first opening of the day writes its row at once, the repeats
reach that row through the `write-scan-counts` schedule, and a revocation still shows at once."""

import uuid
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from satupintu.documents import actions, scans
from satupintu.documents.models import Scan
from tests.documents.conftest import qr_path
from tests.test_cache_url import REDIS, redis_running

pytestmark = pytest.mark.skipif(not redis_running(), reason="no Redis at 127.0.0.1:6379")


@pytest.fixture
def redis_cache(settings):
    """The shared cache in Redis, under a key prefix of this test's own; its keys are deleted after."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {"BACKEND": "satupintu.lib.redis_cache.RedisCache", "LOCATION": REDIS, "KEY_PREFIX": prefix}
    }
    from django.core.cache import cache

    assert scans.batched()
    yield cache
    forget_all(cache)


def forget_all(cache) -> None:
    """Delete this test's keys (its prefix), as a Redis restart without persistence would."""
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(f"{cache.key_prefix}:*"):
        client.delete(key)


def issue(actor, household):
    return actions.document_issue_letter(actor=actor, service_code="rujukan-jamkesda", subject_household=household)


def test_a_readers_first_opening_writes_its_row_and_the_repeats_are_written_by_the_schedule(
    client, redis_cache, kepala, keden_household, agencies
):
    letter = issue(kepala, keden_household)
    path = qr_path(letter.qr_text)
    assert client.get(path, HTTP_USER_AGENT="Kamera HP").status_code == 200
    assert [(s.ip_address, s.status, s.count, s.user_agent) for s in letter.scans.all()] == [
        ("127.0.0.1", "valid", 1, "Kamera HP")
    ]
    for _ in range(4):
        assert client.get(path).status_code == 200
    client.get(path, REMOTE_ADDR="10.1.2.3")
    assert sorted((s.ip_address, s.count) for s in letter.scans.all()) == [("10.1.2.3", 1), ("127.0.0.1", 1)]

    assert scans.write_scan_counts() == 4
    assert sorted((s.ip_address, s.count) for s in letter.scans.all()) == [("10.1.2.3", 1), ("127.0.0.1", 5)]
    assert scans.write_scan_counts() == 0  # written once, not again
    assert letter.scans.get(ip_address="127.0.0.1").count == 5


def test_a_repeat_opening_asks_the_database_nothing(client, redis_cache, kepala, keden_household, agencies):
    letter = issue(kepala, keden_household)
    path = qr_path(letter.qr_text)
    client.get(path)
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200 and "SAH" in response.content.decode()
    assert [query["sql"] for query in queries.captured_queries] == []


def test_a_revocation_shows_at_once_although_the_documents_facts_are_kept(
    client, redis_cache, kepala, keden_household, agencies, django_capture_on_commit_callbacks
):
    letter = issue(kepala, keden_household)
    path = qr_path(letter.qr_text)
    assert "SAH" in client.get(path).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        actions.document_revoke(actor=kepala, document=letter, reason="Data penerima keliru")
    html = client.get(path).content.decode()
    assert "DICABUT" in html and "Data penerima keliru" in html
    assert scans.write_scan_counts() == 0  # a new status is a new row, written at once
    assert sorted((s.status, s.count) for s in letter.scans.all()) == [("revoked", 1), ("valid", 1)]


def test_an_agency_renamed_shows_its_new_name_on_the_page(client, redis_cache, kepala, keden_household, agencies):
    letter = issue(kepala, keden_household)
    path = qr_path(letter.qr_text)
    agency = letter.addressee
    assert agency is not None and agency.name in client.get(path).content.decode()
    agency.name = "RSUD dr. Soehadi Prijonegoro (nama baru)"
    agency.save()  # through the model, as the admin saves it
    assert "RSUD dr. Soehadi Prijonegoro (nama baru)" in client.get(path).content.decode()


def test_counts_that_cannot_be_written_go_back_to_redis_for_the_next_run(
    client, redis_cache, kepala, keden_household, agencies
):
    letter = issue(kepala, keden_household)
    path = qr_path(letter.qr_text)
    for _ in range(3):
        client.get(path)
    with mock.patch.object(scans, "_count", side_effect=RuntimeError("database down")), pytest.raises(RuntimeError):
        scans.write_scan_counts()
    assert letter.scans.get().count == 1
    assert scans.write_scan_counts() == 2
    assert letter.scans.get().count == 3


def test_when_redis_loses_its_data_the_next_opening_is_counted_in_the_row(
    client, redis_cache, kepala, keden_household, agencies
):
    letter = issue(kepala, keden_household)
    path = qr_path(letter.qr_text)
    client.get(path)
    client.get(path)
    forget_all(redis_cache)  # a restart without persistence: the unwritten repeat is lost, the row is not
    client.get(path)
    assert scans.write_scan_counts() == 0
    assert letter.scans.get().count == 2


def test_the_limit_per_address_holds_and_a_refused_opening_counts_nothing(
    client, redis_cache, settings, kepala, keden_household, agencies
):
    settings.SATUPINTU_VERIFY_LIMIT = 3
    letter = issue(kepala, keden_household)
    path = qr_path(letter.qr_text)
    assert [client.get(path).status_code for _ in range(5)] == [200, 200, 200, 429, 429]
    scans.write_scan_counts()
    assert letter.scans.get().count == 3
    assert client.get(path, REMOTE_ADDR="10.1.2.3").status_code == 200


def test_unknown_codes_are_counted_in_one_row_per_address_and_day(client, redis_cache, db):
    for attempt in range(20):
        assert client.get(f"/v/AAAAAAAAAAAAAAAAAAAA{attempt:02d}").status_code == 404
    scans.write_scan_counts()
    scan = Scan.objects.get()
    assert (scan.document, scan.status, scan.count) == (None, "unknown", 20)


def round_trips():
    """Counts the commands sent to Redis (a pipeline or a script is one)."""
    from redis.connection import Connection

    send = Connection.send_packed_command
    return mock.patch.object(Connection, "send_packed_command", autospec=True, side_effect=send)


def test_a_repeat_opening_is_one_round_trip_to_redis(client, redis_cache, kepala, keden_household, agencies):
    letter = issue(kepala, keden_household)
    path = qr_path(letter.qr_text)
    client.get(path)
    client.get(path)
    with round_trips() as sent:
        response = client.get(path)
    assert response.status_code == 200 and "SAH" in response.content.decode()
    assert sent.call_count == 1
    assert scans.write_scan_counts() == 2


@pytest.mark.parametrize(("days_left", "status", "shown"), [(-1, "expired", "KEDALUWARSA"), (0, "valid", "SAH")])
def test_the_status_counted_in_redis_is_the_status_shown_on_the_last_day_and_after_it(
    client, redis_cache, kepala, keden_household, agencies, days_left, status, shown
):
    import datetime as dt

    from django.utils import timezone

    from satupintu.documents.models import IssuedDocument

    letter = issue(kepala, keden_household)
    IssuedDocument.objects.filter(pk=letter.pk).update(valid_until=timezone.localdate() + dt.timedelta(days=days_left))
    path = qr_path(letter.qr_text)
    for _ in range(3):  # the first reads the database; the next two are counted by the script
        assert shown in client.get(path).content.decode()
    assert scans.write_scan_counts() == 2
    assert [(s.status, s.count) for s in letter.scans.all()] == [(status, 3)]
