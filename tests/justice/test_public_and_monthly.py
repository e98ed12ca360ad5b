"""The public transparency page (no login, aggregates, small counts hidden) and the monthly report."""

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from satupintu.cases.models import Application
from satupintu.regions.models import Level, Region
from tests.conftest import KEDEN, TROBAYAN, household_in

from .conftest import make_application

pytestmark = pytest.mark.django_db


def test_the_transparency_page_needs_no_login_and_hides_small_counts(client, regions, kasi):
    today = timezone.localdate()
    keden = household_in(KEDEN, "Sumarno Hadi")  # Kalijambe
    gemolong = household_in("33.14.13.2001", "Paijo")
    for _ in range(3):
        make_application(keden, received=today, decider=kasi)
    for _ in range(12):
        make_application(gemolong, received=today, decider=kasi)
    make_application(household_in("33.14.05.2001", "Karto"), received=today, decider=kasi)  # Sambirejo
    for _ in range(9):
        make_application(household_in("33.14.02.2001", "Kromo"), received=today, decider=kasi)  # Plupuh
    response = client.get("/transparansi/")
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.context["tables"]["kecamatan"]["rows"]}
    assert str(rows["Kalijambe"]["received"]) == str(rows["Sambirejo"]["received"]) == "<5"
    assert rows["Gemolong"]["received"] == 12 and rows["Plupuh"]["received"] == 9
    assert response.context["tables"]["kecamatan"]["totals"]["received"] == 25
    page = response.content.decode()
    assert "&lt;5" in page and "Sumarno" not in page and keden.head.nik not in page


def test_a_small_cell_gets_complementary_ones_until_none_can_be_narrowed(client, regions, kasi):
    today = timezone.localdate()
    for _ in range(2):
        make_application(household_in(KEDEN, "A"), received=today, decider=kasi)  # Kalijambe: 2
    for _ in range(6):
        make_application(household_in("33.14.13.2001", "B"), received=today, decider=kasi)  # Gemolong: 6
    for _ in range(20):
        make_application(household_in("33.14.02.2001", "C"), received=today, decider=kasi)  # Plupuh: 20
    tables = client.get("/transparansi/").context["tables"]["kecamatan"]
    rows = {row["name"]: row for row in tables["rows"]}
    assert str(rows["Kalijambe"]["received"]) == "<5"
    assert str(rows["Gemolong"]["received"]) == "≥5"  # 28 - 20 would otherwise give Kalijambe away
    # Gemolong alone would be 5 to 8 (28 - 20 - the small cells): Plupuh is hidden as well.
    assert str(rows["Plupuh"]["received"]) == "≥5" and tables["totals"]["received"] == 28


def test_rates_are_not_published_for_small_bases(client, regions, kasi):
    today = timezone.localdate()
    household = household_in("33.14.13.2001", "B")
    for _ in range(6):
        make_application(household, received=today - dt.timedelta(days=2), decider=kasi)
    for _ in range(2):
        make_application(household, received=today - dt.timedelta(days=2), decided=today, decider=kasi, due=today)
    # One application in every other kecamatan: the hidden cells hold enough that Gemolong can be shown.
    for desa in Region.objects.filter(level=Level.DESA, code__endswith=".2001").exclude(code__startswith="33.14.13"):
        make_application(household_in(desa.code, "C"), received=today, decider=kasi)
    rows = {row["name"]: row for row in client.get("/transparansi/").context["tables"]["kecamatan"]["rows"]}
    assert rows["Gemolong"]["received"] == 8
    assert rows["Gemolong"]["median_days"] is None and rows["Gemolong"]["on_time"] is None


@pytest.fixture
def november(regions, kasi):
    keden, trobayan = household_in(KEDEN, "A"), household_in(TROBAYAN, "B")
    with time_machine.travel(dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC), tick=False):
        make_application(
            keden, received=dt.date(2026, 11, 2), decided=dt.date(2026, 11, 5), due=dt.date(2026, 11, 11), decider=kasi
        )
        make_application(
            keden, received=dt.date(2026, 11, 3), decided=dt.date(2026, 11, 20), due=dt.date(2026, 11, 12), decider=kasi
        )
        make_application(keden, received=dt.date(2026, 10, 20), due=dt.date(2026, 10, 29), decider=kasi)
        make_application(trobayan, received=dt.date(2026, 11, 10), due=dt.date(2026, 11, 19), decider=kasi)
    return keden, trobayan


def test_the_monthly_report_counts_received_finished_on_time_and_backlog(client, november, kasi):
    with time_machine.travel(dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC), tick=False):
        client.force_login(kasi)
        response = client.get("/laporan/bulanan/", {"month": "2026-11"})
    row = response.context["monthly"]["tables"]["kecamatan"][0]
    assert (row["received"], row["finished"], row["on_time"], row["backlog"]) == (3, 2, 1, 2)
    assert [case.due_date for case in response.context["overdue"]] == [dt.date(2026, 10, 29), dt.date(2026, 11, 19)]
    assert "<svg" in response.content.decode()


def test_an_operator_sees_only_the_own_desa(client, november, operator_keden):
    with time_machine.travel(dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC), tick=False):
        client.force_login(operator_keden)
        response = client.get("/laporan/bulanan/", {"month": "2026-11"})
    assert response.context["monthly"]["tables"]["kecamatan"][0]["received"] == 2
    assert {case.desa_id for case in response.context["overdue"]} == {KEDEN}


def test_monthly_exports(client, november, kasi):
    client.force_login(kasi)
    body = client.get("/laporan/bulanan/", {"month": "2026-11", "format": "csv"}).content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(body)))
    assert ["Per layanan"] in lines and any(line[:1] == ["kartu-saraswati"] for line in lines)
    xlsx = client.get("/laporan/bulanan/", {"month": "2026-11", "format": "xlsx"})
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["Per layanan", "Per kecamatan", "Lewat batas waktu"]


def test_monthly_report_outsiders(client, regions, mitra, auditor):
    assert client.get("/laporan/bulanan/").status_code == 302
    for user in (mitra, auditor):
        client.force_login(user)
        assert client.get("/laporan/bulanan/").status_code == 403


def test_the_monthly_report_runs_a_bounded_number_of_queries(client, november, kasi, django_assert_max_num_queries):
    keden = november[0]
    for day in range(1, 28):
        make_application(keden, received=dt.date(2026, 11, day), due=dt.date(2026, 11, day), decider=kasi)
    client.force_login(kasi)
    # 10, 3 for the immediate services' section (response times, clinic visits, the standard) and 2 for
    # the fast-path and referral-response sections.
    with django_assert_max_num_queries(15):
        response = client.get("/laporan/bulanan/", {"month": "2026-11"})
    assert response.context["overdue_count"] >= 27
    assert Application.objects.count() == 31


def test_the_public_tables_are_computed_once_per_window(client, regions, kasi, django_assert_max_num_queries):
    today = timezone.localdate()
    make_application(household_in(KEDEN, "A"), received=today, decider=kasi)
    first = client.get("/transparansi/")
    assert str(first.context["tables"]["kecamatan"]["totals"]["received"]) == "–"  # 1 application: hidden
    with django_assert_max_num_queries(2):
        again = client.get("/transparansi/")
    assert without_csrf_tokens(again.content) == without_csrf_tokens(first.content)  # the page kept (lib/page_cache.py)


def without_csrf_tokens(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)


def test_the_transparency_page_says_it_is_being_prepared_while_the_first_figures_are_built(client, db):
    from unittest import mock

    from django.core.cache import cache

    from satupintu.justice.public import FIGURES_KEY
    from satupintu.lib.versioned_cache import kept

    cache.delete(FIGURES_KEY)
    cache.add(f"{FIGURES_KEY}:rebuilding", 1, 60)  # the schedule is building them
    with mock.patch.dict(kept.__kwdefaults__, {"wait": 0.2}):
        response = client.get("/transparansi/")
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "sedang disiapkan" in response.content.decode()


def test_the_schedule_builds_the_figures_the_page_then_serves(client, db):
    from django.core.cache import cache

    from satupintu.justice.public import FIGURES_KEY, refresh_figures

    cache.delete(FIGURES_KEY)
    assert "diperbarui" in refresh_figures()
    assert cache.get(FIGURES_KEY) is not None
    assert client.get("/transparansi/").status_code == 200


def test_the_transparency_tables_are_rendered_once_per_build_and_language(client, regions, kasi):
    from satupintu.justice.public import figures

    make_application(household_in(KEDEN, "A"), received=timezone.localdate(), decider=kasi)
    body = "justice/_public_body.html"
    first = client.get("/transparansi/")
    assert body in [t.name for t in first.templates]
    again = client.get("/transparansi/")
    assert body not in [t.name for t in again.templates]
    assert b"Per layanan" in again.content and b'id="public-kecamatan"' in again.content
    client.cookies["django_language"] = "en"
    english = client.get("/transparansi/")
    assert body in [t.name for t in english.templates] and b"By service" in english.content
    client.cookies["django_language"] = "id"
    figures(fresh=0)  # the schedule rebuilds them: the next visitor gets the new build's tables
    assert body in [t.name for t in client.get("/transparansi/").templates]


def test_the_transparency_charts_show_only_the_on_time_shares_the_tables_show(client, regions, kasi):
    import re

    today = timezone.localdate()
    gemolong = household_in("33.14.13.2001", "B")  # seven decided on time, one late
    for _ in range(7):
        make_application(gemolong, received=today - dt.timedelta(days=2), decided=today, decider=kasi, due=today)
    make_application(
        gemolong, received=today - dt.timedelta(days=9), decided=today, decider=kasi, due=today - dt.timedelta(days=1)
    )
    kalijambe = household_in(KEDEN, "D")  # eight decided on time
    for _ in range(8):
        make_application(kalijambe, received=today - dt.timedelta(days=2), decided=today, decider=kasi, due=today)
    for desa in Region.objects.filter(level=Level.DESA, code__endswith=".2001").exclude(code__startswith="33.14.13"):
        make_application(household_in(desa.code, "C"), received=today, decider=kasi)
    response = client.get("/transparansi/")
    rows = response.context["tables"]["kecamatan"]["rows"]
    shown = [row["on_time"] for row in rows if row["on_time"] is not None]
    assert shown  # at least one kecamatan's share is published
    chart = re.search(r'id="public-chart-kecamatan">(.*?)</figure>', response.content.decode(), re.S).group(1)
    assert chart.count("<rect") == len(shown)  # a bar for each published share, "–" for every other row
    assert chart.count(">–</text>") == len(rows) - len(shown)
    for share in shown:
        assert ">" + f"{100 * share:.1f}".rstrip("0").rstrip(".").replace(".", ",") + "%</text>" in chart
    assert 'id="public-chart-services"' in response.content.decode()
