"""First come, first served: acting ahead of older waiting cases needs a recorded reason."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Count

from satupintu.cases.actions import TransitionRefused, application_transition
from satupintu.cases.models import QueueException
from tests.conftest import KEDEN, TROBAYAN, apply_for, household_in

JAKARTA = ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


@pytest.fixture
def three_waiting(petugas, regions):
    cases = []
    for hour, desa in [(8, KEDEN), (9, TROBAYAN), (10, KEDEN)]:
        with time_machine.travel(dt.datetime(2026, 11, 23, hour, tzinfo=JAKARTA), tick=False):
            cases.append(apply_for(petugas, household_in(desa))[0])
    return cases


def test_the_oldest_case_needs_no_reason(petugas, three_waiting):
    application_transition(actor=petugas, application=three_waiting[0], name="accept_documents")
    assert not QueueException.objects.exists()


def test_officer_cannot_jump_the_queue_without_a_reason(petugas, three_waiting):
    with pytest.raises(TransitionRefused, match="2 permohonan lebih lama"):
        application_transition(actor=petugas, application=three_waiting[2], name="accept_documents")
    assert three_waiting[2].events.count() == 1


def test_a_queue_exception_is_recorded_and_counted_per_officer(petugas, three_waiting):
    application = application_transition(
        actor=petugas, application=three_waiting[2], name="accept_documents", queue_reason="Darurat medis"
    )
    exception = QueueException.objects.get()
    assert (exception.actor, exception.queue, exception.skipped, exception.reason) == (
        petugas, "berkas", 2, "Darurat medis"
    )  # fmt: skip
    assert application.events.filter(type=500, reason="Darurat medis").exists()
    per_officer = QueueException.objects.values("actor__username").annotate(n=Count("id"))
    assert list(per_officer) == [{"actor__username": "petugas", "n": 1}]


def test_older_cases_outside_the_officers_area_do_not_count(operator_kalijambe, operator_keden, regions):
    with time_machine.travel(dt.datetime(2026, 11, 23, 8, tzinfo=JAKARTA), tick=False):
        other = household_in("33.14.02.2001")  # another kecamatan, outside Kalijambe
        from satupintu.accounts.models import Role
        from tests.conftest import make_user

        outsider = make_user("op.luar", Role.OPERATOR_DESA, "33.14.02.2001")
        apply_for(outsider, other)
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, tzinfo=JAKARTA), tick=False):
        mine, _pin = apply_for(operator_keden, household_in(KEDEN))
    application_transition(actor=operator_kalijambe, application=mine, name="acknowledge")
    assert not QueueException.objects.exists()
