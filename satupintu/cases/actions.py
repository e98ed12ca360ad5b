"""Writes to applications: one transaction each, the row locked, the table checked, an event
appended and the applicant's notification queued in the same transaction (outbox)."""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.models import Role
from satupintu.accounts.permissions import (
    CASE_APPOINT_VERIFIER,
    CASE_INTAKE,
    CASE_RECUSAL_OVERRIDE,
    CASE_RECUSAL_REVIEW,
    CASE_WORK,
    REFERRAL_RECEIVE,
    has,
)
from satupintu.accounts.pins import make_pin_hash
from satupintu.audit import log
from satupintu.lib.numbers import new_number
from satupintu.notifications.actions import text_to
from satupintu.notifications.models import Notification
from satupintu.registry.models import Household

from . import appointments, deadlines, recusals, workflow
from .effects import TransitionRefused
from .models import (
    Application,
    CaseRecusal,
    Channel,
    DocumentCheck,
    Event,
    EventType,
    IdempotencyKey,
    QueueException,
    VerifierAppointment,
)
from .santunan import link_death
from .selectors import older_in_queue, open_applications_of
from .status import CLOSED_STATUSES, Status

# Where a request taken by each intake role enters (who may take one is CASE_INTAKE).
INTAKE_CHANNELS = {
    Role.OPERATOR_DESA: Channel.DESA,
    Role.OPERATOR_KECAMATAN: Channel.KECAMATAN,
    Role.PETUGAS_LAYANAN: Channel.DESK,
}


def notify(application, text: str) -> Notification | None:
    """Queue a text for the applicant (outbox row in the current transaction)."""
    body = f"{text} " + _("Lacak: nomor %(number)s dan PIN pada tanda terima.") % {"number": application.number}
    return text_to(application.applicant.phone, body, application=application)


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
            household = Household.objects.select_for_update().only("desa_id").get(pk=applicant.household_id)
            earlier = idempotency_key and IdempotencyKey.objects.filter(user=actor, key=idempotency_key).first()
            if earlier:
                return earlier.application, None
            duplicate_of = _check_duplicate(applicant.household_id, service, duplicate_reason)
            details = link_death(service, applicant, details or {}, refused=TransitionRefused)
            return _create(actor, service, applicant, household, present_ids, details, idempotency_key, duplicate_of)
    except IntegrityError:
        if not idempotency_key:
            raise
        return IdempotencyKey.objects.get(user=actor, key=idempotency_key).application, None


def _check_duplicate(household_id, service, duplicate_reason: str) -> dict | None:
    """Refuse a second open application of the same service unless a reason is given (call with the
    household row locked)."""
    numbers = list(open_applications_of(household_id, service).values_list("number", flat=True))
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


def _create(actor, service, applicant, household, present_ids, details, idempotency_key, duplicate_of):
    now = timezone.now()
    today = timezone.localdate(now)
    standard = service.standard_on(today)
    channel = INTAKE_CHANNELS[actor.role]
    pin = f"{secrets.randbelow(10**6):06d}"
    application = Application.objects.create(
        number=new_number(Application, "UPK", today),
        pin_hash=make_pin_hash(pin),
        service=service,
        standard=standard,
        applicant=applicant,
        household_id=household.pk,
        desa_id=household.desa_id,
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
    notify(
        application,
        _("Permohonan %(service)s Anda diterima dengan nomor %(number)s.")
        % {"service": service.name, "number": application.number},
    )
    # The chained rows last: each locks its chain's head until the commit, and every intake waits for it.
    duplicates = {"duplicate_of": duplicate_of["numbers"]} if duplicate_of else {}
    reason = duplicate_of["reason"] if duplicate_of else ""
    Event.save_together(
        Event(
            application=application,
            actor=actor,
            type=EventType.SUBMITTED,
            to_status=application.status,
            reason=reason,
            extra={"channel": channel, **duplicates},
        ),
        log.entry(
            actor=actor,
            action=log.Action.CREATE,
            instance=application,
            household_id=application.household_id,
            changes={key: [None, value] for key, value in duplicates.items()},
            reason=reason,
        ),
    )
    return application, pin


def application_transition(*, actor, application, name: str, data: dict | None = None, queue_reason: str = ""):
    """Apply transition `name` of the table; raises TransitionRefused with the reason.

    The registry's relations between the officer and the applicant are recorded first, outside the
    step's transaction: called without an enclosing transaction, a recusal found stays recorded when
    it refuses the step. Called inside an outer `transaction.atomic` (allocation's `approve_round`),
    the recusal is part of that outer transaction and is rolled back with it if the caller lets the
    refusal propagate out of the block."""
    recusal_detect(actor=actor, application=application)
    return _transition(actor=actor, application=application, name=name, data=data, queue_reason=queue_reason)


@transaction.atomic
def _transition(*, actor, application, name: str, data: dict | None, queue_reason: str):
    data = data or {}
    transition = workflow.TRANSITIONS.get(name)
    if transition is None:
        raise TransitionRefused(_("Langkah tidak dikenal."))
    # Lock only the application row (`of`), not the joined service and applicant rows.
    locked = Application.objects.select_for_update(of=("self",)).select_related("service", "applicant")
    application = locked.get(pk=application.pk)
    reason = workflow.MACHINE.check(transition, application, actor, data)
    if reason:
        raise TransitionRefused(reason)
    if transition.fair:
        _check_queue(actor, application, queue_reason)
    source = application.status
    extra = transition.effect(actor, application, data) or {}
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


def application_issue(*, actor, application, queue_reason: str = "") -> Application:
    """Issue the product of an approved application: the hook for official documents (letters, cards)."""
    return application_transition(actor=actor, application=application, name="issue", queue_reason=queue_reason)


# Appointed verifiers and recusals (appointments.py, recusals.py).


def appointment_create(
    *, actor, appointee, valid_from, valid_until, reason: str, application=None, desa=(), submission_key=None
) -> VerifierAppointment:
    """Appoint `appointee` to verify one case or the cases of a set of desa for a period (idempotent
    on the form's one-time `submission_key`)."""
    if not has(actor, CASE_APPOINT_VERIFIER):
        raise TransitionRefused(_("Peran Anda tidak dapat menunjuk verifikator."))
    if not appointments.may_be_appointed(appointee):
        raise TransitionRefused(_("Hanya petugas aktif yang dapat ditunjuk sebagai verifikator."))
    if (application is None) == (not desa):
        raise TransitionRefused(_("Pilih satu permohonan atau sejumlah desa (salah satu)."))
    if valid_until < valid_from:
        raise TransitionRefused(_("Tanggal akhir penunjukan sebelum tanggal mulainya."))
    if not reason.strip():
        raise TransitionRefused(_("Alasan penunjukan wajib diisi."))
    if submission_key and (earlier := VerifierAppointment.objects.filter(submission_key=submission_key).first()):
        return _same_appointment(earlier, actor, appointee, application)
    try:
        with transaction.atomic():
            appointment = VerifierAppointment.objects.create(
                appointee=appointee,
                appointed_by=actor,
                application=application,
                valid_from=valid_from,
                valid_until=valid_until,
                reason=reason.strip(),
                submission_key=submission_key,
            )
            appointment.desa.set(desa)
            log.record(
                actor=actor,
                action=log.Action.CREATE,
                instance=appointment,
                changes={
                    "appointee": [None, appointee.username],
                    "application": [None, application.number if application else None],
                    "desa": [None, sorted(d.code for d in desa)],
                    "period": [None, [valid_from.isoformat(), valid_until.isoformat()]],
                },
                reason=reason.strip(),
            )
    except IntegrityError:
        earlier = VerifierAppointment.objects.get(submission_key=submission_key)
        return _same_appointment(earlier, actor, appointee, application)
    return appointment


def _same_appointment(earlier, actor, appointee, application):
    """A resent form returns its earlier appointment only when the same actor appointed the same
    person for the same case; a key reused for anything else is refused."""
    if (earlier.appointed_by_id, earlier.appointee_id, earlier.application_id) != (
        actor.pk,
        appointee.pk,
        application.pk if application else None,
    ):
        raise TransitionRefused(_("Formulir ini sudah dipakai untuk penunjukan lain; muat ulang halaman."))
    return earlier


@transaction.atomic
def appointment_revoke(*, actor, appointment, reason: str) -> VerifierAppointment:
    if not has(actor, CASE_APPOINT_VERIFIER):
        raise TransitionRefused(_("Peran Anda tidak dapat mencabut penunjukan."))
    if not reason.strip():
        raise TransitionRefused(_("Alasan pencabutan wajib diisi."))
    appointment = VerifierAppointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.revoked_at is not None:
        return appointment
    appointment.revoked_at, appointment.revoked_by, appointment.revoked_reason = timezone.now(), actor, reason.strip()
    appointment.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    log.record(
        actor=actor,
        action=log.Action.UPDATE,
        instance=appointment,
        changes={"revoked_at": [None, appointment.revoked_at.isoformat()]},
        reason=reason.strip(),
    )
    return appointment


def _recusal_record(application, officer, kind, relation, actor) -> CaseRecusal | None:
    recusal, created = CaseRecusal.objects.get_or_create(
        application=application, officer=officer, kind=kind, defaults={"relation": relation[:250]}
    )
    if not created:
        return None
    log.record(
        actor=actor,
        action=log.Action.CREATE,
        instance=recusal,
        household_id=application.household_id,
        changes={"officer": [None, officer.username], "kind": [None, kind]},
        reason=relation[:250],
    )
    return recusal


@transaction.atomic
def recusal_declare(*, actor, application, relation: str) -> CaseRecusal:
    """The officer states a relation to the applicant and steps aside from the case (idempotent)."""
    if not relation.strip():
        raise TransitionRefused(_("Tuliskan hubungan Anda dengan pemohon."))
    _recusal_record(application, actor, CaseRecusal.Kind.DECLARED, relation.strip(), actor)
    return CaseRecusal.objects.get(application=application, officer=actor, kind=CaseRecusal.Kind.DECLARED)


@transaction.atomic
def recusal_detect(*, actor, application) -> list[CaseRecusal]:
    """Record what the registry shows between the officer and the applicant, once per kind."""
    if not has(actor, CASE_WORK) or has(actor, REFERRAL_RECEIVE):
        return []
    found = [
        _recusal_record(application, actor, kind, text, None) for kind, text in recusals.detected(actor, application)
    ]
    return [recusal for recusal in found if recusal is not None]


@transaction.atomic
def recusal_review(*, actor, recusal, outcome: str, reason: str) -> CaseRecusal:
    """A kasi or kepala confirms a shared-surname flag (the officer is recused) or clears it."""
    if not has(actor, CASE_RECUSAL_REVIEW) or recusal.officer_id == actor.pk:
        raise TransitionRefused(_("Anda tidak dapat menelaah penanda ini."))
    if outcome not in CaseRecusal.Outcome.values or not reason.strip():
        raise TransitionRefused(_("Pilih hasil telaah dan tuliskan alasannya."))
    recusal = CaseRecusal.objects.select_for_update().get(pk=recusal.pk)
    if recusal.kind != CaseRecusal.Kind.SURNAME or recusal.outcome:
        raise TransitionRefused(_("Penanda ini sudah ditelaah."))
    recusal.outcome, recusal.review_reason = outcome, reason.strip()
    recusal.reviewed_by, recusal.reviewed_at = actor, timezone.now()
    recusal.save(update_fields=["outcome", "review_reason", "reviewed_by", "reviewed_at"])
    log.record(
        actor=actor,
        action=log.Action.UPDATE,
        instance=recusal,
        household_id=recusal.application.household_id,
        changes={"outcome": ["", outcome]},
        reason=reason.strip(),
    )
    return recusal


@transaction.atomic
def recusal_override(*, actor, recusal, reason: str) -> CaseRecusal:
    """The kepala lets a recused officer act on the case after all (e.g. no other officer at the desk)."""
    if not has(actor, CASE_RECUSAL_OVERRIDE) or recusal.officer_id == actor.pk:
        raise TransitionRefused(_("Anda tidak dapat mengecualikan pengunduran diri ini."))
    if not reason.strip():
        raise TransitionRefused(_("Alasan pengecualian wajib diisi."))
    recusal = CaseRecusal.objects.select_for_update().get(pk=recusal.pk)
    if recusal.overridden_at is None:
        recusal.override_reason, recusal.overridden_by, recusal.overridden_at = reason.strip(), actor, timezone.now()
        recusal.save(update_fields=["override_reason", "overridden_by", "overridden_at"])
        log.record(
            actor=actor,
            action=log.Action.UPDATE,
            instance=recusal,
            household_id=recusal.application.household_id,
            changes={"override": [None, actor.username]},
            reason=reason.strip(),
        )
    return recusal
