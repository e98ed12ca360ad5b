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


def test_the_queue_pages_follow_the_rows_when_the_kept_tab_count_is_behind(
    client, petugas, settings, regions, monkeypatch
):
    from django.core.cache import cache

    from tests.conftest import household_in

    settings.HOME_WORK_SECONDS = 60
    monkeypatch.setattr("satupintu.cases.views.PAGE_SIZE", 2)
    cache.delete(f"queue-counts:{petugas.pk}")
    first, _pin = apply_for(petugas, household_in("33.14.12.2001", "Sarmi"))
    second, _pin = apply_for(petugas, household_in("33.14.12.2001", "Warsini"))
    client.force_login(petugas)
    page = client.get("/permohonan/?antrean=berkas").content.decode()
    assert "Halaman" not in page  # counted: 2 cases, one page
    third, _pin = apply_for(petugas, household_in("33.14.12.2001", "Tukiyem"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/permohonan/?antrean=berkas").content.decode()
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]  # the tab's kept count numbers the pages
    assert first.number in page and second.number in page and third.number not in page
    assert "Halaman 1 dari 2" in page and "page=2" in page  # the row read ahead shows a next page
    page = client.get("/permohonan/?antrean=berkas&page=2").content.decode()
    assert third.number in page and "Halaman 2 dari 2" in page and "page=3" not in page


def test_a_queue_page_past_the_end_shows_the_last_page_and_a_bad_number_the_first(
    client, petugas, settings, regions, monkeypatch
):
    from tests.conftest import household_in

    settings.HOME_WORK_SECONDS = 0
    monkeypatch.setattr("satupintu.cases.views.PAGE_SIZE", 2)
    numbers = [
        apply_for(petugas, household_in("33.14.12.2001", name))[0].number for name in ("Sarmi", "Warsini", "Tukiyem")
    ]
    client.force_login(petugas)
    page = client.get("/permohonan/?antrean=berkas&page=9").content.decode()
    assert numbers[2] in page and numbers[0] not in page and "Halaman 2 dari 2" in page
    for bad in ("abc", "-1", "0"):
        page = client.get(f"/permohonan/?antrean=berkas&page={bad}").content.decode()
        assert numbers[0] in page and numbers[1] in page and "Halaman 1 dari 2" in page


def test_the_queue_page_written_in_python_speaks_the_officers_language(client, petugas, regions):
    from tests.conftest import household_in

    apply_for(petugas, household_in("33.14.12.2001", "Sarmi"))
    client.force_login(petugas)
    page = client.get("/permohonan/?antrean=berkas").content.decode()
    assert "<h1>Antrean kerja</h1>" in page and "urut waktu diterima" in page
    client.post("/bahasa/", {"language": "en", "next": "/"})
    page = client.get("/permohonan/?antrean=berkas").content.decode()
    assert "<h1>Work queue</h1>" in page and "first come, first served" in page and "Antrean" not in page
