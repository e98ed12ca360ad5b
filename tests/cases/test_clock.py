"""The SLA clock: due dates on working days, paused while the documents are with the applicant."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from satupintu.cases.actions import application_transition
from satupintu.cases.models import ClockPause
from tests.conftest import apply_for

JAKARTA = ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


def on(y, m, d):
    return time_machine.travel(dt.datetime(y, m, d, 10, 0, tzinfo=JAKARTA), tick=False)


@pytest.mark.parametrize(
    ("received", "service", "due"),
    [
        (dt.date(2026, 12, 22), "kartu-saraswati", dt.date(2027, 1, 6)),  # Christmas and New Year
        (dt.date(2027, 3, 5), "kartu-saraswati", dt.date(2027, 3, 24)),  # Nyepi and Idul Fitri with cuti bersama
        (dt.date(2027, 3, 5), "rekomendasi-ppa-pkh", dt.date(2027, 3, 18)),
        (dt.date(2026, 7, 1), "santunan-duka", dt.date(2026, 12, 31)),
        (dt.date(2026, 7, 1), "kursi-roda", None),
    ],
)
def test_due_date_is_stored_at_receipt(received, service, due, petugas, keden_household):
    with on(received.year, received.month, received.day):
        application, _pin = apply_for(petugas, keden_household, service)
    assert application.due_date == due


def test_returned_documents_pause_the_clock_and_resubmission_moves_the_due_date(petugas, keden_household):
    with on(2026, 12, 21):  # Monday; 7 working days skip 24–25 December and 1 January
        application, _pin = apply_for(petugas, keden_household)
        first_due = application.due_date
        assert first_due == dt.date(2027, 1, 4)
        application = application_transition(
            actor=petugas,
            application=application,
            name="return_documents",
            data={"reason": "Surat pengantar belum ada"},
        )
    assert application.paused_since == dt.date(2026, 12, 21) and not application.clock_running
    with on(2026, 12, 29):  # 22, 23, 28, 29 were working days while paused (24–25 are holidays)
        application = application_transition(actor=petugas, application=application, name="resubmit")
    pause = ClockPause.objects.get(application=application)
    assert (pause.started_on, pause.ended_on, pause.working_days) == (dt.date(2026, 12, 21), dt.date(2026, 12, 29), 4)
    assert application.paused_since is None and application.status == "received"
    assert application.due_date == dt.date(2027, 1, 11)  # 4 working days later; 5 January is Isra Mi'raj
    assert application.events.get(type=420).extra["due_date"] == [str(first_due), "2027-01-11"]


def test_each_pause_is_recorded(petugas, keden_household):
    application, _pin = apply_for(petugas, keden_household)
    for _ in range(2):
        application = application_transition(
            actor=petugas, application=application, name="return_documents", data={"reason": "KTP buram"}
        )
        application = application_transition(actor=petugas, application=application, name="resubmit")
    assert ClockPause.objects.filter(application=application, ended_on__isnull=False).count() == 2


def test_a_new_standard_applies_only_to_applications_received_from_its_date(petugas, keden_household, regions):
    from satupintu.catalogue.models import ServiceStandard, ServiceType
    from tests.conftest import household_in

    saraswati = ServiceType.objects.get(code="kartu-saraswati")
    ServiceStandard.objects.create(
        service=saraswati, kind="working_days", days=3, valid_from=dt.date(2026, 12, 1), legal_source="SOP UPT-PK"
    )
    with on(2026, 11, 30):
        before, _pin = apply_for(petugas, keden_household)
    with on(2026, 12, 1):
        after, _pin = apply_for(petugas, household_in("33.14.01.2002"))
    assert (before.standard.days, before.due_date) == (7, dt.date(2026, 12, 9))
    assert (after.standard.days, after.due_date) == (3, dt.date(2026, 12, 4))


def test_a_local_non_working_day_moves_the_due_date(petugas, keden_household):
    from satupintu.catalogue.models import LocalHoliday

    LocalHoliday.objects.create(date=dt.date(2026, 11, 24), name="Cuti daerah (uji)")
    with on(2026, 11, 23):
        application, _pin = apply_for(petugas, keden_household, "rekomendasi-ppa-pkh")
    assert application.due_date == dt.date(2026, 11, 27)
