import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from satupintu.audit import chain
from satupintu.audit.models import AuditLog
from satupintu.budgets import actions, selectors
from satupintu.budgets.models import CeilingRevision
from satupintu.regions.models import Region
from tests.conftest import KALIJAMBE, KEDEN

from .conftest import JAN, YEAR

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(YEAR, 10, 1, 9))
def test_a_revision_is_a_new_row_and_the_latest_in_force_is_the_ceiling(kepala, apbd):
    actions.revise_ceiling(
        actor=kepala, source=apbd, amount="1500000", units=None, valid_from=dt.date(YEAR, 9, 1), reason="APBD-P"
    )
    actions.revise_ceiling(
        actor=kepala, source=apbd, amount="2000000", units=None, valid_from=dt.date(YEAR, 11, 1), reason="Rencana"
    )
    assert CeilingRevision.objects.filter(source=apbd).count() == 3
    assert selectors.ceiling(apbd).amount == Decimal("1500000")
    assert selectors.ceiling(apbd, on=dt.date(YEAR, 8, 31)).amount == Decimal("1000000")
    assert selectors.ceiling(apbd, on=dt.date(YEAR, 11, 1)).amount == Decimal("2000000")
    assert selectors.remaining(apbd).amount == Decimal("1500000")
    assert chain.verify(CeilingRevision).broken_id is None


def test_a_revision_needs_a_reason_and_is_audited(kepala, apbd):
    with pytest.raises(actions.BudgetRefused, match="Alasan"):
        actions.revise_ceiling(actor=kepala, source=apbd, amount="5", units=None, valid_from=JAN, reason="  ")
    revision = actions.revise_ceiling(
        actor=kepala, source=apbd, amount="5", units=None, valid_from=JAN, reason="Pergeseran"
    )
    log = AuditLog.objects.get(object_type="budgets.ceilingrevision", object_id=str(revision.pk))
    assert log.reason == "Pergeseran" and log.actor == kepala


def test_a_revision_row_is_never_saved_again(kepala, apbd):
    revision = CeilingRevision.objects.filter(source=apbd).first()
    revision.amount = Decimal(1)
    with pytest.raises(ValueError, match="append-only"):
        revision.save()


def test_only_budget_managers_set_ceilings(petugas, auditor, apbd):
    for user in (petugas, auditor):
        with pytest.raises(PermissionDenied):
            actions.revise_ceiling(actor=user, source=apbd, amount="1", units=None, valid_from=JAN, reason="x")


def test_a_split_is_per_kecamatan_only(kepala, apbd):
    with pytest.raises(actions.BudgetRefused, match="kecamatan"):
        actions.revise_ceiling(
            actor=kepala,
            source=apbd,
            amount="1",
            units=None,
            kecamatan=Region.objects.get(code=KEDEN),
            valid_from=JAN,
            reason="x",
        )
    kalijambe = Region.objects.get(code=KALIJAMBE)
    actions.revise_ceiling(
        actor=kepala, source=apbd, amount="300000", units=None, kecamatan=kalijambe, valid_from=JAN, reason="Bagi"
    )
    assert selectors.remaining(apbd, kalijambe).amount == Decimal("300000")
    assert selectors.remaining(apbd).amount == Decimal("1000000")
