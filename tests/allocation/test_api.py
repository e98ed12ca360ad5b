"""The rounds' API: list, open (Idempotency-Key), the ranked list with each component explained,
approval; in the OpenAPI document and scoped like the pages."""

import pytest
from rest_framework.test import APIClient

from satupintu.allocation.models import AllocationRound

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_round_opened_twice_with_one_key_is_one_round_and_its_ranked_list_explains_each_component(
    kasi, rtlh, three_waiting
):
    _programme, source = rtlh
    client = api(kasi)
    first = client.post("/api/v1/rounds/", {"source": source.pk}, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    again = client.post("/api/v1/rounds/", {"source": source.pk}, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and AllocationRound.objects.count() == 1
    assert first.json()["state"] == "proposed" and first.json()["selected"] == 2
    entries = client.get(f"/api/v1/rounds/{first.json()['id']}/entries/").json()["results"]
    assert [e["rank"] for e in entries] == [1, 2, 3]
    assert entries[0]["components"][0]["name"] == "kemiskinan"
    assert all(c["explanation"] for e in entries for c in e["components"])
    assert [e["proposed"] for e in entries] == [True, True, False]


def test_opening_without_a_key_is_a_400_and_by_petugas_a_403(kasi, petugas, rtlh):
    _programme, source = rtlh
    assert api(kasi).post("/api/v1/rounds/", {"source": source.pk}, format="json").status_code == 400
    response = api(petugas).post("/api/v1/rounds/", {"source": source.pk}, format="json", HTTP_IDEMPOTENCY_KEY="x")
    assert response.status_code == 403


def test_approval_by_the_kepala_and_refusals_as_409(kasi, kepala, rtlh, three_waiting):
    _programme, source = rtlh
    opened = api(kasi).post("/api/v1/rounds/", {"source": source.pk}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    url = f"/api/v1/rounds/{opened.json()['id']}/approve/"
    assert api(kasi).post(url, {}, format="json").status_code == 403
    approved = api(kepala).post(url, {"reason": "Sesuai pagu"}, format="json")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    again = api(kepala).post(url, {}, format="json")
    assert again.status_code == 409 and "Disetujui" in again.json()["detail"]


def test_roles_without_a_budget_capability_get_403_and_unknown_rounds_404(operator_keden, kasi):
    assert api(operator_keden).get("/api/v1/rounds/").status_code == 403
    assert api(kasi).get("/api/v1/rounds/999/").status_code == 404


def test_the_rounds_are_in_the_openapi_document(kasi):
    document = api(kasi).get("/api/v1/openapi.json").json()
    paths = document["paths"]
    assert {"/api/v1/rounds/", "/api/v1/rounds/{id}/entries/", "/api/v1/rounds/{id}/approve/"} <= set(paths)
    assert any(p["name"] == "Idempotency-Key" for p in paths["/api/v1/rounds/"]["post"]["parameters"])
