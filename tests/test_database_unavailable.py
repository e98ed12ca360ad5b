"""With the database down, pages and the API answer 503 with Retry-After (HTML for pages, JSON for the
API) instead of a server error, as a timed-out lock wait does; also when it goes down between the
view's commit and the session's save."""

import sqlite3
from contextlib import contextmanager
from unittest import mock

import psycopg
import pytest
from django.contrib.sessions.models import Session
from django.db import DatabaseError, OperationalError, connection
from django.test import Client
from django.urls import reverse

from satupintu.api import tokens
from satupintu.cases.models import Application
from satupintu.middleware import is_database_unavailable
from satupintu.registry.models import Household
from tests.api.test_create_replay import HOUSEHOLD


@contextmanager
def database_down():
    """Every query fails as when the server refuses the connection (psycopg's own error as cause)."""
    refused = psycopg.OperationalError('connection failed: connection to server at "127.0.0.1", port 5432 failed')

    def ensure_connection():
        raise OperationalError(str(refused)) from refused

    with mock.patch.object(connection, "ensure_connection", ensure_connection):
        yield


@pytest.fixture
def browser_client():
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_a_public_page_answers_503_html_with_retry_after_when_the_database_is_down(browser_client):
    with database_down():
        response = browser_client.get(reverse("transparency"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    assert "Layanan sementara tidak tersedia" in response.content.decode()


def test_a_staff_page_answers_503_even_though_the_session_cannot_be_read_or_saved(browser_client, operator_keden):
    browser_client.force_login(operator_keden)
    with database_down():
        response = browser_client.post(reverse("registry:household_list"), {"q": "Sutrisno"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert 'data-role="not-saved"' in response.content.decode()


def test_the_api_answers_503_json_with_retry_after_when_the_database_is_down(operator_keden):
    client = Client(raise_request_exception=False)
    token = tokens.issue(operator_keden)[1]
    with database_down():
        response = client.get("/api/v1/households/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["detail"].startswith("Layanan sedang tidak dapat mengakses basis data")


def test_an_error_of_the_query_itself_is_not_called_an_unavailable_database():
    syntax = psycopg.errors.SyntaxError("syntax error at or near")
    wrong_query = OperationalError("no such column: x")
    wrong_query.__cause__ = syntax
    assert not is_database_unavailable(wrong_query)
    assert not is_database_unavailable(ValueError("not a database error"))


@contextmanager
def session_save_fails(error: Exception):
    """Saving the session after the view fails with `error` (the database went away after the view's
    transaction was committed)."""
    with mock.patch.object(Session, "save", side_effect=error):
        yield


def connection_lost() -> OperationalError:
    lost = psycopg.OperationalError("consuming input failed: server closed the connection unexpectedly")
    error = OperationalError(str(lost))
    error.__cause__ = lost
    return error


@pytest.mark.parametrize(
    ("path", "body", "records"),
    [
        ("/api/v1/households/", HOUSEHOLD, lambda: Household.objects.filter(kk_number=HOUSEHOLD["kk_number"])),
        ("/api/v1/applications", None, lambda: Application.objects.all()),
    ],
)
def test_an_api_create_whose_session_cannot_be_saved_after_the_commit_answers_503_and_its_retry_the_record(
    path, body, records, operator_keden, keden_household
):
    client = Client(raise_request_exception=False)
    client.force_login(operator_keden)  # the session's refresh is due: the request saves it
    body = body or {"service": "kartu-saraswati", "applicant": keden_household.head_id}
    with session_save_fails(connection_lost()):
        first = client.post(path, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="crash-1")
    assert first.status_code == 503, first.content[:300]
    assert first["Retry-After"] == "30"
    assert first.json()["detail"].startswith("Layanan sedang tidak dapat mengakses basis data")
    stored = records().get()  # committed before the session's save failed
    again = client.post(path, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="crash-1")
    assert again.status_code == 200
    assert again.json()[STORED_ID[path]] == getattr(stored, STORED_ID[path])
    assert records().count() == 1


STORED_ID = {"/api/v1/households/": "id", "/api/v1/applications": "number"}


def test_a_lock_wait_over_the_limit_while_saving_the_session_answers_503(operator_keden):
    client = Client(raise_request_exception=False)
    client.force_login(operator_keden)
    waited = OperationalError("database is locked")
    waited.__cause__ = sqlite3.OperationalError("database is locked")
    with session_save_fails(waited):
        response = client.get("/api/v1/households/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


def test_a_session_deleted_by_a_concurrent_sign_out_still_answers_400(operator_keden):
    client = Client(raise_request_exception=False)
    client.force_login(operator_keden)
    with session_save_fails(DatabaseError("Forced update did not affect any rows.")):
        response = client.get("/api/v1/households/")
    assert response.status_code == 400
