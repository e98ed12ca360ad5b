import datetime as dt

import pytest
from django.urls import reverse

from satupintu.emergency.actions import call_step
from tests.conftest import KEDEN, TROBAYAN

from .conftest import take_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(petugas, regions, hospital, vehicle):
    call = take_call(petugas, regions[KEDEN], hospital, patient_name="Sarni")
    call = call_step(actor=petugas, call=call, name="dispatch", data={"vehicle": vehicle})
    call_step(actor=petugas, call=call, name="arrive")
    take_call(petugas, regions[TROBAYAN], hospital, patient_name="Painem")
    return call


def test_the_monthly_report_has_the_ambulance_and_clinic_section(client, kasi, served):
    client.force_login(kasi)
    month = dt.date.today().strftime("%Y-%m")
    page = client.get(reverse("justice:monthly"), {"month": month}).content.decode()
    assert 'id="ambulance-response"' in page and 'id="clinic-visits"' in page
    assert "Kalijambe" in page.split('id="ambulance-response"')[1]


def test_the_equity_audit_shows_response_time_as_an_access_criterion(client, auditor, served):
    client.force_login(auditor)
    today = dt.date.today()
    query = {"start": (today - dt.timedelta(days=30)).isoformat(), "end": today.isoformat()}
    page = client.get(reverse("justice:equity"), query).content.decode()
    assert 'id="emergency-access"' in page
    table = page.split('id="ambulance-response"')[1].split("</table>")[0]
    assert "Kalijambe" in table and ">2<" in table  # two calls, one reached


def test_the_summary_page_of_a_bound_operator_counts_only_its_area(client, kasi, served):
    client.force_login(kasi)
    page = client.get(reverse("emergency:summary")).content.decode()
    assert "Kalijambe" in page and "30 menit" in page
