"""NUL and other C0 control characters are refused with a 400 before any view runs.

PostgreSQL cannot store NUL in text or JSON, so before the refusal each of these requests crashed
there with a 500 (SQLite stored or compared the value and answered 404/400 by luck).
"""

from uuid import uuid4

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from satupintu.cases.models import Application
from satupintu.registry.models import Household
from tests.conftest import KEDEN, apply_for

pytestmark = pytest.mark.django_db

PUBLIC_GETS = [
    "/v/a%00",
    "/survei/a%00/",
    "/api/v1/track/A%00",
    "/api/v1/services?format=%00",
    "/api/v1/services?a%00=",
]
STAFF_GETS = ["/permohonan/A%00/", "/pengaduan/kelola/A%00/", "/api/v1/applications/A%00"]


def assert_refused(response):
    assert response.status_code == 400, (response.status_code, response.content[:300])
    if response.request["PATH_INFO"].startswith("/api/"):
        assert "karakter kontrol" in response.json()["detail"]
    else:
        assert response["Content-Type"].startswith("text/html")
        assert "karakter kontrol" in response.content.decode()


@pytest.mark.parametrize("url", PUBLIC_GETS)
def test_nul_in_path_or_query_is_refused_with_400_without_login(client, url):
    assert_refused(client.get(url))


@pytest.mark.parametrize("url", STAFF_GETS)
def test_nul_in_path_is_refused_with_400_not_500_for_staff(client, kepala, url):
    client.force_login(kepala)
    assert_refused(client.get(url))


@pytest.fixture
def staff_api(petugas):
    api = APIClient()
    api.force_authenticate(petugas)
    return api


@pytest.mark.parametrize(
    "change",
    [{"service": "\u0000"}, {"details": {"a": "\u0000"}}, {"details": {"a\u0000": "x"}}, {"documents": ["kk\u0001"]}],
)
def test_nul_in_an_application_body_is_refused_before_anything_is_stored(staff_api, keden_household, change):
    body = {"service": "kartu-saraswati", "applicant": keden_household.head_id, **change}
    assert_refused(staff_api.post("/api/v1/applications", body, format="json", HTTP_IDEMPOTENCY_KEY="k"))
    assert not Application.objects.exists()


def test_nul_deep_in_a_json_list_is_refused(staff_api, petugas, keden_household):
    application, _pin = apply_for(petugas, keden_household)
    body = {"transition": "accept_documents", "documents": ["kk", {"x": [["\u0000"]]}]}
    assert_refused(staff_api.post(f"/api/v1/applications/{application.number}/transitions", body, format="json"))


def test_nul_in_a_transition_agency_is_refused(staff_api, petugas, keden_household):
    application, _pin = apply_for(petugas, keden_household)
    url = f"/api/v1/applications/{application.number}/transitions"
    assert_refused(staff_api.post(url, {"transition": "refer", "agency": "\u0000"}, format="json"))


def test_nul_in_the_desa_of_a_new_household_is_refused(operator_keden):
    api = APIClient()
    api.force_authenticate(operator_keden)
    body = {"kk_number": "3314010403190007", "address": "Dukuh Krajan", "rt": "1", "rw": "2", "desa": "\u0000"}
    assert_refused(api.post("/api/v1/households/", body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid4())))
    assert (
        api.post("/api/v1/households/", {**body, "desa": KEDEN + "\x00"}, HTTP_IDEMPOTENCY_KEY=str(uuid4())).status_code
        == 415
    )  # a form, unread
    assert not Household.objects.exists()


def test_the_api_refuses_a_form_body_before_reading_it(operator_keden, keden_household):
    api = APIClient()
    api.force_authenticate(operator_keden)
    url = f"/api/v1/households/{keden_household.pk}/"
    assert api.patch(url, {"address": "Krajan\x00"}, format="multipart").status_code == 415
    assert api.patch(url, "address=Krajan%00", content_type="application/x-www-form-urlencoded").status_code == 415
    keden_household.refresh_from_db()
    assert keden_household.address == "Dukuh Krajan"


def test_a_control_character_in_a_web_form_field_is_refused(client, kepala):
    client.force_login(kepala)
    assert_refused(client.post("/pengaduan/", {"description": "Bau\x1bsampah"}))


def test_a_control_character_in_a_header_is_refused(staff_api, keden_household):
    body = {"service": "kartu-saraswati", "applicant": keden_household.head_id}
    assert_refused(staff_api.post("/api/v1/applications", body, format="json", HTTP_IDEMPOTENCY_KEY="k\x00"))


@pytest.mark.parametrize("char", ["\x01", "\x08", "\x0b", "\x0c", "\x1f"])
def test_every_c0_control_character_is_refused(client, char):
    assert_refused(client.get("/api/v1/services", {"q": char}))


def test_a_lone_surrogate_in_json_is_refused(staff_api, keden_household):
    escaped = '"\\udc00"'  # JSON text, so json.loads makes the lone surrogate
    body = f'{{"service": "kartu-saraswati", "applicant": {keden_household.head_id}, "details": {{"a": {escaped}}}}}'
    assert_refused(
        staff_api.generic(
            "POST", "/api/v1/applications", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k"
        )
    )
    assert not Application.objects.exists()


def test_tab_cr_and_lf_are_ordinary_text(staff_api, keden_household):
    body = {"service": "kartu-saraswati", "applicant": keden_household.head_id, "details": {"note": "a\tb\r\nc"}}
    response = staff_api.post("/api/v1/applications", body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 201, response.json()
    assert Application.objects.get().details == {"note": "a\tb\r\nc"}


def test_an_uploaded_files_content_is_not_scanned_only_its_form_fields(client, operator_keden):
    client.force_login(operator_keden)
    upload = SimpleUploadedFile("registri.csv", b"PK\x03\x04\x00\x00binary\x00content", content_type="text/csv")
    response = client.post("/impor/unggah/", {"file": upload, "source": "DTSEN"})
    assert response.status_code == 302
    upload.seek(0)
    assert_refused(client.post("/impor/unggah/", {"file": upload, "source": "DTSEN\x00"}))


def test_a_body_that_is_not_json_is_left_to_the_view(staff_api):
    response = staff_api.generic(
        "POST", "/api/v1/applications", "{not json", content_type="application/json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert response.status_code == 400
    assert "karakter kontrol" not in response.content.decode()


def test_a_json_body_nested_too_deep_is_refused_with_400_not_500(client):
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/applications", body, content_type="application/json")
    assert response.status_code == 400
    assert "terlalu dalam" in response.json()["detail"]
