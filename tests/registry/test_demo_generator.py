import datetime as dt

from django.core.management import call_command
from django.db.models import Count

from satupintu.lib.nik import check_nik_matches, parse_kk, parse_nik
from satupintu.regions.models import Level, Region
from satupintu.registry.models import Household, Person, PovertyAssessment


def test_demo_covers_every_desa_with_valid_consistent_nik_and_kk(regions):
    call_command("generate_demo", households=260, seed=7)
    assert Household.objects.count() == 260
    assert Household.objects.values("desa").distinct().count() == Region.objects.filter(level=Level.DESA).count()
    for person in Person.objects.exclude(nik=None):
        info = parse_nik(person.nik)
        assert check_nik_matches(info, sex=person.sex, birth_date=person.birth_date) == []
    for household in Household.objects.select_related("head"):
        parse_kk(household.kk_number)
        assert household.head.relationship == "kepala"
        assert household.head.household_id == household.pk


def test_demo_has_realistic_proportions(regions):
    call_command("generate_demo", households=1500, seed=11)
    people = Person.objects.count()
    assert 3.0 < people / 1500 < 4.5
    disabled = Person.objects.exclude(disability="tidak_ada").count() / people
    assert 0.005 < disabled < 0.05
    cutoff = dt.date(2026, 11, 1)
    pupils = Person.objects.filter(birth_date__gt=cutoff.replace(year=2008), birth_date__lte=cutoff.replace(year=2019))
    in_school = pupils.filter(school_status__in=["sd", "smp", "sma"]).count() / pupils.count()
    assert in_school > 0.85
    desil = dict(PovertyAssessment.objects.filter(method="dtsen").values_list("desil").annotate(n=Count("id")))
    assert desil[1] > desil[10]


def test_rerunning_the_demo_setup_duplicates_nothing(regions):
    call_command("demo_setup", households=50)
    counts = (Household.objects.count(), Person.objects.count())
    call_command("demo_setup", households=50)
    assert (Household.objects.count(), Person.objects.count()) == counts
