import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from satupintu.audit import chain
from satupintu.documents.actions import document_issue_card, document_revoke
from satupintu.emergency.actions import StepRefused, call_step, free_vehicles, verification_resolve
from satupintu.emergency.models import AmbulanceCall, CallEvent, CallState, Eligibility
from tests.conftest import KEDEN, TROBAYAN, mark_poor

from .conftest import take_call

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 11, 16, 5, 0, tzinfo=dt.UTC)  # 12:00 in Sragen


def test_a_patient_with_a_valid_card_is_eligible_on_the_spot(petugas, keden_household, hospital):
    mark_poor(keden_household)
    card = document_issue_card(actor=petugas, kind="saraswati", household=keden_household, tier="melati")
    call = take_call(petugas, keden_household.desa, hospital, patient=keden_household.head)
    assert call.eligibility == Eligibility.CARD_VALID and call.card == card
    assert card.number in call.eligibility_evidence
    assert not call.verify_after and call.patient_nik_masked.count("*") == 8


def test_a_poor_household_without_a_card_is_eligible_from_the_registry(petugas, keden_household, hospital):
    mark_poor(keden_household, desil=1)
    call = take_call(petugas, keden_household.desa, hospital, patient=keden_household.head)
    assert call.eligibility == Eligibility.REGISTRY_POOR and "desil 1" in call.eligibility_evidence
    assert not call.verify_after


def test_a_revoked_card_does_not_count_and_an_unassessed_patient_is_flagged(petugas, keden_household, hospital):
    card = document_issue_card(actor=petugas, kind="saraswati", household=keden_household, tier="kenanga")
    document_revoke(actor=petugas, document=card, reason="Pindah domisili")
    call = take_call(petugas, keden_household.desa, hospital, patient=keden_household.head)
    assert call.eligibility == Eligibility.UNKNOWN and call.verify_after


def test_an_unknown_patient_is_carried_and_listed_until_verified(petugas, regions, hospital, vehicle):
    call = take_call(petugas, regions[KEDEN], hospital, patient_name="Mbah Karto")
    assert call.eligibility == Eligibility.UNKNOWN and call.verify_after
    call = call_step(actor=petugas, call=call, name="dispatch", data={"vehicle": vehicle})
    assert call.state == CallState.DISPATCHED  # no approval stands between the call and the ambulance
    assert AmbulanceCall.objects.filter(verify_after=True, verification_outcome="").count() == 1
    with pytest.raises(StepRefused, match="wajib"):
        verification_resolve(actor=petugas, call=call, outcome="eligible", note=" ")
    call = verification_resolve(actor=petugas, call=call, outcome="eligible", note="Kunjungan rumah: miskin")
    assert call.verified_by == petugas and not call.verification_pending
    with pytest.raises(StepRefused, match="tidak menunggu"):
        verification_resolve(actor=petugas, call=call, outcome="eligible", note="lagi")


def test_every_step_is_time_stamped_with_its_actor_in_the_chained_events(petugas, regions, hospital, vehicle):
    with time_machine.travel(NOON, tick=False) as clock:
        call = take_call(petugas, regions[KEDEN], hospital, patient_name="Sarni")
        for minutes, step in ((2, "dispatch"), (19, "arrive"), (41, "deliver"), (75, "return")):
            clock.move_to(NOON + dt.timedelta(minutes=minutes))
            call = call_step(actor=petugas, call=call, name=step, data={"vehicle": vehicle})
    assert call.state == CallState.BACK and call.driver.name == "Sukiman"
    assert (call.dispatched_at, call.at_pickup_at, call.back_at) == (
        NOON + dt.timedelta(minutes=2),
        NOON + dt.timedelta(minutes=19),
        NOON + dt.timedelta(minutes=75),
    )
    assert call.response_minutes == 19 and call.standard_minutes == 30 and call.within_standard
    events = list(call.events.order_by("at", "id"))
    assert [e.to_state for e in events] == ["called", "dispatched", "at_pickup", "at_facility", "back"]
    assert all(e.actor == petugas for e in events)
    assert chain.verify(CallEvent).broken_id is None
    with pytest.raises(ValueError):
        events[0].delete()


def test_a_step_out_of_order_is_refused_with_a_message(petugas, regions, hospital, vehicle):
    call = take_call(petugas, regions[KEDEN], hospital, patient_name="Sarni")
    with pytest.raises(StepRefused, match="tidak berlaku untuk panggilan berstatus Panggilan diterima"):
        call_step(actor=petugas, call=call, name="arrive")
    with pytest.raises(StepRefused, match="Alasan pembatalan wajib"):
        call_step(actor=petugas, call=call, name="cancel", data={"reason": ""})
    with pytest.raises(StepRefused, match="Langkah tidak dikenal"):
        call_step(actor=petugas, call=call, name="teleport")
    assert call.events.count() == 1


def test_only_a_free_vehicle_on_shift_is_dispatched(petugas, kepala, regions, hospital, vehicle):
    first = take_call(petugas, regions[KEDEN], hospital, patient_name="Sarni")
    second = take_call(petugas, regions[TROBAYAN], hospital, patient_name="Painem")
    call_step(actor=petugas, call=first, name="dispatch", data={"vehicle": vehicle})
    assert list(free_vehicles()) == []
    with pytest.raises(StepRefused, match="sedang melayani"):
        call_step(actor=kepala, call=second, name="dispatch", data={"vehicle": vehicle})
    vehicle.shifts.update(ends_at=vehicle.shifts.get().starts_at + dt.timedelta(hours=1))
    call_step(actor=petugas, call=first, name="cancel", data={"reason": "Pasien dibawa keluarga"})
    with pytest.raises(StepRefused, match="tidak sedang berjaga"):
        call_step(actor=kepala, call=second, name="dispatch", data={"vehicle": vehicle})


def test_a_role_without_the_desk_capability_cannot_take_or_move_calls(petugas, verifikator, regions, hospital):
    with pytest.raises(StepRefused):
        take_call(verifikator, regions[KEDEN], hospital, patient_name="Sarni")
    call = take_call(petugas, regions[KEDEN], hospital, patient_name="Sarni")
    with pytest.raises(StepRefused, match="tidak berwenang"):
        call_step(actor=verifikator, call=call, name="cancel", data={"reason": "x"})


def test_the_same_form_sent_twice_records_one_call(client, petugas, regions, hospital):
    client.force_login(petugas)
    form = {
        "caller_name": "Warsini",
        "caller_phone": "081298765432",
        "patient_name": "Mbah Karto",
        "pickup_desa": KEDEN,
        "destination": hospital.pk,
        "urgency": "gawat",
        "submission_key": "7f1c2a64-3d52-4c86-9d0e-1b0f6c1b2a11",
        "save": "1",
    }
    first = client.post(reverse("emergency:call_new"), form)
    second = client.post(reverse("emergency:call_new"), form)
    assert first.status_code == second.status_code == 302
    assert AmbulanceCall.objects.count() == 1
    assert first["Location"] == second["Location"]
