"""Every periodic job is one django-q schedule, created by `migrate` (no cron line to write), run by
the cluster's scheduler, and shown in the admin with its last run."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule, Success
from django_q.scheduler import scheduler

from satupintu.accounts.models import Role
from satupintu.complaints.models import Complaint
from satupintu.ops.schedules import JOBS, ensure_schedules
from tests.complaints.conftest import on, submit
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_migrate_declares_each_periodic_job_as_one_schedule():
    declared = {job.name: (job.func, job.minutes) for job in JOBS}
    assert {s.name: (s.func, s.minutes) for s in Schedule.objects.all()} == declared
    assert ensure_schedules() == 0
    assert Schedule.objects.count() == len(JOBS)


def test_an_interval_changed_in_the_admin_is_kept_and_the_demo_cap_shortens_it(settings):
    Schedule.objects.filter(name="check-deadlines").update(minutes=30)
    Schedule.objects.filter(name="invite-surveys").delete()
    assert ensure_schedules() == 1
    assert Schedule.objects.get(name="check-deadlines").minutes == 30
    settings.SCHEDULE_MAX_MINUTES = 1
    ensure_schedules()
    assert set(Schedule.objects.values_list("minutes", flat=True)) == {1}


def test_the_scheduler_runs_every_due_job_and_records_its_outcome():
    scheduler()
    schedules = Schedule.objects.all()
    outcomes = Success.objects.in_bulk([s.task for s in schedules])
    assert len(outcomes) == len(JOBS) and all(s.next_run > timezone.now() for s in schedules)
    by_func = {o.func: o.result for o in outcomes.values()}
    assert set(by_func) == {job.func for job in JOBS}
    assert by_func["satupintu.notifications.outbox.deliver_pending"] == {"sent": 0, "retry": 0, "failed": 0}


def test_the_escalation_schedule_escalates_an_overdue_complaint(regions, kasi, kepala):
    with on(2026, 3, 16):
        complaint, _pin = submit()
    with on(2026, 3, 27):
        Schedule.objects.update(next_run=timezone.now() - dt.timedelta(minutes=1))
        scheduler()
    assert Complaint.objects.get(pk=complaint.pk).escalation == 1


def test_the_admin_lists_each_schedule_with_its_last_run(client, regions):
    admin = make_user("admin", Role.ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    scheduler()
    client.force_login(admin)
    page = client.get(reverse("admin:django_q_schedule_changelist")).content.decode()
    for job in JOBS:
        assert job.name in page
    assert page.count('alt="True"') >= len(JOBS)  # each last run's outcome: succeeded
