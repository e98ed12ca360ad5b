"""The complaint deadline sweep: scheduled (ops/schedules.py) and safe from several workers at once.

A complaint whose first response is overdue is escalated to level 1 (the supervisors are told);
one whose resolution is overdue to level 2 (the kepala is told; for the sensitive tier the
integrity group instead). Each level is written only if the row still holds what was read
(a conditional UPDATE), so its event and notifications are queued once.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.models import User
from satupintu.accounts.permissions import COMPLAINT_RESPONSE_ESCALATION, DEADLINE_ESCALATION, holders_q

from .actions import _event, _tell_users
from .models import OPEN_STATUSES, Complaint, EventType, Status

UNANSWERED = frozenset({Status.RECEIVED, Status.ASSIGNED})


def level_due(complaint: Complaint, today) -> int:
    if complaint.status in OPEN_STATUSES and today > complaint.resolution_due:
        return 2
    if complaint.status in UNANSWERED and today > complaint.response_due:
        return 1
    return 0


def _recipients(complaint: Complaint, level: int):
    if complaint.sensitive:
        users = User.objects.filter(groups__name=settings.SATUPINTU_INTEGRITY_GROUP)
    else:
        users = User.objects.filter(holders_q(DEADLINE_ESCALATION if level == 2 else COMPLAINT_RESPONSE_ESCALATION))
    users = users.filter(is_active=True).distinct()
    if complaint.about_officer_id:
        users = users.exclude(pk=complaint.about_officer_id)
    return list(users)


def escalate_overdue(today=None) -> dict[int, int]:
    today = today or timezone.localdate()
    counts = {1: 0, 2: 0}
    candidates = Complaint.objects.filter(status__in=OPEN_STATUSES, escalation__lt=2).filter(
        Q(resolution_due__lt=today) | Q(status__in=UNANSWERED, response_due__lt=today)
    )
    for complaint in candidates.iterator():
        level = level_due(complaint, today)
        if level > complaint.escalation and _escalate(complaint, level, today):
            counts[level] += 1
    return counts


@transaction.atomic
def _escalate(complaint: Complaint, level: int, today) -> bool:
    updated = Complaint.objects.filter(
        pk=complaint.pk, escalation=complaint.escalation, escalation__lt=level, status=complaint.status
    ).update(escalation=level)
    if not updated:
        return False
    complaint.escalation = level
    due = complaint.resolution_due if level == 2 else complaint.response_due
    _event(
        complaint,
        actor=None,
        type=EventType.RESOLUTION_OVERDUE if level == 2 else EventType.RESPONSE_OVERDUE,
        from_status=complaint.status,
        extra={"due": due.isoformat(), "checked_on": today.isoformat(), "level": level},
    )
    text = _("Pengaduan %(number)s melewati batas waktu %(due)s (eskalasi tingkat %(level)s).") % {
        "number": complaint.number,
        "due": f"{due:%d/%m/%Y}",
        "level": level,
    }
    _tell_users(_recipients(complaint, level), text)
    return True
