"""An officer who skipped the queue but decided nothing in the period is still in the equity report."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from satupintu.cases.actions import application_transition
from tests.conftest import KEDEN, TROBAYAN, apply_for, household_in
from tests.ops.queue import queued_file

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def queue_skipped_by_petugas(petugas, regions):
    """Two cases wait at the desk; the petugas takes the newer first, with a reason, and decides nothing."""
    cases = []
    for hour, desa in [(8, KEDEN), (9, TROBAYAN)]:
        with time_machine.travel(dt.datetime(2026, 11, 23, hour, tzinfo=JAKARTA), tick=False):
            cases.append(apply_for(petugas, household_in(desa))[0])
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=JAKARTA), tick=False):
        application_transition(
            actor=petugas, application=cases[1], name="accept_documents", queue_reason="Darurat medis"
        )
    return petugas


@pytest.fixture
def report_day():
    with time_machine.travel(dt.datetime(2026, 11, 24, 9, tzinfo=JAKARTA)):
        yield


@pytest.mark.parametrize("reader", ["kepala", "auditor"])
def test_equity_report_shows_officer_with_exceptions_but_no_decisions(
    client, queue_skipped_by_petugas, report_day, reader, request
):
    client.force_login(request.getfixturevalue(reader))
    response = client.get("/laporan/keadilan/")
    assert response.status_code == 200
    officers = response.context["report"].procedural["officers"]
    assert [(o["name"], o["decisions"], o["overrides"], o["queue_exceptions"]) for o in officers] == [
        ("Petugas", 0, 0, 1)
    ]


def test_equity_exports_show_officer_with_exceptions_but_no_decisions(
    client, queue_skipped_by_petugas, report_day, kepala, django_capture_on_commit_callbacks
):
    client.force_login(kepala)
    capture = django_capture_on_commit_callbacks
    xlsx = queued_file(client, capture, "/laporan/keadilan/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx))["Keadilan prosedural"]
    assert ("Petugas", 0, 0, 0, 0, 1) in list(sheet.iter_rows(min_row=2, values_only=True))
    pdf = queued_file(client, capture, "/laporan/keadilan/", {"format": "pdf"})
    assert pdf.startswith(b"%PDF")
