"""Writes to applications: one transaction each, the row locked, the table checked, an event
appended and the applicant's notification queued in the same transaction (outbox)."""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.models import Role
from satupintu.accounts.permissions import CASE_INTAKE, has
from satupintu.accounts.pins import make_pin_hash
from satupintu.audit import log
from satupintu.lib.numbers import new_number
from satupintu.notifications.actions import text_to
from satupintu.notifications.models import Notification
from satupintu.registry.models import Household

from . import deadlines, workflow
from .effects import TransitionRefused
from .models import (
    Application,
    Channel,
    DocumentCheck,
    Event,
    EventType,
    IdempotencyKey,
    QueueException,
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
            Household.objects.select_for_update().get(pk=applicant.household_id)
            earlier = idempotency_key and IdempotencyKey.objects.filter(user=actor, key=idempotency_key).first()
            if earlier:
                return earlier.application, None
            duplicate_of = _check_duplicate(applicant.household_id, service, duplicate_reason)
            details = link_death(service, applicant, details or {}, refused=TransitionRefused)
            return _create(actor, service, applicant, present_ids, details, idempotency_key, duplicate_of)
    except IntegrityError:
        if not idempotency_key:
            raise
        return IdempotencyKey.objects.get(user=actor, key=idempotency_key).application, None


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
        number=new_number(Application, "UPK", today),
        pin_hash=make_pin_hash(pin),
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
