"""The front door for citizens, each role's home (the day's work, in a constant number of queries) and
the error pages."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from satupintu.cases.models import Application, DeadlineState
from tests.conftest import KEDEN, TROBAYAN, apply_for, household_in, mark_poor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _services():
    from satupintu.catalogue.data import load_current

    load_current()
    cache.clear()


def test_a_citizen_at_the_root_sees_the_public_front_door_not_a_login_box(client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    for text in ["Lacak permohonan", "Sampaikan pengaduan", "Periksa keaslian surat", "Masuk staf",
                 "Layanan dan standar waktunya", "Kartu Saraswati", "PIN 8 angka"]:  # fmt: skip
        assert text in body, text
    assert 'id="home-track-form"' in body and 'action="/lacak/"' in body


def test_the_desa_operator_sees_the_returned_cases_and_todays_intake_of_the_desa_only(
    client, operator_keden, operator_trobayan
):
    with time_machine.travel("2026-11-24 09:00 +0700", tick=False):
        apply_for(operator_keden, household_in(KEDEN))
        apply_for(operator_keden, household_in(KEDEN))
        apply_for(operator_trobayan, household_in(TROBAYAN))
        client.force_login(operator_keden)
        response = client.get(reverse("home"))
    context = response.context
    by_name = {q["queue"].name: q["count"] for q in context["queues"]}
    assert by_name["kecamatan"] == 2  # two of Keden's requests wait for the kecamatan; Trobayan's is not counted
    assert context["intake"] == {"total": 2, "mine": 2, "takes_intake": True}
    assert "terlama menunggu sejak" in response.content.decode()


def test_the_kepala_sees_overdue_cases_the_on_time_share_and_a_budget_slot(client, kepala, operator_keden, petugas):
    with time_machine.travel("2026-11-02 09:00 +0700", tick=False):
        application, _pin = apply_for(petugas, mark_poor(household_in(KEDEN)))
    Application.objects.filter(pk=application.pk).update(deadline_state=DeadlineState.OVERDUE)
    with time_machine.travel("2026-11-24 09:00 +0700", tick=False):
        client.force_login(kepala)
        response = client.get(reverse("home"))
    body = response.content.decode()
    assert response.context["deadlines"]["overdue"] == 1
    assert application.number in body and "lewat batas waktu" in body
    assert 'id="home-on-time"' in body and "Belum ada permohonan yang selesai bulan ini." in body
    assert 'id="home-budget"' in body


def test_the_auditor_sees_the_kabupatens_on_time_share_and_no_chart_of_empty_months(client, auditor, petugas):
    with time_machine.travel("2026-11-24 09:00 +0700", tick=False):
        client.force_login(auditor)
        body = client.get(reverse("home")).content.decode()
        assert "Belum ada permohonan yang selesai bulan ini." in body and 'class="chart"' not in body
        application, _pin = apply_for(petugas, mark_poor(household_in(KEDEN)))
        Application.objects.filter(pk=application.pk).update(
            status="completed", closed_at=timezone.now(), due_date=dt.date(2026, 11, 30)
        )
        cache.clear()
        response = client.get(reverse("home"))
    on_time = response.context["on_time"]
    assert (on_time["finished"], on_time["on_time"]) == (1, 1)  # a case of Keden, outside any area of the auditor
    width = int(re.search(r'<svg class="chart"[^>]* width="(\d+)"', str(on_time["chart"])).group(1))
    assert width <= 390 - 2 * 16 - 2 * 16  # fits a phone's card unshrunk: its 12 px text stays 12 px


def test_the_partner_agency_sees_its_referrals_and_no_registry(client, mitra):
    client.force_login(mitra)
    response = client.get(reverse("home"))
    assert response.context["referrals"] == {"sent": 0, "acknowledged": 0, "items": []}
    assert "Data wilayah Anda" not in response.content.decode()


def test_each_home_costs_the_same_number_of_queries_however_many_cases_wait(client, petugas, kepala, verifikator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from satupintu.lib import versioned_cache

    def queries_for(user):
        client.force_login(user)
        cache.clear()
        versioned_cache.forget_local()  # the versions are read again, as by a worker that just started
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        return len(captured)

    users = (petugas, kepala, verifikator)
    apply_for(petugas, mark_poor(household_in(KEDEN)))
    few = [queries_for(user) for user in users]
    for status in ["received", "data_check", "decision", "approved", "received", "decision"]:
        application, _pin = apply_for(petugas, mark_poor(household_in(KEDEN)))
        Application.objects.filter(pk=application.pk).update(status=status, deadline_state=DeadlineState.OVERDUE)
    assert [queries_for(user) for user in users] == few


def test_error_pages_say_what_happened_and_where_to_go(client, operator_keden):
    missing = client.get("/tidak-ada/")
    assert missing.status_code == 404
    body = missing.content.decode()
    assert "Halaman tidak ditemukan" in body and 'href="/lacak/"' in body and 'href="/"' in body
    client.force_login(operator_keden)
    refused = client.get(reverse("justice:equity"))
    assert refused.status_code == 403
    assert "Anda tidak memiliki akses" in refused.content.decode()


def test_the_server_error_page_is_styled_and_needs_no_request(rf):
    from django.views import defaults

    response = defaults.server_error(rf.get("/"))
    body = response.content.decode()
    assert response.status_code == 500 and "Maaf, terjadi gangguan" in body and "app.css" in body


def test_the_favicon_address_points_at_the_served_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")


def test_a_refused_form_lists_each_error_as_a_link_to_its_field(client):
    response = client.post(reverse("complaints:public_new"), {"feedback_type": "pengaduan", "description": ""})
    body = response.content.decode()
    assert 'id="error-summary"' in body and 'href="#id_description"' in body and 'href="#id_reporter_name"' in body


def main(response) -> str:
    return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)


def test_the_days_work_is_reused_for_a_minute_and_says_when_it_was_counted(client, settings, operator_keden):
    settings.HOME_WORK_SECONDS = 60
    client.force_login(operator_keden)
    with time_machine.travel("2026-11-24 09:00 +0700", tick=False):
        apply_for(operator_keden, household_in(KEDEN))
        first = client.get(reverse("home"))
        apply_for(operator_keden, household_in(KEDEN))
        again = client.get(reverse("home"))
    with time_machine.travel("2026-11-24 09:02 +0700", tick=False):
        later = client.get(reverse("home"))
    assert first.context["intake"]["total"] == 1
    assert main(again) == main(first) and "dihitung pukul 09:00" in main(again)
    assert later.context["intake"]["total"] == 2 and "dihitung pukul 09:02" in later.content.decode()


def test_the_officers_part_of_the_home_is_rendered_again_only_when_its_counts_or_the_officer_change(
    client, settings, operator_keden, operator_trobayan
):
    settings.HOME_WORK_SECONDS = 60

    def rendered(response) -> bool:
        return "core/_home_work.html" in [t.name for t in response.templates]

    client.force_login(operator_keden)
    with time_machine.travel("2026-11-24 09:00 +0700", tick=False):
        first = client.get(reverse("home"))
        again = client.get(reverse("home"))
        assert rendered(first) and not rendered(again)
        assert again.content.decode().count("Selamat datang") == 1
        operator_keden.first_name = "Sri"
        operator_keden.save()
        renamed = client.get(reverse("home"))
        assert rendered(renamed) and "Selamat datang, Sri" in renamed.content.decode()
        client.force_login(operator_trobayan)  # another officer: a part of its own
        other = client.get(reverse("home"))
        assert rendered(other) and "Selamat datang, Sri" not in other.content.decode()
        client.force_login(operator_keden)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = client.get(reverse("home"))
        assert rendered(english) and 'lang="en"' in english.content.decode()
        del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    with time_machine.travel("2026-11-24 09:02 +0700", tick=False):
        recounted = client.get(reverse("home"))
    assert rendered(recounted) and "dihitung pukul 09:02" in recounted.content.decode()
