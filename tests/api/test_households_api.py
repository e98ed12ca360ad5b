import re
from urllib.parse import quote
from uuid import uuid4

import pytest
from rest_framework.test import APIClient

from satupintu.api import tokens
from satupintu.audit.models import AuditLog
from satupintu.registry.models import Person
from tests.conftest import KEDEN


def api_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(user)[1]}")
    return client


def test_operator_lists_only_households_of_own_desa(operator_keden, keden_household, trobayan_household):
    response = api_for(operator_keden).get("/api/v1/households/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [keden_household.pk]


def test_household_list_masks_the_kk_number_and_hides_it(operator_keden, keden_household):
    row = api_for(operator_keden).get("/api/v1/households/").json()["results"][0]
    assert "kk_number" not in row
    assert row["kk_number_masked"] == keden_household.kk_number[:6] + "********" + keden_household.kk_number[-2:]


def test_operator_gets_404_for_household_of_other_desa(operator_keden, trobayan_household):
    client = api_for(operator_keden)
    assert client.get(f"/api/v1/households/{trobayan_household.pk}/").status_code == 404
    assert client.patch(f"/api/v1/households/{trobayan_household.pk}/", {"rt": "9"}).status_code == 404
    person = trobayan_household.members.first()
    assert client.get(f"/api/v1/people/{person.pk}/").status_code == 404


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(
    "written",
    [lambda pk: f"+{pk}", lambda pk: f"%20{pk}", lambda pk: f"{pk}%20", lambda pk: f"{pk}%0A",
     lambda pk: quote(str(pk).translate(ARABIC_INDIC))],
    ids=["plus", "space-before", "space-after", "newline", "arabic-indic"],
)  # fmt: skip
def test_an_id_other_than_ascii_digits_finds_nothing(written, operator_keden, keden_household):
    """The document says integer: "+1", " 1" or the Arabic-Indic "١" is no way to write an id (int()
    would take each and find row 1)."""
    client = api_for(operator_keden)
    for kind, pk in (("households", keden_household.pk), ("people", keden_household.head_id)):
        response = client.get(f"/api/v1/{kind}/{written(pk)}/")
        assert response.status_code == 404, kind
        assert response.json()["detail"]


def test_people_list_masks_nik_and_detail_shows_it(operator_keden, keden_household):
    client = api_for(operator_keden)
    rows = client.get("/api/v1/people/").json()["results"]
    assert all("nik" not in row and "*" in row["nik_masked"] for row in rows)
    person = keden_household.members.first()
    assert client.get(f"/api/v1/people/{person.pk}/").json()["nik"] == person.nik
    assert AuditLog.objects.filter(action="view", object_type="registry.person", actor=operator_keden).exists()


def test_search_by_nik_goes_in_the_body(operator_keden, keden_household):
    nik = keden_household.members.first().nik
    response = api_for(operator_keden).post("/api/v1/households/search/", {"q": nik}, format="json")
    assert [row["id"] for row in response.json()["results"]] == [keden_household.pk]


CHILD = {
    "nik": "3314010101100001",
    "name": "Bagus",
    "sex": "L",
    "birth_place": "Sragen",
    "birth_date": "2010-01-01",
    "relationship": "anak",
    "marital_status": "belum_kawin",
    "education": "sd",
}


def test_api_create_person_validates_nik_in_indonesian(operator_keden, keden_household):
    client = api_for(operator_keden)
    payload = {**CHILD, "household": keden_household.pk, "nik": "3314019999990001"}
    response = client.post("/api/v1/people/", payload, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid4()))
    assert response.status_code == 400
    assert "Bulan lahir" in response.json()["nik"][0]
    response = client.post(
        "/api/v1/people/", {**payload, "nik": CHILD["nik"]}, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid4())
    )
    assert response.status_code == 201, response.json()
    assert Person.objects.get(nik=CHILD["nik"]).household == keden_household


def test_api_cannot_add_a_person_to_a_household_of_another_desa(operator_keden, trobayan_household):
    payload = {**CHILD, "household": trobayan_household.pk}
    response = api_for(operator_keden).post(
        "/api/v1/people/", payload, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid4())
    )
    assert response.status_code == 400
    assert not Person.objects.filter(nik=CHILD["nik"]).exists()


def test_api_creates_a_household_only_in_the_callers_area(operator_keden):
    client = api_for(operator_keden)
    body = {"kk_number": "3314010403190007", "address": "Dukuh Krajan", "rt": "1", "rw": "2"}
    assert (
        client.post(
            "/api/v1/households/", {**body, "desa": "33.14.01.2002"}, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid4())
        ).status_code
        == 400
    )
    response = client.post(
        "/api/v1/households/", {**body, "desa": KEDEN}, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid4())
    )
    assert response.status_code == 201
    assert response.json()["kk_number_masked"].startswith("331401")


@pytest.mark.parametrize("persona", ["auditor", "mitra"])
def test_auditor_and_mitra_get_403_from_the_registry_api(request, persona, keden_household):
    client = api_for(request.getfixturevalue(persona))
    assert client.get("/api/v1/households/").status_code == 403
    assert client.get(f"/api/v1/households/{keden_household.pk}/").status_code == 403


def test_anonymous_caller_gets_401(keden_household):
    assert APIClient().get("/api/v1/households/").status_code == 401


def test_household_list_runs_a_fixed_number_of_queries(operator_kalijambe, django_assert_max_num_queries, regions):
    from tests.conftest import household_in

    for i in range(15):
        household_in(KEDEN if i % 2 else "33.14.01.2002", f"Kepala {i}")
    client = api_for(operator_kalijambe)
    client.get("/api/v1/households/")  # a token's first use writes its last-use time, once
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/households/")
    assert response.json()["count"] == 15


def test_openapi_document_describes_the_registry(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/households/" in document["paths"]
    assert "/api/v1/households/search/" in document["paths"]


def test_browsable_docs_are_served_without_a_cdn(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in body
    # Every script, style and link is served by the app itself. (Not a search for "cdn" anywhere:
    # the page carries a random CSRF token, which once contained those three letters.)
    sources = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)""", body)
    local = [url for url in sources if url.startswith(("/", "#", "data:")) and not url.startswith("//")]
    assert sources and local == sources, sources
    assert not re.search(r"https?://|cdnjs|jsdelivr|unpkg|googleapis", body)


def test_healthz_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
