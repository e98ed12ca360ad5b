"""The deadline sweep: scheduled every few minutes (ops/schedules.py), and safe from several workers at once.

Each case's new state is written only if the row still holds the state that was read
(a conditional UPDATE), so a case is marked, and its event and notifications queued, once.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.models import User
from satupintu.accounts.permissions import DEADLINE_ESCALATION, REFERRAL_RECEIVE, holders_q
from satupintu.catalogue.calendar import working_calendar
from satupintu.notifications.actions import notice_to, text_to

from .deadlines import deadline_state_for
from .models import Application, DeadlineState, EventType, Referral, Verification
from .status import CLOCK_STATUSES, Status

ORDER = [DeadlineState.ON_TIME, DeadlineState.DUE_SOON, DeadlineState.OVERDUE]
EVENTS = {DeadlineState.DUE_SOON: EventType.DUE_SOON, DeadlineState.OVERDUE: EventType.OVERDUE}


def check_deadlines(today=None) -> dict[str, int]:
    today = today or timezone.localdate()
    calendar = working_calendar()
    counts = {
        DeadlineState.DUE_SOON: 0,
        DeadlineState.OVERDUE: 0,
        "verification_overdue": 0,
        "referral_due_soon": 0,
        "referral_overdue": 0,
    }
    candidates = (
        Application.objects.filter(status__in=CLOCK_STATUSES, paused_since__isnull=True, due_date__isnull=False)
        .exclude(deadline_state=DeadlineState.OVERDUE)
        .select_related("service", "applicant")
    )
    managers = list(User.objects.filter(holders_q(DEADLINE_ESCALATION), is_active=True))
    for application in candidates.iterator():
        state = deadline_state_for(application.due_date, today, calendar)
        if ORDER.index(state) <= ORDER.index(application.deadline_state):
            continue
        if _mark(application, state, today, managers):
            counts[state] += 1
    late = Verification.objects.filter(
        completed_at__isnull=True, overdue_marked=False, due_date__lt=today, application__status=Status.VERIFICATION
    ).select_related("application", "verifier")
    for verification in late:
        counts["verification_overdue"] += _mark_verification(verification, today)
    referrals = (
        Referral.objects.exclude(state=Referral.State.DONE)
        .filter(due_date__isnull=False, application__status=Status.REFERRED)
        .exclude(deadline_state=DeadlineState.OVERDUE)
        .select_related("application", "agency")
    )
    for referral in referrals.iterator():
        state = deadline_state_for(referral.due_date, today, calendar)
        if ORDER.index(state) > ORDER.index(referral.deadline_state) and _mark_referral(referral, state, managers):
            counts[f"referral_{state}"] += 1
    return counts


@transaction.atomic
def _mark_referral(referral, state, managers) -> bool:
    """A referral due soon or overdue: an event on the case and a notice to the agency's users and the
    unit, once per state (the conditional update)."""
    if not Referral.objects.filter(pk=referral.pk, deadline_state=referral.deadline_state).update(deadline_state=state):
        return False
    application = referral.application
    application.events.create(
        type=EventType.REFERRAL_DUE_SOON if state == DeadlineState.DUE_SOON else EventType.REFERRAL_OVERDUE,
        from_status=application.status,
        to_status=application.status,
        extra={"referral": referral.pk, "agency": referral.agency.code, "due_date": referral.due_date.isoformat()},
    )
    text = {
        DeadlineState.DUE_SOON: _("Rujukan permohonan %(number)s ke %(agency)s jatuh tempo %(due)s."),
        DeadlineState.OVERDUE: _("Rujukan permohonan %(number)s ke %(agency)s melewati batas tanggapan %(due)s."),
    }[state] % {"number": application.number, "agency": referral.agency.name, "due": f"{referral.due_date:%d/%m/%Y}"}
    agency_users = User.objects.filter(holders_q(REFERRAL_RECEIVE), agency_id=referral.agency_id, is_active=True)
    notice_to([*agency_users, *managers], text, application=application)
    return True


@transaction.atomic
def _mark_verification(verification, today) -> bool:
    """A verifier's own deadline passed: event 903 and a notice to the verifier, once."""
    if not Verification.objects.filter(pk=verification.pk, overdue_marked=False).update(overdue_marked=True):
        return False
    application = verification.application
    application.events.create(
        type=EventType.VERIFICATION_OVERDUE,
        from_status=application.status,
        to_status=application.status,
        extra={"verification": verification.pk, "due_date": verification.due_date.isoformat()},
    )
    notice_to(
        [verification.verifier],
        _("Verifikasi permohonan %(number)s melewati batas %(due)s.")
        % {"number": application.number, "due": f"{verification.due_date:%d/%m/%Y}"},
        application=application,
    )
    return True


@transaction.atomic
def _mark(application, state, today, managers) -> bool:
    updated = Application.objects.filter(
        pk=application.pk, deadline_state=application.deadline_state, status=application.status
    ).update(deadline_state=state)
    if not updated:
        return False
    application.events.create(
        type=EVENTS[state],
        from_status=application.status,
        to_status=application.status,
        extra={"due_date": application.due_date.isoformat(), "checked_on": today.isoformat()},
    )
    text = {
        DeadlineState.DUE_SOON: _("Permohonan %(number)s (%(service)s) jatuh tempo %(due)s."),
        DeadlineState.OVERDUE: _("Permohonan %(number)s (%(service)s) melewati batas waktu %(due)s."),
    }[state]
    text %= {
        "number": application.number,
        "service": application.service.name,
        "due": f"{application.due_date:%d/%m/%Y}",
    }
    notice_to(managers, text, application=application)
    if state == DeadlineState.OVERDUE:
        text_to(
            application.applicant.phone,
            _("Mohon maaf, permohonan %(number)s belum selesai dalam batas waktu. Kami sedang menyelesaikannya.")
            % {"number": application.number},
            application=application,
        )
    return True
