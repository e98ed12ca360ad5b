"""A raskin programme of 2026 in kg with one APBD source, and approved raskin applications."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
import time_machine

from satupintu.accounts.models import Role, User
from satupintu.budgets import actions as budgets
from satupintu.budgets.models import SourceKind, Unit
from satupintu.cases.models import Application
from satupintu.catalogue.models import ServiceType
from satupintu.raskin import actions
from tests.conftest import apply_for, make_user, mark_poor

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
YEAR = 2026


def on(y, m, d):
    return time_machine.travel(dt.datetime(y, m, d, 10, 0, tzinfo=JAKARTA), tick=False)


@pytest.fixture
def rice(kepala):
    with on(YEAR, 1, 5):
        programme = budgets.create_programme(
            actor=kepala, service=ServiceType.objects.get(code="raskin"), fiscal_year=YEAR, unit=Unit.KG, name="Raskin"
        )
        source = budgets.add_source(actor=kepala, programme=programme, kind=SourceKind.APBD, name="APBD")
        budgets.revise_ceiling(
            actor=kepala, source=source, amount=None, units=Decimal(1000), valid_from=dt.date(YEAR, 1, 1), reason="APBD"
        )
    return source


def approve_raskin(household, when=dt.datetime(YEAR, 2, 3, 9, 0, tzinfo=JAKARTA)):
    """An approved raskin application of the household (the decision itself is the cases' business)."""
    actor = User.objects.filter(role=Role.PETUGAS_LAYANAN).first() or make_user("petugas.raskin", Role.PETUGAS_LAYANAN)
    mark_poor(household)
    with time_machine.travel(when, tick=False):
        application, _pin = apply_for(actor, household, "raskin")
    Application.objects.filter(pk=application.pk).update(status="approved", decided_at=when)
    return application


@pytest.fixture
def march(kepala, rice):
    with on(YEAR, 3, 1):
        return actions.open_month(actor=kepala, programme=rice.programme, source=rice, year=YEAR, month=3)
