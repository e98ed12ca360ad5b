"""The distributive report lists the approved allocation rounds' departures from the ranked order,
with their reason and who decided, for the whole kabupaten or one kecamatan."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from satupintu.allocation import actions
from satupintu.justice.distributive import deviations
from satupintu.justice.extract import Period
from tests.allocation.conftest import RTLH, programme_with, waiting
from tests.conftest import KALIJAMBE, TROBAYAN

pytestmark = pytest.mark.django_db


def approved_with_rank_two_left_out(kasi, kepala, petugas, reason: str):
    """An RTLH round of three Trobayan applicants in which the kepala left out the second, then approved."""
    programme, source = programme_with(kasi, amount=2 * RTLH)
    for desil in (1, 2, 3):
        waiting(petugas, TROBAYAN, desil=desil)
    round_ = actions.open_round(actor=kasi, programme=programme, source=source)
    actions.move_entry(actor=kepala, entry=round_.entries.get(rank=2), proposed=False, reason=reason)
    actions.approve_round(actor=kepala, round_=round_, reason="Sesuai pagu")
    return round_


def test_an_approved_move_away_from_the_ranked_order_is_listed_with_its_reason_and_kecamatan(kasi, kepala, petugas):
    approved_with_rank_two_left_out(kasi, kepala, petugas, "Sudah dibantu desa")
    today = timezone.localdate()
    year = Period(today - dt.timedelta(days=1), today + dt.timedelta(days=1))
    [row] = deviations(year)
    assert row["reason"] == "Sudah dibantu desa" and row["rank"] == 2 and row["proposed"] is False
    assert row["actor"] and row["application"] and row["kecamatan"]
    assert len(deviations(Period(year.start, year.end, kecamatan=KALIJAMBE))) == 1
    assert deviations(Period(year.start, year.end, kecamatan="33.14.13")) == []


def test_an_auditor_reads_the_deviations_without_application_numbers_or_written_reasons(
    client, kasi, kepala, petugas, auditor
):
    round_ = approved_with_rank_two_left_out(kasi, kepala, petugas, "Sakit kronis")
    number = round_.entries.get(rank=2).application.number
    today = timezone.localdate()
    query = {"start": (today - dt.timedelta(days=1)).isoformat(), "end": (today + dt.timedelta(days=1)).isoformat()}
    pages = {}
    for user in (auditor, kepala):
        client.force_login(user)
        pages[user.role] = client.get(reverse("justice:equity"), query).content.decode()
    assert "Sakit kronis" in pages["kepala"] and number in pages["kepala"]
    assert "Sakit kronis" not in pages["auditor"] and number not in pages["auditor"]
    assert 'id="deviations-table"' in pages["auditor"]
