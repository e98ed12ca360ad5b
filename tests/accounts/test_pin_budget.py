"""A receipt PIN (6 digits) is guessed by trying: every page and endpoint that checks one spends the
same two budgets, one per client address and one per receipt number; the API takes the PIN in a
header only, never in the address that access logs keep."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.api.test_openapi_document import assert_documented
from tests.conftest import apply_for

WRONG = "999999"


def attempts_on_every_entry_point(client, number):
    """One wrong PIN on each public entry point, in turn; their status codes."""
    api = APIClient(REMOTE_ADDR=client.defaults.get("REMOTE_ADDR", "127.0.0.1"))
    return [
        client.post(reverse("cases:track"), {"number": number, "pin": WRONG}).status_code,
        client.post(reverse("survey:entry"), {"number": number, "pin": WRONG}).status_code,
        client.post(reverse("complaints:track"), {"number": number, "pin": WRONG}).status_code,
        api.get(f"/api/v1/track/{number}", HTTP_X_PIN=WRONG).status_code,
    ]


def test_a_client_has_one_budget_across_tracking_survey_complaints_and_the_api(client, settings, db):
    settings.SATUPINTU_TRACK_LIMIT = 4
    assert attempts_on_every_entry_point(client, "UPK0000-000001") == [200, 200, 200, 404]
    # The budget is spent: a fifth attempt is refused wherever it is made, on whatever number.
    assert attempts_on_every_entry_point(client, "UPK0000-000002") == [429, 429, 429, 429]


def test_a_receipt_number_has_one_budget_whatever_the_address(client, settings, petugas, keden_household):
    settings.SATUPINTU_PIN_NUMBER_LIMIT = 3
    application, pin = apply_for(petugas, keden_household)
    codes = []
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        client.defaults["REMOTE_ADDR"] = address
        codes.append(client.post(reverse("cases:track"), {"number": application.number, "pin": WRONG}).status_code)
    assert codes == [200, 200, 200]
    # A fourth address, even with the right PIN, finds the number's budget spent.
    client.defaults["REMOTE_ADDR"] = "10.0.0.4"
    response = client.post(reverse("cases:track"), {"number": application.number.lower(), "pin": pin})
    assert response.status_code == 429
    assert response.context["result"] is None
    api = APIClient(REMOTE_ADDR="10.0.0.5")
    assert api.get(f"/api/v1/track/{application.number}", HTTP_X_PIN=pin).status_code == 429
    # Another number is not affected.
    other, other_pin = apply_for(petugas, keden_household, service="rujukan-jamkesda")
    assert client.post(reverse("cases:track"), {"number": other.number, "pin": other_pin}).context["result"]


def test_the_public_complaint_form_spends_the_budget_when_it_checks_an_application_pin(client, settings, db):
    settings.SATUPINTU_PIN_NUMBER_LIMIT = 1
    data = {"application_number": "UPK0000-000009", "application_pin": WRONG}
    assert client.post(reverse("complaints:public_new"), data).status_code == 200
    assert client.post(reverse("complaints:public_new"), data).status_code == 429


@pytest.mark.django_db
def test_the_api_refuses_a_pin_in_the_query_string_and_documents_it(client, petugas, keden_household):
    application, pin = apply_for(petugas, keden_household)
    document = client.get("/api/v1/openapi.json").json()
    response = APIClient().get(f"/api/v1/track/{application.number}", {"pin": pin})
    assert response.status_code == 400
    assert "X-PIN" in response.json()["detail"]
    assert_documented(document, "/api/v1/track/{number}", "get", response)
    operation = document["paths"]["/api/v1/track/{number}"]["get"]
    assert [p["name"] for p in operation["parameters"] if p["in"] == "query"] == []
    assert APIClient().get(f"/api/v1/track/{application.number}", HTTP_X_PIN=pin).status_code == 200
