"""A web request that meets a locked registry (the first load of a regency) gets a clear 503
within WEB_LOCK_TIMEOUT instead of hanging until gunicorn kills its worker."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager

import psycopg
import pytest
from django.db import OperationalError, connection
from django.test import override_settings
from django.urls import reverse

from satupintu.imports.models import ImportBatch, State
from satupintu.middleware import is_lock_timeout
from satupintu.registry.models import Household

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's lock_timeout")


@contextmanager
def registry_locked():
    """Another session holds the registry's households table as the first load does. The test's
    own connection gives up after 5 s whatever happens (a failure, not a hung test)."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = '5s'")
    try:
        with psycopg.connect(**params) as other:
            other.execute(f"LOCK TABLE {Household._meta.db_table} IN ACCESS EXCLUSIVE MODE")
            yield
            other.rollback()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout TO DEFAULT")


@pytest.fixture
def loading_batch(operator_keden):
    return ImportBatch.objects.create(
        original_name="dtsen-sragen.csv", sha256="0" * 64, state=State.IMPORTING,
        valid_rows=1_008_211, progress_done=504_106, progress_total=1_008_211, uploaded_by=operator_keden,
    )  # fmt: skip


@postgres_only
@pytest.mark.django_db(transaction=True)  # the lock is held on a second connection
@override_settings(WEB_LOCK_TIMEOUT="300ms")
def test_a_registry_page_during_the_first_load_answers_503_naming_the_import(
    client, operator_keden, keden_household, loading_batch
):
    client.force_login(operator_keden)
    client.get(reverse("home"))  # templates and catalogues loaded: the timing below is the wait
    with registry_locked():
        start = time.monotonic()
        response = client.get(reverse("registry:household_list"))
        waited = time.monotonic() - start
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Data sedang dikunci sementara" in page
    assert f"Impor {loading_batch.reference} sedang memuat 1.008.211 baris" in page
    assert "(50% selesai)" in page
    assert '<meta http-equiv="refresh" content="30">' in page
    assert waited < 3  # the 300 ms limit, not an endless wait
    assert client.get(reverse("registry:household_list")).status_code == 200  # the lock is gone: the page opens


@postgres_only
@pytest.mark.django_db(transaction=True)
@override_settings(WEB_LOCK_TIMEOUT="300ms")
def test_the_busy_page_speaks_english_to_who_chose_it(client, operator_keden, keden_household, loading_batch):
    client.force_login(operator_keden)
    client.cookies["django_language"] = "en"
    with registry_locked():
        page = client.get(reverse("registry:household_list")).content.decode()
    assert f"Import {loading_batch.reference} is loading 1,008,211 rows into the empty registry (50% done)" in page
    assert "This page will try again by itself in 30 seconds." in page


@postgres_only
@pytest.mark.django_db(transaction=True)
@override_settings(WEB_LOCK_TIMEOUT="300ms")
def test_a_post_that_meets_the_lock_is_told_to_check_before_sending_again(client, operator_keden, keden_household):
    client.force_login(operator_keden)
    edit = reverse("registry:household_edit", args=[keden_household.pk])
    with registry_locked():
        response = client.post(edit, {"address": "Dukuh Baru", "reason": "pindah"})
    assert response.status_code == 503
    page = response.content.decode()
    assert 'data-role="not-saved"' in page and "http-equiv" not in page
    assert "periksa apakah perubahan Anda sudah tersimpan" in page
    assert 'data-role="loading"' not in page  # no import is running: the page does not invent one
    keden_household.refresh_from_db()
    assert keden_household.address == "Dukuh Krajan"


@postgres_only
@pytest.mark.django_db(transaction=True)
@override_settings(WEB_LOCK_TIMEOUT="300ms")
def test_the_api_answers_503_in_json_during_the_lock(client, operator_keden):
    client.force_login(operator_keden)
    with registry_locked():
        response = client.get("/api/v1/households/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "dikunci" in response.json()["detail"]


@postgres_only
@pytest.mark.django_db(transaction=True)
@override_settings(WEB_LOCK_TIMEOUT="300ms")
def test_the_limit_is_a_setting_of_the_connection_not_a_query_of_the_request(client, operator_keden):
    client.force_login(operator_keden)
    client.get(reverse("home"))
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "300ms"


@postgres_only
@pytest.mark.django_db(transaction=True)
@override_settings(WEB_LOCK_TIMEOUT="300ms")
def test_a_connection_opened_during_a_request_gets_the_limit_too(client, operator_keden):
    client.force_login(operator_keden)
    connection.close()  # the request opens its own
    client.get(reverse("home"))
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "300ms"
    connection.close()  # outside a request, a new connection keeps the server's default
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "0"


def test_only_lock_waits_count_as_a_lock_timeout():
    assert is_lock_timeout(OperationalError("database is locked"))
    assert not is_lock_timeout(OperationalError("no such table: registry_household"))
    assert not is_lock_timeout(ValueError("database is locked"))
    cause = psycopg.errors.LockNotAvailable("canceling statement due to lock timeout")
    wrapped = OperationalError("canceling statement due to lock timeout")
    wrapped.__cause__ = cause
    assert is_lock_timeout(wrapped)


@pytest.mark.parametrize(("value", "accepted"), [("5s", True), ("500ms", True), ("0", True), ("lima detik", False)])
def test_a_malformed_lock_timeout_stops_the_settings_with_its_name(value, accepted):
    env = {**os.environ, "DEBUG": "1", "WEB_LOCK_TIMEOUT": value}
    done = subprocess.run(
        [sys.executable, "-c", "import satupintu.settings"], env=env, capture_output=True, text=True, check=False
    )
    assert (done.returncode == 0) is accepted
    if not accepted:
        assert "WEB_LOCK_TIMEOUT='lima detik'" in done.stderr
