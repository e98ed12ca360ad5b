"""The immediate services: a vehicle on shift, the regency's hospitals, a signing key for the cards."""

import datetime as dt

import pytest
from django.utils import timezone

from satupintu.accounts.reference import ensure_agencies
from satupintu.emergency.models import Driver, Facility, Shift, Vehicle
from satupintu.emergency.reference import ensure_facilities
from tests.documents.conftest import signing_key  # noqa: F401  (autouse: each test its own key)


@pytest.fixture
def hospital(db):
    ensure_agencies()
    ensure_facilities()
    return Facility.objects.get(agency__code="rsud-soehadi")


@pytest.fixture
def vehicle(db):
    """An ambulance on shift from 60 days ago until a day ahead."""
    ambulance = Vehicle.objects.create(plate="AD 9001 KB", name="Ambulans 1", base="Pos UPT-PK Sragen")
    driver = Driver.objects.create(name="Sukiman", phone="081234567001")
    now = timezone.now()
    Shift.objects.create(
        vehicle=ambulance, driver=driver, starts_at=now - dt.timedelta(days=60), ends_at=now + dt.timedelta(days=1)
    )
    return ambulance


def take_call(actor, desa, destination, *, patient=None, patient_name="", **extra):
    from satupintu.emergency.actions import call_take

    call, _new = call_take(
        actor=actor,
        caller_name="Warsini",
        caller_phone="081298765432",
        caller_relation="anak",
        patient=patient,
        patient_name=patient_name,
        pickup_desa=desa,
        pickup_rt="002",
        pickup_rw="001",
        landmark="Sebelah masjid",
        destination=destination,
        urgency="gawat",
        **extra,
    )
    return call
