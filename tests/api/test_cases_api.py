"""The catalogue and applications API: public catalogue and estimate, scoped cases, idempotent create."""

import pytest
from rest_framework.test import APIClient

from satupintu.cases.models import Application
from tests.conftest import apply_for, mark_poor

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_services_are_public_with_sla_days_only_for_working_days(api):
    response = api.get("/api/v1/services")
    assert response.status_code == 200
    by_code = {s["code"]: s for s in response.json()}
    assert len(by_code) == 14
    assert (by_code["kartu-saraswati"]["sla_kind"], by_code["kartu-saraswati"]["sla_days"]) == ("working_days", 7)
    assert (by_code["raskin"]["sla_kind"], by_code["raskin"]["sla_days"]) == ("fiscal_year", None)
    assert by_code["kursi-roda"]["sla_kind"] == "none" and by_code["ambulans-gratis"]["sla_kind"] == "immediate"
    assert "Kartu Keluarga (KK)" in by_code["kartu-saraswati"]["requirements"]


@pytest.mark.parametrize(
    ("code", "received", "due"),
    [
        ("kartu-saraswati", "2026-12-22", "2027-01-06"),
        ("kartu-saraswati", "2027-03-16", "2027-03-29"),
        ("kartu-saraswati", "2027-05-25", "2027-06-04"),  # Pancasila Day, 1 June
        ("rtlh-apbd", "2027-05-25", "2027-12-31"),
        ("kursi-roda", "2027-05-25", None),
    ],
)
def test_estimate_gives_the_due_date_across_holidays(api, code, received, due):
    response = api.get(f"/api/v1/services/{code}/estimate", {"received": received})
    assert response.status_code == 200 and response.json()["due_date"] == due


def test_estimate_rejects_a_bad_date_and_an_unknown_service(api):
    assert api.get("/api/v1/services/raskin/estimate", {"received": "25-05-2027"}).status_code == 400
    assert api.get("/api/v1/services/tidak-ada/estimate").status_code == 404


def test_a_retried_create_with_the_same_idempotency_key_makes_one_case(api, petugas, keden_household):
    api.force_authenticate(petugas)
    body = {"service": "kartu-saraswati", "applicant": keden_household.head_id, "documents": ["kk", "ktp"]}
    first = api.post("/api/v1/applications", body, format="json", HTTP_IDEMPOTENCY_KEY="abc-123")
    again = api.post("/api/v1/applications", body, format="json", HTTP_IDEMPOTENCY_KEY="abc-123")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["number"] == again.json()["number"]
    assert first.json()["pin"] and again.json()["pin"] is None
    assert Application.objects.count() == 1
    second = {**body, "duplicate_reason": "Permohonan pertama salah nama pemohon"}
    other = api.post("/api/v1/applications", second, format="json", HTTP_IDEMPOTENCY_KEY="abc-124")
    assert other.status_code == 201 and Application.objects.count() == 2


def test_operator_cannot_apply_for_a_person_of_another_desa(api, operator_keden, trobayan_household):
    api.force_authenticate(operator_keden)
    body = {"service": "raskin", "applicant": trobayan_household.head_id}
    response = api.post("/api/v1/applications", body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 400 and "applicant" in response.json()
    assert not Application.objects.exists()


def test_read_and_transition_are_scoped_to_the_area(api, operator_keden, operator_trobayan, trobayan_household):
    application, _pin = apply_for(operator_trobayan, trobayan_household)
    api.force_authenticate(operator_keden)
    assert api.get(f"/api/v1/applications/{application.number}").status_code == 404
    url = f"/api/v1/applications/{application.number}/transitions"
    assert api.post(url, {"transition": "withdraw", "reason": "x"}, format="json").status_code == 404
    api.force_authenticate(operator_trobayan)
    assert api.get(f"/api/v1/applications/{application.number}").json()["transitions"] == ["withdraw"]


def test_a_refused_transition_is_409_with_the_reason(api, petugas, kepala, keden_household):
    mark_poor(keden_household)
    application, _pin = apply_for(petugas, keden_household)
    url = f"/api/v1/applications/{application.number}/transitions"
    api.force_authenticate(kepala)
    refused = api.post(url, {"transition": "accept_documents"}, format="json")
    assert refused.status_code == 409 and "Peran Anda" in refused.json()["detail"]
    api.force_authenticate(petugas)
    ok = api.post(url, {"transition": "accept_documents", "documents": ["kk", "ktp", "surat-pengantar"]}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "data_check"
    fast = api.post(url, {"transition": "fast_track"}, format="json")
    assert fast.json()["rules_result"]["tier"] == "melati"


def test_queues_list_and_items(api, petugas, operator_keden, keden_household, trobayan_household):
    apply_for(petugas, keden_household)
    apply_for(petugas, trobayan_household)
    api.force_authenticate(operator_keden)
    assert api.get("/api/v1/queues/berkas").status_code == 404  # not a queue of an operator desa
    api.force_authenticate(petugas)
    queues = {q["name"]: q["count"] for q in api.get("/api/v1/queues").json()}
    assert queues["berkas"] == 2
    items = api.get("/api/v1/queues/berkas").json()["results"]
    assert [i["status"] for i in items] == ["received", "received"]
    assert items[0]["working_days_left"] is not None


def test_anonymous_and_auditor_cannot_use_the_case_api(api, auditor, keden_household, petugas):
    application, _pin = apply_for(petugas, keden_household)
    assert api.get(f"/api/v1/applications/{application.number}").status_code in (401, 403)
    assert api.get("/api/v1/queues").status_code in (401, 403)
    api.force_authenticate(auditor)
    assert api.get(f"/api/v1/applications/{application.number}").status_code == 403


def test_tracking_api_answers_the_same_for_unknown_number_and_wrong_pin(api, petugas, keden_household):
    application, pin = apply_for(petugas, keden_household)
    wrong = api.get(f"/api/v1/track/{application.number}", HTTP_X_PIN="000000" if pin != "000000" else "111111")
    unknown = api.get("/api/v1/track/UPK0000-000000", HTTP_X_PIN=pin)
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
    ok = api.get(f"/api/v1/track/{application.number}", HTTP_X_PIN=pin)
    body = ok.json()
    assert ok.status_code == 200 and body["first_name"] == "Sutrisno" and body["status"] == "received"
    assert "Wibowo" not in str(body) and keden_household.head.nik not in str(body)


def test_queue_items_are_scoped_to_the_area(
    api, operator_keden, operator_trobayan, keden_household, trobayan_household
):
    mine, _ = apply_for(operator_keden, keden_household)
    apply_for(operator_trobayan, trobayan_household)
    api.force_authenticate(operator_keden)
    items = api.get("/api/v1/queues/kecamatan").json()["results"]
    assert [i["number"] for i in items] == [mine.number]
    assert {q["name"]: q["count"] for q in api.get("/api/v1/queues").json()}["kecamatan"] == 1


def test_reading_a_case_through_the_api_is_audited(api, petugas, keden_household):
    from satupintu.audit.models import AuditLog

    application, _pin = apply_for(petugas, keden_household)
    api.force_authenticate(petugas)
    api.get(f"/api/v1/applications/{application.number}")
    assert AuditLog.objects.filter(action="view", object_id=str(application.pk), actor=petugas).exists()


def test_an_application_is_taken_in_a_fixed_number_of_queries(
    api, petugas, keden_household, trobayan_household, django_assert_max_num_queries
):
    # Service, applicant and its requirements; the household locked; the key, open cases, standard, a free
    # number and the working calendar looked up; the application, its document checks and key inserted;
    # one event and one audit row each appended to its chain (head locked, row, head moved); the
    # calendar again for the answer; the transaction (a savepoint inside the test's own). No savepoint
    # per chain row, no second read of the household or its desa.
    api.force_authenticate(petugas)
    body = {"service": "kartu-saraswati", "applicant": keden_household.head_id, "documents": ["kk", "ktp"]}
    assert api.post("/api/v1/applications", body, format="json", HTTP_IDEMPOTENCY_KEY="warm").status_code == 201
    body["applicant"] = trobayan_household.head_id
    with django_assert_max_num_queries(22):
        response = api.post("/api/v1/applications", body, format="json", HTTP_IDEMPOTENCY_KEY="measured")
    assert response.status_code == 201
