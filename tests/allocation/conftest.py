"""A budget programme with a ceiling and households waiting at the decision step."""

import datetime as dt

import pytest

from satupintu.budgets import actions as budgets
from satupintu.cases.actions import application_transition
from satupintu.catalogue.models import ServiceType
from tests.conftest import KEDEN, TROBAYAN, apply_for, household_in, mark_poor

RTLH = 15_000_000  # rtlh_apbd_amount


def waiting(petugas, desa=KEDEN, *, desil=2, members=2, service="rtlh-apbd"):
    """An application of a poor household at the decision step."""
    household = mark_poor(household_in(desa, members=members), desil=desil)
    application, _pin = apply_for(petugas, household, service)
    for name in ("accept_documents", "fast_track"):
        application = application_transition(actor=petugas, application=application, name=name)
    return application


def programme_with(kasi, *, amount=None, units=None, service="rtlh-apbd", unit="rumah"):
    programme = budgets.create_programme(
        actor=kasi, service=ServiceType.objects.get(code=service), fiscal_year=2026, unit=unit, name="RTLH APBD"
    )
    source = budgets.add_source(actor=kasi, programme=programme, kind="apbd", name="APBD 2026")
    budgets.revise_ceiling(
        actor=kasi, source=source, amount=amount, units=units, valid_from=dt.date(2026, 1, 1), reason="APBD murni"
    )
    return programme, source


@pytest.fixture
def rtlh(kasi):
    """RTLH APBD 2026 with room for two houses."""
    return programme_with(kasi, amount=2 * RTLH)


@pytest.fixture
def three_waiting(petugas):
    """Three applicants: desil 1 (Trobayan), desil 3, desil 2 — ranked 1, 3, 2."""
    return [
        waiting(petugas, TROBAYAN, desil=1),
        waiting(petugas, KEDEN, desil=3),
        waiting(petugas, KEDEN, desil=2),
    ]
