"""The API answers as /api/v1/openapi.json says, for requests that document allows and refuses.

Schemathesis generates requests from the document (valid ones and ones that break it) against the
WSGI application in this process, and runs all its checks on every answer: no server error, status
codes, content types, headers and bodies as documented, invalid input refused, valid input taken.
Operations whose rules the document cannot state are listed in schemathesis.toml beside this file.
"""

from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from satupintu.api import tokens
from satupintu.registry import actions
from tests.conftest import KEDEN, apply_for, mark_poor

CONFIG = SchemathesisConfig.from_path(Path(__file__).with_name("schemathesis.toml"))


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application(), config=CONFIG)


@pytest.fixture
def test_transaction_kept_open():
    """The app is called as a server would call it, and a server closes the database connection after
    each request: that would end the test's transaction (Django's test client does the same)."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def registry_and_cases(db, test_transaction_kept_open, petugas, keden_household, trobayan_household):
    """Households with and without a head, and applications in the petugas's queues."""
    headless = {"kk_number": "3314010403190007", "desa_id": KEDEN, "address": "Krajan", "rt": "001", "rw": "002"}
    actions.household_create(actor=None, data=headless)
    mark_poor(keden_household)
    apply_for(petugas, keden_household)
    apply_for(petugas, trobayan_household, "raskin")


@schema.parametrize()
@settings(max_examples=10, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_answer_matches_the_openapi_document(case, petugas, registry_and_cases):
    token = tokens.issue(petugas)[1]
    case.call_and_validate(headers={"Authorization": f"Token {token}"})
