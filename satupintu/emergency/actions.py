"""Writes of the immediate services: one transaction each, the row locked, the step checked against
the table, an event (calls) or an audit row beside every change."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.accounts.permissions import (
    AMBULANCE_DISPATCH,
    AMBULANCE_ROSTER,
    AMBULANCE_VERIFY,
    CLINIC_VISIT,
    has,
    roles_with,
)
from satupintu.audit import log
from satupintu.catalogue.models import ServiceStandard
from satupintu.documents.actions import document_issue_letter
from satupintu.lib.nik import mask_nik
from satupintu.lib.numbers import new_number
from satupintu.lib.transitions import Machine, Refused, Texts, Transition

from .eligibility import CardCheck, eligibility_of
from .models import (
    BUSY_STATES,
    AmbulanceCall,
    CallEvent,
    CallState,
    ClinicVisit,
    Driver,
    Shift,
    Vehicle,
    VerificationOutcome,
)

AMBULANCE_SERVICE = "ambulans-gratis"
REFERRAL_LETTER = "rujukan-jamkesda"


class StepRefused(Refused):
    """A refused step of a call or a visit."""


def standard_minutes(day) -> int | None:
    """The ambulance's response standard in force on `day`, from the catalogue (None without one)."""
    standards = ServiceStandard.objects.filter(service__code=AMBULANCE_SERVICE, valid_from__lte=day)
    standard = standards.order_by("-valid_from").first()
    return standard.minutes if standard else None


def _event(call, *, actor, from_state, reason="", extra=None, at=None):
    return CallEvent.objects.create(
        call=call,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_state=from_state,
        to_state=call.state,
        reason=reason,
        extra=extra or {},
        at=at or timezone.now(),
    )


def call_take(*, actor, submission_key=None, **fields) -> tuple[AmbulanceCall, bool]:
    """Record a call; returns it and whether it is new. The same one-time `submission_key` sent
    again (a retry, a double click) returns the first call."""
    if not has(actor, AMBULANCE_DISPATCH):
        raise StepRefused(_("Peran Anda tidak dapat menerima panggilan ambulans."))
    return _once(AmbulanceCall, submission_key, lambda: _take(actor=actor, submission_key=submission_key, **fields))


def _once(model, submission_key, create):
    """`create()` in a transaction unless a row with this one-time key exists: (row, whether new)."""
    try:
        with transaction.atomic():
            if submission_key and (earlier := model.objects.filter(submission_key=submission_key).first()):
                return earlier, False
            return create(), True
    except IntegrityError:  # the same key sent twice at the same moment: the other one was stored
        if not submission_key:
            raise
        return model.objects.get(submission_key=submission_key), False


def _take(*, actor, submission_key, patient=None, patient_name="", received_at=None, **fields) -> AmbulanceCall:
    received_at = received_at or timezone.now()
    day = timezone.localdate(received_at)
    finding = eligibility_of(patient, day)
    call = AmbulanceCall.objects.create(
        number=new_number(AmbulanceCall, "AMB", day),
        submission_key=submission_key,
        received_at=received_at,
        taken_by=actor,
        patient=patient,
        patient_name=(patient.name if patient else patient_name).strip(),
        patient_nik_masked=mask_nik(patient.nik) if patient and patient.nik else "",
        eligibility=finding.eligibility,
        eligibility_evidence=finding.evidence[:250],
        card=finding.card,
        verify_after=finding.verify_after,
        standard_minutes=standard_minutes(day),
        **fields,
    )
    _event(call, actor=actor, from_state="", extra={"eligibility": call.eligibility}, at=received_at)
    return call


def free_vehicles(at=None):
    """Active vehicles on shift at `at` and not out on a call."""
    at = at or timezone.now()
    return (
        Vehicle.objects.filter(active=True, shifts__starts_at__lte=at, shifts__ends_at__gt=at)
        .exclude(calls__state__in=BUSY_STATES)
        .distinct()
        .order_by("name")
    )


def _on_shift(vehicle, at):
    return (
        Shift.objects.filter(vehicle=vehicle, starts_at__lte=at, ends_at__gt=at)
        .select_related("driver")
        .order_by("-starts_at")
        .first()
    )


def _vehicle_ready(call, actor, data):
    vehicle, at = data.get("vehicle"), data.get("at") or timezone.now()
    if vehicle is None:
        return _("Pilih kendaraan.")
    if not vehicle.active or _on_shift(vehicle, at) is None:
        return _("Kendaraan %(v)s tidak sedang berjaga.") % {"v": vehicle}
    if AmbulanceCall.objects.filter(vehicle=vehicle, state__in=BUSY_STATES).exclude(pk=call.pk).exists():
        return _("Kendaraan %(v)s sedang melayani panggilan lain.") % {"v": vehicle}
    return None


def _dispatch(actor, call, data):
    at = data.get("at") or timezone.now()
    shift = _on_shift(data["vehicle"], at)
    call.vehicle, call.driver, call.dispatched_at = data["vehicle"], shift.driver, at
    return {"vehicle": call.vehicle_id, "driver": call.driver_id}


def _stamp(field):
    def effect(actor, call, data):
        setattr(call, field, data.get("at") or timezone.now())

    effect.__name__ = f"stamp_{field}"
    return effect


def _cancel(actor, call, data):
    call.cancelled_at, call.cancel_reason = data.get("at") or timezone.now(), data["reason"].strip()[:250]


@dataclass(frozen=True)
class CallStep(Transition):
    button: str = ""


MACHINE = Machine(
    [
        CallStep(
            "dispatch", gettext_lazy("Berangkatkan ambulans"), frozenset({CallState.CALLED}), CallState.DISPATCHED,
            capability=AMBULANCE_DISPATCH, guard=_vehicle_ready, effect=_dispatch,
        ),
        CallStep(
            "arrive", gettext_lazy("Tiba di lokasi pasien"), frozenset({CallState.DISPATCHED}), CallState.AT_PICKUP,
            capability=AMBULANCE_DISPATCH, effect=_stamp("at_pickup_at"),
        ),
        CallStep(
            "deliver", gettext_lazy("Tiba di fasilitas tujuan"), frozenset({CallState.AT_PICKUP}),
            CallState.AT_FACILITY, capability=AMBULANCE_DISPATCH, effect=_stamp("at_facility_at"),
        ),
        CallStep(
            "return", gettext_lazy("Kembali di pangkalan"), frozenset({CallState.AT_FACILITY}), CallState.BACK,
            capability=AMBULANCE_DISPATCH, effect=_stamp("back_at"),
        ),
        CallStep(
            "cancel", gettext_lazy("Batalkan"),
            frozenset({CallState.CALLED, CallState.DISPATCHED, CallState.AT_PICKUP}), CallState.CANCELLED,
            capability=AMBULANCE_DISPATCH, needs_reason=True, effect=_cancel,
        ),
    ],
    state=lambda call: call.state,
    may=has,
    texts=Texts(
        wrong_state=lambda call: _("Langkah ini tidak berlaku untuk panggilan berstatus %(state)s.")
        % {"state": call.get_state_display()},
        not_allowed=lambda step: _("Peran Anda tidak berwenang untuk langkah ini."),
        reason_missing=lambda step: _("Alasan pembatalan wajib diisi."),
    ),
)  # fmt: skip
STEPS = MACHINE.transitions


def as_markdown() -> str:
    """The steps as Markdown (docs/emergency.md embeds it; tests keep them equal)."""
    return MACHINE.as_markdown(
        who=lambda capability: ", ".join(sorted(roles_with(capability))), states=CallState.values
    )


def as_mermaid() -> str:
    return MACHINE.as_mermaid(starts=[("called", "call_take")], ends=["back", "cancelled"])


@transaction.atomic
def call_step(*, actor, call: AmbulanceCall, name: str, data: dict | None = None) -> AmbulanceCall:
    """Take step `name` on a call; `data` may hold the vehicle (dispatch), the reason (cancel) and,
    for a generator writing history, the time `at`."""
    data = data or {}
    step = STEPS.get(name)
    if step is None:
        raise StepRefused(_("Langkah tidak dikenal."))
    call = AmbulanceCall.objects.select_for_update().get(pk=call.pk)
    if data.get("vehicle") is not None:
        # Locked before the guard: two calls dispatched at once cannot both find the vehicle free.
        data = {**data, "vehicle": Vehicle.objects.select_for_update().get(pk=data["vehicle"].pk)}
    refusal = MACHINE.check(step, call, actor, data)
    if refusal:
        raise StepRefused(refusal)
    before = call.state
    extra = step.effect(actor, call, data) or {}
    call.state = step.target
    call.save()
    _event(
        call, actor=actor, from_state=before, reason=(data.get("reason") or "").strip(), extra=extra, at=data.get("at")
    )
    return call


@transaction.atomic
def verification_resolve(*, actor, call: AmbulanceCall, outcome: str, note: str) -> AmbulanceCall:
    """Close the follow-up verification of a call whose eligibility was unknown."""
    if not has(actor, AMBULANCE_VERIFY):
        raise StepRefused(_("Peran Anda tidak dapat memverifikasi panggilan."))
    call = AmbulanceCall.objects.select_for_update().get(pk=call.pk)
    if not call.verification_pending:
        raise StepRefused(_("Panggilan ini tidak menunggu verifikasi."))
    if outcome not in VerificationOutcome.values:
        raise StepRefused(_("Pilih hasil verifikasi."))
    if not (note or "").strip():
        raise StepRefused(_("Catatan verifikasi wajib diisi."))
    call.verification_outcome, call.verification_note = outcome, note.strip()[:250]
    call.verified_by, call.verified_at = actor, timezone.now()
    call.save()
    log.record(
        actor=actor,
        action=log.Action.UPDATE,
        instance=call,
        household_id=call.patient.household_id if call.patient_id else None,
        changes={"verification_outcome": [None, outcome]},
        reason=call.verification_note,
    )
    return call


def visit_register(*, actor, submission_key=None, **fields) -> tuple[ClinicVisit, bool]:
    """Record a clinic visit from a card check; returns it and whether it is new (a resent form
    with the same one-time key returns the first visit)."""
    if not has(actor, CLINIC_VISIT):
        raise StepRefused(_("Peran Anda tidak dapat mencatat kunjungan klinik."))
    return _once(ClinicVisit, submission_key, lambda: _visit(actor=actor, submission_key=submission_key, **fields))


def _visit(
    *,
    actor,
    submission_key,
    check: CardCheck,
    person,
    service: str,
    service_note: str = "",
    referred: bool = False,
    referral_agency=None,
    visited_at=None,
) -> ClinicVisit:
    if not check.found:
        raise StepRefused(check.reason)
    if person.household_id != check.household.pk:
        raise StepRefused(_("Pasien bukan anggota rumah tangga pemegang kartu."))
    visit = ClinicVisit.objects.create(
        submission_key=submission_key,
        visited_at=visited_at or timezone.now(),
        person=person,
        desa_id=check.household.desa_id,
        card=check.card,
        tier=check.tier,
        check_result=check.result,
        check_reason=check.reason[:250],
        service=service,
        service_note=service_note.strip()[:250],
        referred=referred,
        officer=actor,
    )
    if referred:
        visit.referral_letter = document_issue_letter(
            actor=actor,
            service_code=REFERRAL_LETTER,
            subject_household=check.household,
            subject_person=person,
            addressee_agency=referral_agency,
            context={"keterangan": visit.service_note},
            source_type="emergency.clinicvisit",
            source_id=str(visit.pk),
        )
        visit.save(update_fields=["referral_letter"])
    log.record(
        actor=actor,
        action=log.Action.CREATE,
        instance=visit,
        household_id=check.household.pk,
        changes={"check_result": [None, visit.check_result], "service": [None, service], "referred": [None, referred]},
    )
    return visit


@transaction.atomic
def shift_create(*, actor, vehicle, driver, starts_at, ends_at) -> Shift:
    if not has(actor, AMBULANCE_ROSTER):
        raise StepRefused(_("Peran Anda tidak dapat menyusun jadwal jaga."))
    if ends_at <= starts_at:
        raise StepRefused(_("Jam selesai harus setelah jam mulai."))
    # Vehicle and driver locked before the overlap check: two shifts saved at once cannot overlap.
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    driver = Driver.objects.select_for_update().get(pk=driver.pk)
    overlapping = Shift.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
    if overlapping.filter(vehicle=vehicle).exists():
        raise StepRefused(_("Kendaraan ini sudah terjadwal pada jam tersebut."))
    if overlapping.filter(driver=driver).exists():
        raise StepRefused(_("Pengemudi ini sudah terjadwal pada jam tersebut."))
    shift = Shift.objects.create(vehicle=vehicle, driver=driver, starts_at=starts_at, ends_at=ends_at)
    log.record(actor=actor, action=log.Action.CREATE, instance=shift, changes={"vehicle": [None, vehicle.pk]})
    return shift
