"""`satupintu check-deadlines`: marks due-soon and overdue once, with events and notifications."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from satupintu.cases.actions import application_transition
from satupintu.cases.models import Event
from satupintu.cases.sweep import check_deadlines
from satupintu.notifications.models import Notification
from tests.conftest import apply_for

JAKARTA = ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


def on(y, m, d):
    return time_machine.travel(dt.datetime(y, m, d, 7, 0, tzinfo=JAKARTA), tick=False)


@pytest.fixture
def saraswati_case(petugas, kepala, keden_household):
    keden_household.head.phone = "081298765432"
    keden_household.head.save()
    with on(2026, 11, 23):  # due Wednesday 2 December
        application, _pin = apply_for(petugas, keden_household)
    return application


def test_it_marks_due_soon_then_overdue_once(saraswati_case, kepala):
    with on(2026, 11, 30):
        assert check_deadlines() == {
            "due_soon": 0,
            "overdue": 0,
            "verification_overdue": 0,
            "referral_due_soon": 0,
            "referral_overdue": 0,
        }
    with on(2026, 12, 1):
        assert check_deadlines()["due_soon"] == 1
        assert check_deadlines() == {
            "due_soon": 0,
            "overdue": 0,
            "verification_overdue": 0,
            "referral_due_soon": 0,
            "referral_overdue": 0,
        }
    with on(2026, 12, 3):
        out = StringIO()
        call_command("check_deadlines", stdout=out)
        assert "lewat batas waktu: 1" in out.getvalue()
        call_command("check_deadlines", stdout=StringIO())
    saraswati_case.refresh_from_db()
    assert saraswati_case.deadline_state == "overdue" and saraswati_case.is_overdue
    assert list(Event.objects.filter(type__gte=900).values_list("type", flat=True)) == [901, 902]
    assert Notification.objects.filter(channel="internal", user=kepala).count() == 2
    assert Notification.objects.filter(phone="081298765432", body__contains="Mohon maaf").count() == 1


def test_a_paused_case_is_not_marked(saraswati_case, petugas):
    application_transition(
        actor=petugas, application=saraswati_case, name="return_documents", data={"reason": "KK belum ada"}
    )
    with on(2026, 12, 10):
        assert check_deadlines() == {
            "due_soon": 0,
            "overdue": 0,
            "verification_overdue": 0,
            "referral_due_soon": 0,
            "referral_overdue": 0,
        }


def test_a_sweep_that_lost_the_race_does_nothing(saraswati_case):
    from satupintu.cases.sweep import _mark

    with on(2026, 12, 3):
        stale = type(saraswati_case).objects.get(pk=saraswati_case.pk)
        assert check_deadlines()["overdue"] == 1
        assert _mark(stale, "overdue", dt.date(2026, 12, 3), []) is False
    assert Event.objects.filter(type=902).count() == 1


def test_working_days_left(saraswati_case):
    from satupintu.lib.workdays import Calendar

    assert saraswati_case.working_days_left(Calendar(), dt.date(2026, 11, 27)) == 3
    assert saraswati_case.working_days_left(Calendar(), dt.date(2026, 12, 4)) == -2


def test_a_verification_past_its_own_deadline_is_flagged_once_to_the_verifier(petugas, verifikator, keden_household):
    with on(2026, 11, 23):
        application, _pin = apply_for(petugas, keden_household)
        application = application_transition(actor=petugas, application=application, name="accept_documents")
        application = application_transition(
            actor=petugas, application=application, name="start_verification", data={"verifier": verifikator}
        )
    assert application.verifications.get().due_date == dt.date(2026, 11, 25)
    with on(2026, 11, 25):
        assert check_deadlines()["verification_overdue"] == 0
    with on(2026, 11, 26):
        assert check_deadlines()["verification_overdue"] == 1
        assert check_deadlines()["verification_overdue"] == 0
    assert application.events.filter(type=903).count() == 1
    assert Notification.objects.filter(user=verifikator, body__contains="Verifikasi permohonan").count() == 1
