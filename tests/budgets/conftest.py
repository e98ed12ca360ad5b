"""A raskin programme of the fiscal year with one APBD source, over the personas' registry."""

import datetime as dt
from decimal import Decimal

import pytest

from satupintu.budgets import actions
from satupintu.budgets.models import SourceKind, Unit
from satupintu.catalogue.models import ServiceType

YEAR = 2026
JAN = dt.date(YEAR, 1, 2)


def programme_of(actor, service="raskin", unit=Unit.KG, year=YEAR):
    return actions.create_programme(
        actor=actor, service=ServiceType.objects.get(code=service), fiscal_year=year, unit=unit, name=""
    )


def source_with(actor, programme, *, amount=None, units=None, kind=SourceKind.APBD, name="APBD", on=JAN):
    source = actions.add_source(actor=actor, programme=programme, kind=kind, name=name)
    if amount is not None or units is not None:
        actions.revise_ceiling(
            actor=actor, source=source, amount=amount, units=units, valid_from=on, reason="APBD murni"
        )
    return source


@pytest.fixture
def programme(kepala):
    return programme_of(kepala)


@pytest.fixture
def apbd(kepala, programme):
    return source_with(kepala, programme, amount=Decimal("1000000"), units=Decimal(100))
