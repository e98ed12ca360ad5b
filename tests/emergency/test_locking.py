"""Dispatching and rostering lock the vehicle (and driver) row before checking it is free, so two
desks acting at the same moment cannot send one ambulance to two calls or book it twice."""

import datetime as dt

import pytest
from django.utils import timezone

from satupintu.catalogue.data import load_current
from satupintu.emergency.actions import StepRefused, call_step, shift_create
from satupintu.emergency.models import AmbulanceCall, CallState, Driver, Shift
from tests.conftest import KEDEN, TROBAYAN
from tests.threads import at_once, postgresql

from .conftest import take_call


@postgresql
@pytest.mark.django_db(transaction=True)
def test_one_ambulance_dispatched_to_two_calls_at_once_goes_to_one(petugas, regions, hospital, vehicle):
    load_current()
    calls = [
        take_call(petugas, regions[KEDEN], hospital, patient_name="Sarni"),
        take_call(petugas, regions[TROBAYAN], hospital, patient_name="Painem"),
    ]
    outcomes = []

    def dispatch():
        call = calls.pop()
        try:
            call_step(actor=petugas, call=call, name="dispatch", data={"vehicle": vehicle})
            outcomes.append("dispatched")
        except StepRefused as error:
            outcomes.append(str(error))

    at_once(dispatch, times=2)
    assert outcomes.count("dispatched") == 1
    assert AmbulanceCall.objects.filter(vehicle=vehicle, state=CallState.DISPATCHED).count() == 1


@postgresql
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_shifts_saved_at_once_leave_one(kasi, vehicle):
    driver = Driver.objects.create(name="Parno", phone="081234567002")
    start = timezone.now() + dt.timedelta(days=3)
    outcomes = []

    def roster():
        try:
            shift_create(
                actor=kasi, vehicle=vehicle, driver=driver, starts_at=start, ends_at=start + dt.timedelta(hours=8)
            )
            outcomes.append("saved")
        except StepRefused as error:
            outcomes.append(str(error))

    at_once(roster, times=2)
    assert outcomes.count("saved") == 1
    assert Shift.objects.filter(driver=driver).count() == 1


@pytest.mark.django_db
def test_a_role_without_the_roster_capability_cannot_create_a_shift(petugas, vehicle):
    driver = Driver.objects.create(name="Parno", phone="081234567002")
    start = timezone.now() + dt.timedelta(days=3)
    with pytest.raises(StepRefused, match="jadwal jaga"):
        shift_create(
            actor=petugas, vehicle=vehicle, driver=driver, starts_at=start, ends_at=start + dt.timedelta(hours=2)
        )
    assert not Shift.objects.filter(driver=driver).exists()


@pytest.mark.django_db
def test_a_non_ascii_digit_as_the_chosen_patient_does_not_break_the_call_form(client, petugas, regions):
    from django.urls import reverse

    client.force_login(petugas)
    response = client.post(reverse("emergency:call_new"), {"patient": "²", "caller_name": ""})
    assert response.status_code == 200
