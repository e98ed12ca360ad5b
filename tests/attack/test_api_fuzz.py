"""Schemathesis against the live server, as a powerful user (kepala) and as an area-bound one.

The server is Django's live test server (real HTTP, a thread of this process) over the test
database. Each user signs in by its session cookie and sends the CSRF token with unsafe methods,
as the browser would; creates carry the Idempotency-Key the document requires. Every operation of
/api/v1/openapi.json gets requests that fit the document and requests that break it, and every
answer goes through all of Schemathesis's checks: no server error, and status, headers and body as
documented. ATTACK_API_REQUESTS sets how many requests in all (300 by default; 5,000+ for the full
run).
"""

import math
import os
from pathlib import Path

import pytest
import requests
import schemathesis
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import ignored_auth

from satupintu.catalogue.data import load_current
from satupintu.registry import actions
from tests.conftest import KEDEN, apply_for, mark_poor

CONFIG = SchemathesisConfig.from_path(Path(__file__).parent.parent / "api" / "schemathesis.toml")
REQUESTS = int(os.environ.get("ATTACK_API_REQUESTS", "300"))
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def signed_in(live_server, user) -> dict:
    """The cookies of a browser signed in as `user`: its session and a CSRF token."""
    client = Client()
    client.force_login(user)
    csrf = requests.get(f"{live_server.url}/masuk/", timeout=30).cookies["csrftoken"]
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}


class Counter:
    def __init__(self):
        self.requests = 0
        self.server_errors = 0


def fuzz(schema, cookies: dict, base_url, per_operation: int, counter: Counter) -> list[str]:
    """Run every operation in both modes; the failures by operation."""
    failures = []
    session = requests.Session()
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=per_operation, derandomize=True, database=None, deadline=None,
                suppress_health_check=list(HealthCheck),
            )  # fmt: skip
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                headers = {}
                if case.method.upper() in UNSAFE:
                    headers["X-CSRFToken"] = cookies["csrftoken"]
                counter.requests += 1
                # A generated, invalid Authorization header beside a valid session is not a refusal in
                # DRF (the session still signs the request in): that check is for callers without a
                # session. Anonymous and out-of-area callers are refused in test_idor_matrix.py.
                response = case.call_and_validate(
                    base_url=base_url, session=session, headers=headers, cookies={**cookies, **(case.cookies or {})},
                    excluded_checks=[ignored_auth],
                )  # fmt: skip
                counter.server_errors += response.status_code >= 500

            try:
                run()
            except Unsatisfiable:  # nothing to break in an operation without parameters or body
                continue
            except Exception as failure:  # noqa: BLE001  (every operation is tried; all failures reported)
                failures.append(f"{operation.label} [{mode}]: {str(failure)[:2000]}")
    return failures


@pytest.fixture
def live_registry(petugas, keden_household, trobayan_household):
    load_current()  # an earlier transactional test may have flushed the migration's services
    headless = {"kk_number": "3314010403190007", "desa_id": KEDEN, "address": "Krajan", "rt": "001", "rw": "002"}
    actions.household_create(actor=None, data=headless)
    mark_poor(keden_household)
    apply_for(petugas, keden_household)
    apply_for(petugas, trobayan_household, "raskin")


@pytest.fixture
def unthrottled(settings):
    settings.API_THROTTLE_RATES = {"user": None, "anon": None}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "1000000/hour", "anon": "1000000/hour"},
    }
    settings.SATUPINTU_TRACK_LIMIT = 1_000_000
    settings.SATUPINTU_PIN_NUMBER_LIMIT = 1_000_000
    cache.clear()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("persona", ["kepala", "operator_keden"])
def test_the_api_answers_every_generated_request_as_documented_without_a_server_error(
    persona, request, live_server, live_registry, unthrottled
):
    user = request.getfixturevalue(persona)
    cookies = signed_in(live_server, user)
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json", config=CONFIG)
    operations = sum(1 for _ in schema.get_all_operations())
    # Two personas, two modes per operation; Hypothesis sends about one request per example.
    per_operation = max(1, math.ceil(REQUESTS / (2 * 2 * operations)))
    counter = Counter()
    failures = fuzz(schema, cookies, live_server.url, per_operation, counter)
    print(f"\nattack api {persona}: {counter.requests} requests, {counter.server_errors} server errors")
    assert counter.server_errors == 0
    assert failures == [], "\n\n".join(failures)
