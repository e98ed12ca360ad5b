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


def test_the_queue_rows_written_in_python_escape_names_and_mark_what_is_late(client, petugas, regions):
    import datetime as dt

    from satupintu.cases.models import Application
    from tests.conftest import household_in

    household = household_in("33.14.12.2001", "<b>Sarmi</b> & O'Brien")
    late, _pin = apply_for(petugas, household)
    on_time, _pin = apply_for(petugas, household_in("33.14.12.2001", "Warsini"))
    Application.objects.filter(pk=late.pk).update(due_date=dt.date(2020, 1, 2))
    client.force_login(petugas)
    page = client.get("/permohonan/?antrean=berkas").content.decode()
    assert "<b>Sarmi</b>" not in page
    assert "&lt;b&gt;Sarmi&lt;/b&gt; &amp; O&#x27;Brien" in page
    late_row = next(row for row in page.split("<tr") if late.number in row)
    assert " overdue" in late_row and 'class="late"' in late_row and "lewat" in late_row
    assert "02/01/2020" in late_row and f'href="/permohonan/{late.number}/"' in late_row
    on_time_row = next(row for row in page.split("<tr") if on_time.number in row)
    assert "overdue" not in on_time_row and "hari kerja lagi" in on_time_row
