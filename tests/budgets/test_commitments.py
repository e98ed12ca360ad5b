from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from satupintu.budgets import actions, selectors
from satupintu.budgets.models import Commitment
from satupintu.catalogue.data import load_current
from satupintu.regions.models import Region
from tests.conftest import KALIJAMBE, KEDEN, TROBAYAN, apply_for, household_in
from tests.threads import at_once, postgresql

from .conftest import JAN, programme_of, source_with


def applications(actor, n, desa=KEDEN):
    return [apply_for(actor, household_in(desa, f"Warga {i}"), "raskin")[0] for i in range(n)]


def items(apps, amount="100000", units="10"):
    kecamatan = Region.objects.get(code=KALIJAMBE)
    return [(a, Decimal(amount), Decimal(units), kecamatan) for a in apps]


@pytest.mark.django_db
def test_commitments_within_the_ceiling_reduce_what_remains(kepala, petugas, apbd):
    created = actions.commit_budget(actor=kepala, source=apbd, items=items(applications(petugas, 3)), round_ref="7")
    assert len(created) == 3 and all(c.round_ref == "7" for c in created)
    assert selectors.remaining(apbd) == selectors.Figures(Decimal("700000"), Decimal("70"))


@pytest.mark.django_db
def test_commitments_over_the_ceiling_are_refused_whole_saying_by_how_much(kepala, petugas, apbd):
    apps = applications(petugas, 11)
    with pytest.raises(actions.OverCeiling) as refused:
        actions.commit_budget(actor=kepala, source=apbd, items=items(apps), round_ref="1")
    assert "sebesar Rp 100.000" in str(refused.value)
    assert not Commitment.objects.exists()


@pytest.mark.django_db
def test_a_units_ceiling_is_kept_too(kepala, petugas, apbd):
    with pytest.raises(actions.OverCeiling, match="sebesar 5 kg"):
        actions.commit_budget(
            actor=kepala, source=apbd, items=items(applications(petugas, 3), "1", "35"), round_ref="1"
        )


@pytest.mark.django_db
def test_a_kecamatan_split_is_kept(kepala, petugas, apbd):
    kalijambe = Region.objects.get(code=KALIJAMBE)
    actions.revise_ceiling(
        actor=kepala, source=apbd, amount="150000", units=None, kecamatan=kalijambe, valid_from=JAN, reason="Bagi"
    )
    with pytest.raises(actions.OverCeiling, match="Kecamatan Kalijambe sebesar Rp 50.000"):
        actions.commit_budget(actor=kepala, source=apbd, items=items(applications(petugas, 2)), round_ref="1")


@pytest.mark.django_db
def test_an_application_is_committed_once_per_source_until_released(kepala, petugas, apbd):
    apps = applications(petugas, 1)
    (commitment,) = actions.commit_budget(actor=kepala, source=apbd, items=items(apps), round_ref="1")
    with pytest.raises(actions.BudgetRefused, match="sudah mendapat komitmen"):
        actions.commit_budget(actor=kepala, source=apbd, items=items(apps), round_ref="2")
    actions.release_commitment(actor=kepala, commitment=commitment, reason="Permohonan dicabut")
    assert selectors.remaining(apbd).amount == Decimal("1000000")
    assert actions.commit_budget(actor=kepala, source=apbd, items=items(apps), round_ref="2")


@pytest.mark.django_db
def test_only_the_head_commits_a_round(kasi, petugas, apbd):
    with pytest.raises(PermissionDenied):
        actions.commit_budget(actor=kasi, source=apbd, items=items(applications(petugas, 1)), round_ref="1")


@pytest.mark.django_db
def test_an_application_of_another_service_is_refused(kepala, petugas, apbd):
    other = apply_for(petugas, household_in(TROBAYAN), "kartu-saraswati")[0]
    with pytest.raises(actions.BudgetRefused, match="bukan untuk layanan"):
        actions.commit_budget(actor=kepala, source=apbd, items=items([other]), round_ref="1")


@postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_never_exceed_the_ceiling(kepala, petugas):
    """Four rounds approved at the same moment, each within the ceiling alone (3 × Rp 300.000 of
    Rp 1.000.000), together far over it: the source's row lock lets one through and refuses the rest."""
    load_current()  # an earlier transactional test may have flushed the migration's services
    source = source_with(kepala, programme_of(kepala), amount=Decimal("1000000"))
    apps = applications(petugas, 12)
    batches = iter([apps[i : i + 3] for i in range(0, 12, 3)])
    outcomes = []

    def approve():
        batch = next(batches)
        try:
            actions.commit_budget(actor=kepala, source=source, items=items(batch, "300000", "1"), round_ref="r")
            outcomes.append("ok")
        except actions.OverCeiling:
            outcomes.append("over")

    at_once(approve, times=4)
    assert sorted(outcomes) == ["ok", "over", "over", "over"]
    committed = sum(c.amount for c in Commitment.objects.filter(source=source, released_at__isnull=True))
    assert committed == Decimal("900000")
