"""Complaint deadlines are SP4N-LAPOR! working days on the cases' calendar (holidays, cuti bersama,
local days), and the overdue sweep escalates once per level."""

import datetime as dt

import pytest
from django.core.management import call_command

from satupintu.catalogue.models import LocalHoliday
from satupintu.complaints.actions import complaint_step
from satupintu.complaints.models import Category, ComplaintEvent, EventType, FeedbackType, Track
from satupintu.complaints.sweep import escalate_overdue
from satupintu.notifications.models import Notification

from .conftest import on, submit

pytestmark = pytest.mark.django_db


def test_it_counts_working_days_across_nyepi_and_lebaran(regions):
    # Received Monday 16 March 2026. Not working: 18 (cuti bersama), 19 (Nyepi), 20 (cuti bersama),
    # 21-22 (Idul Fitri, weekend), 23-24 (cuti bersama). Working: 17, 25, 26, 27, 30 ...
    with on(2026, 3, 16):
        complaint, _pin = submit()
        question, _pin = submit(kind=FeedbackType.PERTANYAAN, category=Category.LAINNYA)
    assert complaint.response_due == dt.date(2026, 3, 26)  # 3 working days
    assert question.resolution_due == dt.date(2026, 3, 30)  # simple: 5
    assert complaint.resolution_due == dt.date(2026, 4, 13)  # without field examination: 14


def test_a_local_holiday_moves_the_deadline(regions):
    LocalHoliday.objects.create(date=dt.date(2026, 3, 25), name="Hari jadi Kabupaten (contoh)")
    with on(2026, 3, 16):
        complaint, _pin = submit()
    assert complaint.response_due == dt.date(2026, 3, 27)


def test_field_examination_track_gives_sixty_working_days_from_receipt(regions, kasi, petugas):
    with on(2026, 3, 16):
        complaint, _pin = submit()
    with on(2026, 3, 17):
        complaint = complaint_step(
            actor=kasi,
            complaint=complaint,
            name="assign",
            data={"assignee": petugas, "track": Track.FIELD, "reason": "Perlu pemeriksaan lapangan."},
        )
    assert complaint.resolution_due == dt.date(2026, 6, 25)
    assert complaint.events.get(type=EventType.ASSIGNED).extra["resolution_due"] == "2026-06-25"


def test_the_sweep_escalates_each_level_once_and_tells_the_supervisors(regions, kasi, kepala):
    with on(2026, 3, 16):
        complaint, _pin = submit()
    with on(2026, 3, 26):
        assert escalate_overdue() == {1: 0, 2: 0}  # due today: not yet overdue
    with on(2026, 3, 27):
        assert escalate_overdue() == {1: 1, 2: 0}
        assert escalate_overdue() == {1: 0, 2: 0}
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"kasi", "kepala"}
    with on(2026, 4, 14):
        call_command("escalate_complaints", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert escalate_overdue() == {1: 0, 2: 0}
    complaint.refresh_from_db()
    assert complaint.escalation == 2
    types = list(ComplaintEvent.objects.filter(complaint=complaint).values_list("type", flat=True))
    assert types == [EventType.RECEIVED, EventType.RESPONSE_OVERDUE, EventType.RESOLUTION_OVERDUE]
    assert Notification.objects.filter(user__username="kepala").count() == 2


def test_a_stale_read_does_not_escalate_twice(regions, kasi):
    from satupintu.complaints.sweep import _escalate

    with on(2026, 3, 16):
        complaint, _pin = submit()
    with on(2026, 3, 27):
        assert _escalate(complaint, 1, dt.date(2026, 3, 27)) is True
    stale = complaint.__class__.objects.get(pk=complaint.pk)
    stale.escalation = 0  # what a second worker read before the first one wrote
    assert _escalate(stale, 1, dt.date(2026, 3, 27)) is False
    assert complaint.events.filter(type=EventType.RESPONSE_OVERDUE).count() == 1


def test_answered_complaints_are_not_escalated_for_the_first_response(regions, kasi, petugas):
    with on(2026, 3, 16):
        complaint, _pin = submit()
        complaint_step(actor=kasi, complaint=complaint, name="respond", data={"reason": "Sedang kami periksa."})
    with on(2026, 3, 27):
        assert escalate_overdue() == {1: 0, 2: 0}
