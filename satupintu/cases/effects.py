"""What each step of the transition table does to an application besides moving its status.

Each effect takes (actor, application, data), changes the locked row (saved by the action after
it) and related rows, and returns the extra data of the step's event; a refusal found on the way
(a document that cannot be issued) raises `TransitionRefused`.
"""

from django.conf import settings
from django.utils import timezone, translation

from satupintu.catalogue.models import SlaKind
from satupintu.catalogue.rules import evaluate
from satupintu.documents.actions import DocumentError
from satupintu.documents.hooks import document_for_referral, document_issue_for_application
from satupintu.lib.transitions import Refused
from satupintu.registry import actions as registry_actions

from . import deadlines, fastpath
from .facts import facts_for
from .models import ClockPause, Referral, ReferralStandard, Verification


class TransitionRefused(Refused):
    """A refused step of an application."""


def accept_documents(actor, application, data):
    present = data.get("present")
    if present is not None:
        for check in application.documents.all():
            check.present = check.pk in present
            check.save(update_fields=["present"])
    return None


def pause(actor, application, data):
    today = timezone.localdate()
    application.paused_since = today
    ClockPause.objects.create(application=application, started_on=today, reason=data["reason"].strip()[:250])
    return {"paused_on": today.isoformat()}


def resume(actor, application, data):
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
    # The record kept with the case reads in the unit's language, whichever language the officer reads.
    with translation.override(settings.LANGUAGE_CODE):
        result = evaluate(
            application.service.code, facts_for(application), timezone.localtime(application.received_at).date()
        )
    application.rules_result = result.as_dict()
    return {"eligible": result.eligible}


def fast_track(actor, application, data):
    application.fast_path = True
    return _enter_decision(application)


def start_verification(actor, application, data):
    verifier = data["verifier"]
    due = deadlines.working_calendar().add_working_days(
        timezone.localdate(), data.get("days") or settings.SATUPINTU_VERIFICATION_DAYS
    )
    Verification.objects.create(application=application, verifier=verifier, due_date=due)
    return {"verifier": verifier.pk, "due_date": due.isoformat()}


def record_verification(actor, application, data):
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


def kepala_approve(actor, application, data):
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


def decide(decision):
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


def issue(actor, application, data):
    """Issue the card or letter of the service (none for clinic and ambulance); a refused document refuses the step."""
    _issued(application)
    try:
        document = document_issue_for_application(actor=actor, application=application)
    except DocumentError as error:
        raise TransitionRefused(str(error)) from error
    return {"document": document.pk, "document_number": document.number} if document else None


def refer(actor, application, data):
    """Refer to the chosen agency, with the service's letter addressed to that agency."""
    try:
        document = document_for_referral(actor=actor, application=application, agency=data["agency"])
    except DocumentError as error:
        raise TransitionRefused(str(error)) from error
    today = timezone.localdate()
    standard = (
        ReferralStandard.objects.filter(agency=data["agency"], service_id=application.service_id, valid_from__lte=today)
        .order_by("-valid_from")
        .first()
    )
    referral = Referral.objects.create(
        application=application,
        agency=data["agency"],
        document=document,
        note=(data.get("note") or "").strip(),
        standard=standard,
        due_date=deadlines.working_calendar().add_working_days(today, standard.days) if standard else None,
    )
    extra = {"agency": referral.agency.code, "referral": referral.pk}
    if referral.due_date:
        extra["due_date"] = referral.due_date.isoformat()
    if document is None:
        return extra
    if application.issued_at is None:
        _issued(application)
    return {**extra, "document": document.pk, "document_number": document.number}


def _issued(application) -> None:
    """The product is out: stop the fast-path clock."""
    application.issued_at = timezone.now()
    application.issue_minutes = fastpath.minutes_between(application.received_at, application.issued_at)


def acknowledge_referral(actor, application, data):
    referral = application.referrals.get(agency_id=actor.agency_id, state=Referral.State.SENT)
    referral.state, referral.acknowledged_by, referral.acknowledged_at = "acknowledged", actor, timezone.now()
    referral.save()
    return {"referral": referral.pk}


def record_outcome(actor, application, data):
    referral = application.referrals.get(agency_id=actor.agency_id, state=Referral.State.ACKNOWLEDGED)
    referral.state, referral.outcome, referral.outcome_at = "done", data["outcome"].strip(), timezone.now()
    referral.save()
    return {"referral": referral.pk}
