"""Each household's welfare status and member count are kept on its row by every write that changes
them, and always equal what the assessments and people say."""

import datetime as dt

import pytest
from django.core.management import call_command

from satupintu.demo.sample import sample_rows
from satupintu.registry import actions, status
from satupintu.registry.models import Household, Person
from tests.conftest import KEDEN, TROBAYAN, household_in, mark_poor
from tests.imports.helpers import HEAD, SPOUSE, imported


def stored(household):
    household = Household.objects.get(pk=household.pk)
    return household.poverty_result, household.poverty_method, household.poverty_desil, household.member_count


def nothing_out_of_date():
    return status.refresh_all() == 0


@pytest.mark.django_db
def test_a_new_household_counts_its_members_and_has_no_status_until_assessed(regions):
    household = household_in(KEDEN, members=2)
    assert stored(household) == (None, None, None, 2)
    assert nothing_out_of_date()


@pytest.mark.django_db
def test_the_latest_valid_assessment_is_the_stored_status(regions):
    household = mark_poor(household_in(KEDEN), desil=2)
    assert stored(household)[:3] == ("miskin", "dtsen", 2)
    actions.assessment_record(
        actor=None, household=household, method="dtsen", desil=7, assessed_on=dt.date(2026, 6, 1), source="DTSEN"
    )
    assert stored(household)[:3] == ("tidak_miskin", "dtsen", 7)
    # An older assessment recorded later does not replace the newer one.
    actions.assessment_record(
        actor=None, household=household, method="dtsen", desil=1, assessed_on=dt.date(2025, 1, 1), source="DTSEN"
    )
    assert stored(household)[:3] == ("tidak_miskin", "dtsen", 7)
    assert nothing_out_of_date()


@pytest.mark.django_db
def test_a_person_moving_to_another_household_changes_both_counts(regions):
    first, second = household_in(KEDEN, members=2), household_in(TROBAYAN, members=1)
    spouse = Person.objects.get(household=first, relationship="pasangan")
    actions.person_update(actor=None, person=spouse, data={"household": second}, reason="pindah")
    assert stored(first)[3] == 1 and stored(second)[3] == 2
    assert nothing_out_of_date()


@pytest.mark.django_db
def test_a_merged_duplicate_leaves_its_household_count(regions):
    from satupintu.imports.actions import pair_merge
    from satupintu.imports.models import DuplicatePair

    first, second = household_in(KEDEN, members=2), household_in(TROBAYAN, members=2)
    kept = Person.objects.get(household=first, relationship="pasangan")
    gone = Person.objects.get(household=second, relationship="pasangan")
    a, b = sorted([kept, gone], key=lambda p: p.pk)
    pair = DuplicatePair.objects.create(
        person_a=a, person_b=b, desa_a_id=KEDEN, desa_b_id=TROBAYAN, score=80, level="possible", reasons=["sama"]
    )
    pair_merge(actor=None, pair=pair, keep=kept, note="sama")
    assert stored(second)[3] == 1
    assert nothing_out_of_date()


@pytest.mark.django_db
def test_an_import_leaves_every_household_status_up_to_date(regions):
    imported([HEAD, SPOUSE])
    household = Household.objects.get()
    assert stored(household)[3] == 2
    assert nothing_out_of_date()


@pytest.mark.django_db
@pytest.mark.parametrize("first_load", [True, False])
def test_a_larger_import_by_either_path_leaves_every_status_up_to_date(regions, first_load):
    rows = sample_rows(40, seed=7)
    imported(rows, first_load=first_load)
    assert Household.objects.exists()
    assert nothing_out_of_date()
    poor = Household.objects.filter(poverty_result="miskin").count()
    assert poor == Household.objects.filter(assessments__result="miskin", assessments__is_valid=True).count()


@pytest.mark.django_db
def test_the_demo_generator_leaves_every_status_up_to_date(regions):
    from satupintu.demo.registry import generate

    generate(30)
    assert Household.objects.exclude(poverty_result=None).exists()
    assert nothing_out_of_date()


@pytest.mark.django_db
def test_a_stale_row_is_corrected_by_the_command(regions, capsys):
    household = mark_poor(household_in(KEDEN, members=2))
    Household.objects.filter(pk=household.pk).update(poverty_result=None, member_count=9)
    call_command("refresh_household_status")
    assert "households corrected: 1" in capsys.readouterr().out
    assert stored(household) == ("miskin", "dtsen", 2, 2)


@pytest.mark.django_db
def test_a_recorded_death_leaves_the_household_count(regions, petugas):
    household = household_in(KEDEN, members=2)
    spouse = Person.objects.get(household=household, relationship="pasangan")
    actions.record_death(actor=petugas, person=spouse, died_on=dt.date(2026, 3, 1), source="dukcapil")
    assert stored(household)[3] == 1
    assert nothing_out_of_date()
