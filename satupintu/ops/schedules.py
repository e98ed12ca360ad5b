"""The periodic jobs, declared once: each is a django-q Schedule row (admin: Tugas latar belakang →
Scheduled tasks) with its last run and outcome, run by `satupintu qcluster`.

`ensure_schedules` runs after every `migrate` and creates the missing rows; an existing row keeps the
interval an admin gave it, and only its function follows the code. SCHEDULE_MAX_MINUTES caps every
interval (the demo runs each job every minute).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

DAY = 24 * 60


@dataclass(frozen=True)
class Job:
    name: str  # the schedule's name, and the management command doing the same by hand
    func: str
    minutes: int
    what: str
    args: str = ""  # the function's arguments as a Python literal, as django-q stores them


JOBS = [
    Job(
        "send-notifications",
        "satupintu.notifications.outbox.deliver_pending",
        1,
        "deliver queued SMS/WhatsApp texts and staff notices through the gateway, with retries",
    ),
    Job(
        "write-scan-counts",
        "satupintu.documents.scans.write_scan_counts",
        1,
        "write the verification page's repeat openings, counted in Redis, into the scan log",
    ),
    Job(
        "resume-imports",
        "satupintu.imports.tasks.resume_stalled",
        5,
        "queue again an import batch whose worker died (heartbeat older than IMPORT_STALE_SECONDS)",
    ),
    Job(
        "resume-jobs",
        "satupintu.ops.jobs.resume_stalled",
        5,
        "queue the next attempt of a user's job whose worker died (heartbeat older than JOB_STALE_SECONDS)",
    ),
    Job(
        "refresh-transparency",
        "satupintu.justice.public.refresh_figures",
        5,
        "rebuild the public transparency figures, so that no visitor waits for them",
    ),
    Job(
        "check-deadlines",
        "satupintu.cases.sweep.check_deadlines",
        5,
        "applications and referrals due soon or overdue, verification visits overdue: events and notices",
    ),
    Job(
        "escalate-complaints",
        "satupintu.complaints.sweep.escalate_overdue",
        15,
        "complaints whose first response or resolution is overdue go up one level",
    ),
    Job(
        "invite-surveys",
        "satupintu.survey.actions.invite_completed",
        60,
        "SKM survey invitations for completed applications",
    ),
    Job(
        "forget-scan-addresses",
        "satupintu.documents.retention.forget_scan_addresses",
        DAY,
        "blank the IP address and browser of QR scans older than SCAN_ADDRESS_RETENTION_DAYS",
    ),
    Job(
        "forget-import-files",
        "satupintu.imports.retention.forget_import_files",
        DAY,
        "delete import files and staged rows of batches final for more than IMPORT_RETENTION_DAYS",
    ),
    Job(
        "forget-job-files",
        "satupintu.ops.jobs.forget_job_files",
        DAY,
        "delete the files of users' jobs (card batches, exports) finished more than JOB_FILE_RETENTION_HOURS ago",
    ),
    Job(
        "forget-expired-cache",
        "satupintu.ops.housekeeping.forget_expired_cache_entries",
        10,
        "delete the shared cache's expired entries (attempt counters), so the table holds live entries only",
    ),
    Job(
        "verify-audit",
        "django.core.management.call_command",
        DAY,
        "walk the audit log's and the events' hash chains; a broken chain is a failed task naming the table",
        args="'verify_audit'",
    ),
]


def interval(job: Job) -> int:
    cap = settings.SCHEDULE_MAX_MINUTES
    return min(job.minutes, cap) if cap > 0 else job.minutes


@transaction.atomic
def ensure_schedules(**_signal) -> int:
    """Create each job's schedule if missing (idempotent); return how many were created."""
    from django_q.models import Schedule

    existing = {schedule.name: schedule for schedule in Schedule.objects.filter(name__in=[j.name for j in JOBS])}
    created = 0
    for job in JOBS:
        schedule = existing.get(job.name)
        if schedule is None:
            Schedule.objects.create(
                name=job.name,
                func=job.func,
                args=job.args or None,
                schedule_type=Schedule.MINUTES,
                minutes=interval(job),
                repeats=-1,
                next_run=timezone.now(),
            )
            created += 1
            continue
        cap = settings.SCHEDULE_MAX_MINUTES
        minutes = min(schedule.minutes, cap) if cap > 0 and schedule.minutes else schedule.minutes
        if (schedule.func, schedule.args or "", schedule.minutes) != (job.func, job.args, minutes):
            schedule.func, schedule.args, schedule.minutes = job.func, job.args or None, minutes
            schedule.save(update_fields=["func", "args", "minutes"])
    return created
