"""The work queue reads only the columns its rows show."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import apply_for


def test_the_queue_page_does_not_read_pin_hashes_details_or_rule_results(client, petugas, keden_household):
    apply_for(petugas, keden_household)
    client.force_login(petugas)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/permohonan/?antrean=berkas")
    assert response.status_code == 200
    page = [q["sql"] for q in queries if 'FROM "cases_application"' in q["sql"] and "LIMIT" in q["sql"]]
    assert page, "the page's query"
    for wide in ('"pin_hash"', '"details"', '"rules_result"', '"decision_reason"'):
        assert all(wide not in sql for sql in page)
