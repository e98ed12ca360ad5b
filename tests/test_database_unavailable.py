"""With the database down, pages and the API answer 503 with Retry-After (HTML for pages, JSON for the
API) instead of a server error, as a timed-out lock wait does."""

from contextlib import contextmanager
from unittest import mock

import psycopg
import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from satupintu.api import tokens
from satupintu.middleware import is_database_unavailable


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
