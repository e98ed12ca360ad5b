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


def test_the_queue_tabs_are_counted_once_a_minute_per_user_and_the_rows_are_always_fresh(
    client, petugas, settings, regions
):
    from django.core.cache import cache

    from tests.conftest import household_in

    settings.HOME_WORK_SECONDS = 60
    cache.delete(f"queue-counts:{petugas.pk}")
    first, _pin = apply_for(petugas, household_in("33.14.12.2001", "Sarmi"))
    client.force_login(petugas)

    def counted(page) -> list[str]:
        return [q["sql"] for q in page if "GROUP BY" in q["sql"] and 'FROM "cases_application"' in q["sql"]]

    with CaptureQueriesContext(connection) as before:
        page = client.get("/permohonan/?antrean=berkas").content.decode()
    assert counted(before) and first.number in page and "dihitung pukul" in page
    second, _pin = apply_for(petugas, household_in("33.14.12.2001", "Warsini"))
    with CaptureQueriesContext(connection) as after:
        page = client.get("/permohonan/?antrean=berkas").content.decode()
    assert counted(after) == []  # the kept counts
    assert second.number in page  # the rows read afresh
