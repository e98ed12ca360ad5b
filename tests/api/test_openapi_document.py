"""The OpenAPI document describes the answers the API really gives: pages, errors, text and identifiers."""

import re
from uuid import uuid4

import jsonschema
import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from satupintu.lib.nik import KK_PATTERN, NIK_PATTERN
from tests.api.test_households_api import api_for
from tests.conftest import KEDEN, apply_for, mark_poor

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").json()


def component(document, name):
    return {"$ref": f"#/components/schemas/{name}", "components": document["components"]}


def assert_documented(document, path, method, response):
    """The status is listed for the operation and the body fits the schema listed with it."""
    responses = document["paths"][path][method]["responses"]
    assert str(response.status_code) in responses, f"{response.status_code} undocumented for {method} {path}"
    schema = responses[str(response.status_code)]["content"]["application/json"]["schema"]
    jsonschema.validate(response.json(), {**schema, "components": document["components"]})


def test_queue_items_are_documented_as_the_page_they_are(document, petugas, keden_household):
    apply_for(petugas, keden_household)
    response = api_for(petugas).get("/api/v1/queues/berkas")
    assert response.json()["count"] == 1
    assert_documented(document, "/api/v1/queues/{name}", "get", response)
    parameters = {p["name"]: p["schema"] for p in document["paths"]["/api/v1/queues/{name}"]["get"]["parameters"]}
    assert parameters["page"] == {"type": "integer", "minimum": 1}
    assert "kecamatan" in parameters["name"]["enum"]


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.0", "", "last"])
def test_a_page_that_is_not_a_whole_number_from_one_is_a_400(document, operator_keden, keden_household, page):
    for path in ("/api/v1/households/", "/api/v1/queues/kecamatan"):
        response = api_for(operator_keden).get(path, {"page": page})
        assert response.status_code == 400, (path, response.content)
        assert "page" in response.json()


def test_a_page_past_the_last_is_a_documented_404(document, operator_keden, keden_household):
    response = api_for(operator_keden).get("/api/v1/households/", {"page": 2})
    assert response.status_code == 404
    assert_documented(document, "/api/v1/households/", "get", response)
    assert document["paths"]["/api/v1/households/"]["get"]["parameters"][0]["schema"] == {
        "type": "integer",
        "minimum": 1,
    }


def test_refusals_are_documented(document, kepala, auditor, operator_keden, petugas, trobayan_household):
    mark_poor(trobayan_household)
    application, _pin = apply_for(petugas, trobayan_household)
    transitions = f"/api/v1/applications/{application.number}/transitions"
    answers = [
        ("/api/v1/households/", "get", APIClient().get("/api/v1/households/")),
        ("/api/v1/households/", "get", api_for(auditor).get("/api/v1/households/")),
        (
            "/api/v1/households/",
            "post",
            api_for(kepala).post("/api/v1/households/", {}, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid4())),
        ),
        (
            "/api/v1/households/{id}/",
            "get",
            api_for(operator_keden).get(f"/api/v1/households/{trobayan_household.pk}/"),
        ),
        ("/api/v1/applications/{number}", "get", api_for(petugas).get("/api/v1/applications/UPK0000-000000")),
        (
            "/api/v1/applications/{number}/transitions",
            "post",
            api_for(kepala).post(transitions, {"transition": "accept_documents"}, format="json"),
        ),
        (
            "/api/v1/people/",
            "post",
            api_for(petugas).post("/api/v1/people/", {"nik": "1"}, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid4())),
        ),
        ("/api/v1/services", "get", APIClient().get("/api/v1/services", {"q": "\x00"})),
    ]
    assert [response.status_code for _path, _method, response in answers] == [401, 403, 403, 404, 404, 409, 400, 400]
    for path, method, response in answers:
        assert_documented(document, path, method, response)


def test_rate_limited_tracking_is_a_documented_429(document, settings):
    settings.SATUPINTU_TRACK_LIMIT = 1
    cache.clear()
    client = APIClient()
    assert client.get("/api/v1/track/UPK0000-000000", HTTP_X_PIN="123456").status_code == 404
    response = client.get("/api/v1/track/UPK0000-000000", HTTP_X_PIN="123456")
    assert response.status_code == 429
    assert_documented(document, "/api/v1/track/{number}", "get", response)
    cache.clear()


def test_nik_and_kk_rules_are_in_the_schema(document):
    kk = document["components"]["schemas"]["HouseholdRequest"]["properties"]["kk_number"]
    assert kk["pattern"] == f"^{KK_PATTERN}$"
    nik = document["components"]["schemas"]["PersonRequest"]["properties"]["nik"]
    assert f"^{NIK_PATTERN}$" in [part.get("pattern") for part in nik["oneOf"]]
    person = component(document, "PersonRequest")
    base = {"name": "Bagus", "sex": "L", "birth_place": "Sragen", "birth_date": "2010-01-01"}
    base |= {"relationship": "anak", "marital_status": "belum_kawin", "education": "sd"}
    for nik in ("3314010101100001", "", None):
        jsonschema.validate({**base, "nik": nik}, person)
    for nik in ("3314019999990001", "0000000000000000", "331401010110000"):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**base, "nik": nik}, person)


def test_request_text_without_control_characters_is_in_the_schema(document):
    search = component(document, "SearchRequest")
    for body in ({"q": "Sutrisno\tWibowo"}, {"q": "x", "other": {"nested": ["ok"]}}):
        jsonschema.validate(body, search)
    for body in ({"q": "a\x00"}, {"q": "a", "x\x01": 1}, {"q": "a", "x": {"y": ["\x1f"]}}, {"q": " "}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(body, search)


def test_text_must_be_a_json_string_as_documented(operator_keden, keden_household):
    response = api_for(operator_keden).post("/api/v1/households/search/", {"q": 3314}, format="json")
    assert response.status_code == 400 and "q" in response.json()


@pytest.mark.parametrize("received", ["", "20270525", "2027-W21-2", "2027-5-25"])
def test_estimate_takes_a_yyyy_mm_dd_date_only(received):
    response = APIClient().get("/api/v1/services/raskin/estimate", {"received": received})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path", ["/api/v1/tidak-ada", "/api/v1/services/bukan kode/estimate", "/api/v1/households/1/lain/"]
)
def test_an_unknown_api_address_is_a_json_404(path):
    response = APIClient().get(path)
    assert response.status_code == 404 and response["Content-Type"] == "application/json"


def test_the_api_reads_json_only_as_documented(document, operator_keden, keden_household):
    response = api_for(operator_keden).post("/api/v1/households/search/", {"q": "Sutrisno"}, format="multipart")
    assert response.status_code == 415
    bodies = [
        operation["requestBody"]["content"]
        for operations in document["paths"].values()
        for operation in operations.values()
        if "requestBody" in operation
    ]
    assert bodies and all(list(content) == ["application/json"] for content in bodies)
    assert not re.search(r"multipart|urlencoded", str(bodies))


def test_a_write_to_an_unknown_api_address_is_a_json_404_even_with_a_session(operator_keden):
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator_keden)
    response = client.put("/api/v1/households/1.5e-3/", "{}", content_type="application/json")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"


def test_an_idempotency_key_longer_than_documented_is_refused_not_cut(document, petugas, keden_household):
    body = {"service": "kartu-saraswati", "applicant": keden_household.head_id}
    client = api_for(petugas)
    response = client.post("/api/v1/applications", body, format="json", HTTP_IDEMPOTENCY_KEY="k" * 101)
    assert response.status_code == 400 and "Idempotency-Key" in response.json()
    parameters = {p["name"]: p["schema"] for p in document["paths"]["/api/v1/applications"]["post"]["parameters"]}
    assert parameters["Idempotency-Key"]["maxLength"] == 100
    assert client.post("/api/v1/applications", body, format="json", HTTP_IDEMPOTENCY_KEY="k" * 100).status_code == 201


def test_a_household_without_a_head_fits_the_documented_answer(document, operator_keden):
    body = {"kk_number": "3314010403190007", "address": "Dukuh Krajan", "rt": "1", "rw": "2", "desa": KEDEN}
    response = api_for(operator_keden).post(
        "/api/v1/households/", body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid4())
    )
    assert response.status_code == 201 and response.json()["head_name"] is None
    assert_documented(document, "/api/v1/households/", "post", response)
