"""Search is a read: it POSTs its terms only so that no NIK lands in a URL."""

from uuid import uuid4

import pytest

from tests.api.test_households_api import api_for


@pytest.mark.parametrize("persona", ["kepala", "kasi", "verifikator", "operator_keden"])
def test_every_registry_reader_may_search_by_post(request, persona, keden_household):
    nik = keden_household.head.nik
    response = api_for(request.getfixturevalue(persona)).post("/api/v1/households/search/", {"q": nik}, format="json")
    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["results"]] == [keden_household.pk]


@pytest.mark.parametrize("persona", ["auditor", "mitra"])
def test_search_stays_closed_to_roles_without_the_registry(request, persona, keden_household):
    response = api_for(request.getfixturevalue(persona)).post("/api/v1/households/search/", {"q": "Sutrisno"})
    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["kepala", "kasi"])
def test_readers_still_may_not_write_by_post(request, persona, regions):
    body = {"kk_number": "3314010403190007", "address": "Dukuh Krajan", "rt": "1", "rw": "2", "desa": "33.14.01.2001"}
    response = api_for(request.getfixturevalue(persona)).post(
        "/api/v1/households/", body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid4())
    )
    assert response.status_code == 403
