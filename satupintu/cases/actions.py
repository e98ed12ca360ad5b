"""Writes to applications: one transaction each, the row locked, the table checked, an event
appended and the applicant's notification queued in the same transaction (outbox)."""

import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.models import Role
from satupintu.accounts.permissions import CASE_INTAKE, has
from satupintu.audit import log
from satupintu.catalogue.models import SlaKind
from satupintu.catalogue.rules import evaluate
from satupintu.documents.actions import DocumentError
from satupintu.documents.hooks import document_for_referral, document_issue_for_application
from satupintu.registry import actions as registry_actions
from satupintu.registry.models import Household

from . import deadlines, workflow
from .facts import facts_for
from .models import (
    Application,
    Channel,
    ClockPause,
    DocumentCheck,
    Event,
    EventType,
    IdempotencyKey,
    Notification,
    QueueException,
    Referral,
    Verification,
)
from .selectors import older_in_queue
from .status import CLOSED_STATUSES, OPEN_STATUSES, Status

# Where a request taken by each intake role enters (who may take one is CASE_INTAKE).
INTAKE_CHANNELS = {
    Role.OPERATOR_DESA: Channel.DESA,
    Role.OPERATOR_KECAMATAN: Channel.KECAMATAN,
    Role.PETUGAS_LAYANAN: Channel.DESK,
}


class TransitionRefused(Exception):
    """A refused step; the message is the Indonesian reason shown to the officer."""


def _new_number(received) -> str:
    while True:
        number = f"UPK{received:%y%m}-{secrets.randbelow(10**6):06d}"
        if not Application.objects.filter(number=number).exists():
            return number


def notify(application, text: str) -> Notification | None:
    """Queue a text for the applicant (outbox row in the current transaction)."""
    phone = application.applicant.phone
    if not phone:
        return None
    body = f"{text} " + _("Lacak: nomor %(number)s dan PIN pada tanda terima.") % {"number": application.number}
    return Notification.objects.create(application=application, phone=phone, body=body)


def _event(application, *, actor, type, from_status="", to_status="", reason="", extra=None) -> Event:  # noqa: A002
    return Event.objects.create(
        application=application,
        actor=actor,
        type=type,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        extra=extra or {},
    )


def application_create(
    *, actor, service, applicant, present_ids=(), details=None, idempotency_key: str = "", duplicate_reason: str = ""
) -> tuple[Application, str | None]:
    """Register a request; returns it and its PIN (None when an idempotent retry found it).

    A household with an open application of the same service gets a second one only with a
    recorded `duplicate_reason`."""
    if not has(actor, CASE_INTAKE):
        raise TransitionRefused(_("Peran Anda tidak dapat menerima permohonan."))
    try:
        with transaction.atomic():
            # The household row is locked first: of two intakes at the same moment the second waits,
            # then finds the first one (its own earlier try, or an open application of the service).
            Household.objects.select_for_update().get(pk=applicant.household_id)
            earlier = idempotency_key and IdempotencyKey.objects.filter(user=actor, key=idempotency_key).first()
            if earlier:
                return earlier.application, None
            duplicate_of = _check_duplicate(applicant.household_id, service, duplicate_reason)
            return _create(actor, service, applicant, present_ids, details or {}, idempotency_key, duplicate_of)
    except IntegrityError:
        if not idempotency_key:
            raise
        return IdempotencyKey.objects.get(user=actor, key=idempotency_key).application, None


def open_applications_of(household_id, service=None):
    """The household's open applications (of one service, when given), oldest first."""
    qs = Application.objects.filter(household_id=household_id, status__in=OPEN_STATUSES).select_related("service")
    return (qs.filter(service=service) if service is not None else qs).order_by("received_at", "id")


def _check_duplicate(household_id, service, duplicate_reason: str) -> dict | None:
    """Refuse a second open application of the same service unless a reason is given (call with the
    household row locked)."""
    numbers = [a.number for a in open_applications_of(household_id, service)]
    if not numbers:
        return None
    reason = duplicate_reason.strip()
    if not reason:
        raise TransitionRefused(
            _(
                "Rumah tangga ini masih memiliki permohonan %(service)s yang belum selesai: %(numbers)s. "
                "Permohonan kedua hanya dicatat dengan alasan."
            )
            % {"service": service.name, "numbers": ", ".join(numbers)}
        )
    return {"numbers": numbers, "reason": reason}


def _create(actor, service, applicant, present_ids, details, idempotency_key, duplicate_of):
    now = timezone.now()
    today = timezone.localdate(now)
    standard = service.standard_on(today)
    channel = INTAKE_CHANNELS[actor.role]
    pin = f"{secrets.randbelow(10**6):06d}"
    application = Application.objects.create(
        number=_new_number(today),
        pin_hash=make_password(pin),
        service=service,
        standard=standard,
        applicant=applicant,
        household=applicant.household,
        desa=applicant.household.desa,
        channel=channel,
        status=Status.SUBMITTED if channel == Channel.DESA else Status.RECEIVED,
        details=details,
        received_at=now,
        received_by=actor,
        due_date=deadlines.due_date_for(standard, today),
    )
    DocumentCheck.objects.bulk_create(
        DocumentCheck(application=application, requirement=r, present=r.pk in present_ids)
        for r in service.requirements.all()
    )
    if idempotency_key:
        IdempotencyKey.objects.create(user=actor, key=idempotency_key, application=application)
    duplicates = {"duplicate_of": duplicate_of["numbers"]} if duplicate_of else {}
    reason = duplicate_of["reason"] if duplicate_of else ""
    _event(
        application,
        actor=actor,
        type=EventType.SUBMITTED,
        to_status=application.status,
        reason=reason,
        extra={"channel": channel, **duplicates},
    )
    log.record(
        actor=actor,
        action=log.Action.CREATE,
        instance=application,
        household_id=application.household_id,
        changes={key: [None, value] for key, value in duplicates.items()},
        reason=reason,
    )
    notify(
        application,
        _("Permohonan %(service)s Anda diterima dengan nomor %(number)s.")
        % {"service": service.name, "number": application.number},
    )
    return application, pin


@transaction.atomic
def application_transition(*, actor, application, name: str, data: dict | None = None, queue_reason: str = ""):
    """Apply transition `name` of the table; raises TransitionRefused with the reason."""
    data = data or {}
    transition = workflow.TRANSITIONS.get(name)
    if transition is None:
        raise TransitionRefused(_("Langkah tidak dikenal."))
    # Lock only the application row (`of`), not the joined service and applicant rows.
    locked = Application.objects.select_for_update(of=("self",)).select_related("service", "applicant")
    application = locked.get(pk=application.pk)
    reason = workflow.refusal(transition, application, actor, data)
    if reason:
        raise TransitionRefused(reason)
    if transition.fair:
        _check_queue(actor, application, queue_reason)
    source = application.status
    extra = SIDE_EFFECTS.get(name, _nothing)(actor, application, data) or {}
    application.status = transition.target
    if transition.target in CLOSED_STATUSES:
        application.closed_at = timezone.now()
    application.save()
    reason_text = (data.get("reason") or data.get("override_reason") or "").strip()
    _event(
        application,
        actor=actor,
        type=transition.event,
        from_status=source,
        to_status=transition.target,
        reason=reason_text,
        extra=extra,
    )
    if transition.notify:
        agency = application.referrals.select_related("agency").last()
        notify(
            application,
            transition.notify
            % {
                "number": application.number,
                "service": application.service.name,
                "reason": reason_text,
                "agency": agency.agency.name if agency else "",
            },
        )
    return application


def _check_queue(actor, application, queue_reason: str) -> None:
    """Fair queue: acting ahead of older waiting cases needs a recorded reason."""
    queue = workflow.queue_of(application.status)
    if queue is None or not queue.open_to(actor):
        return
    skipped = older_in_queue(actor, queue, application).count()
    if not skipped:
        return
    if not queue_reason.strip():
        raise TransitionRefused(
            _("Ada %(n)s permohonan lebih lama di antrean “%(queue)s”. Tuliskan alasan untuk mendahulukan.")
            % {"n": skipped, "queue": queue.label}
        )
    QueueException.objects.create(
        application=application, actor=actor, queue=queue.name, skipped=skipped, reason=queue_reason.strip()
    )
    _event(
        application,
        actor=actor,
        type=EventType.QUEUE_EXCEPTION,
        reason=queue_reason.strip(),
        extra={"queue": queue.name, "skipped": skipped},
    )


def _nothing(actor, application, data):
    return None


def _accept_documents(actor, application, data):
    present = data.get("present")
    if present is not None:
        for check in application.documents.all():
            check.present = check.pk in present
            check.save(update_fields=["present"])
    return None


def _pause(actor, application, data):
    today = timezone.localdate()
    application.paused_since = today
    ClockPause.objects.create(application=application, started_on=today, reason=data["reason"].strip()[:250])
    return {"paused_on": today.isoformat()}


def _resume(actor, application, data):
    today = timezone.localdate()
    pause = application.pauses.filter(ended_on__isnull=True).last()
    calendar = deadlines.working_calendar()
    lost = calendar.working_days_between(pause.started_on, today) if pause else 0
    if pause:
        pause.ended_on, pause.working_days = today, lost
        pause.save(update_fields=["ended_on", "working_days"])
    old_due = application.due_date
    if application.due_date and application.standard and application.standard.kind == SlaKind.WORKING_DAYS:
        application.due_date = calendar.add_working_days(application.due_date, lost)
    application.paused_since = None
    application.deadline_state = deadlines.deadline_state_for(application.due_date, today, calendar)
    return {"paused_working_days": lost, "due_date": [str(old_due), str(application.due_date)]}


def _enter_decision(application) -> dict:
    result = evaluate(
        application.service.code, facts_for(application), timezone.localtime(application.received_at).date()
    )
    application.rules_result = result.as_dict()
    return {"eligible": result.eligible}


def _fast_track(actor, application, data):
    application.fast_path = True
    return _enter_decision(application)


def _start_verification(actor, application, data):
    verifier = data["verifier"]
    due = deadlines.working_calendar().add_working_days(
        timezone.localdate(), data.get("days") or settings.SATUPINTU_VERIFICATION_DAYS
    )
    Verification.objects.create(application=application, verifier=verifier, due_date=due)
    return {"verifier": verifier.pk, "due_date": due.isoformat()}


def _record_verification(actor, application, data):
    verification = application.verifications.first()
    verification.method = data.get("method") or Verification.Method.FIELD
    verification.visit_date = data.get("visit_date") or timezone.localdate()
    verification.bps14_answers = data.get("bps14_answers") or {}
    verification.findings = data["findings"].strip()
    verification.recommendation = data["recommendation"]
    verification.completed_at = timezone.now()
    verification.save()
    for photo in data.get("photos") or []:
        verification.photos.create(image=photo)
    return {"recommendation": verification.recommendation, "bps14": len(verification.bps14_answers)}


def _kepala_approve(actor, application, data):
    """The household enters the unit's supplementary database with the verification's assessment."""
    verification = application.verifications.first()
    answers = {k: True for k, v in verification.bps14_answers.items() if v}
    assessment = registry_actions.assessment_record(
        actor=actor,
        household=application.household,
        method="bps14" if verification.bps14_answers else "verifikasi_lokal",
        answers=answers,
        result=verification.recommendation,
        assessed_on=verification.visit_date or timezone.localdate(),
        source=f"Verifikasi UPT-PK, permohonan {application.number}",
    )
    extra = _enter_decision(application)
    return {**extra, "assessment": assessment.pk, "result": assessment.result}


def _decide(decision):
    def effect(actor, application, data):
        application.decision = decision
        application.decision_reason = (data.get("reason") or "").strip()
        application.override_reason = (data.get("override_reason") or "").strip()
        application.decided_by = actor
        application.decided_at = timezone.now()
        departs = application.rules_result.get("eligible") != (decision == "approved")
        extra = {"rules_eligible": application.rules_result.get("eligible"), "override": departs}
        return {**extra, "override_reason": application.override_reason} if application.override_reason else extra

    return effect


def _issue(actor, application, data):
    """Issue the card or letter of the service (none for clinic and ambulance); a refused document refuses the step."""
    application.issued_at = timezone.now()
    try:
        document = document_issue_for_application(actor=actor, application=application)
    except DocumentError as error:
        raise TransitionRefused(str(error)) from error
    return {"document": document.pk, "document_number": document.number} if document else None


def _refer(actor, application, data):
    """Refer to the chosen agency, with the service's letter addressed to that agency."""
    try:
        document = document_for_referral(actor=actor, application=application, agency=data["agency"])
    except DocumentError as error:
        raise TransitionRefused(str(error)) from error
    referral = Referral.objects.create(
        application=application, agency=data["agency"], document=document, note=(data.get("note") or "").strip()
    )
    extra = {"agency": referral.agency.code, "referral": referral.pk}
    if document is None:
        return extra
    application.issued_at = application.issued_at or timezone.now()
    return {**extra, "document": document.pk, "document_number": document.number}


def _acknowledge_referral(actor, application, data):
    referral = application.referrals.get(agency_id=actor.agency_id, state=Referral.State.SENT)
    referral.state, referral.acknowledged_by, referral.acknowledged_at = "acknowledged", actor, timezone.now()
    referral.save()
    return {"referral": referral.pk}


def _record_outcome(actor, application, data):
    referral = application.referrals.get(agency_id=actor.agency_id, state=Referral.State.ACKNOWLEDGED)
    referral.state, referral.outcome, referral.outcome_at = "done", data["outcome"].strip(), timezone.now()
    referral.save()
    return {"referral": referral.pk}


SIDE_EFFECTS = {
    "accept_documents": _accept_documents,
    "return_documents": _pause,
    "resubmit": _resume,
    "fast_track": _fast_track,
    "start_verification": _start_verification,
    "record_verification": _record_verification,
    "kepala_approve": _kepala_approve,
    "approve": _decide("approved"),
    "reject": _decide("rejected"),
    "issue": _issue,
    "refer": _refer,
    "acknowledge_referral": _acknowledge_referral,
    "record_outcome": _record_outcome,
}


def application_issue(*, actor, application, queue_reason: str = "") -> Application:
    """Issue the product of an approved application: the hook for official documents (letters, cards)."""
    return application_transition(actor=actor, application=application, name="issue", queue_reason=queue_reason)
