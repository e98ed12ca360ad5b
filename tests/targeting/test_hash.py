"""The result hash depends on the registry's content and the rules, never on database ids."""

import datetime as dt
import hashlib
import json
import random

from satupintu.lib.nik import FEMALE, MALE, make_kk, make_nik
from satupintu.regions.models import Region
from satupintu.registry.models import Household, KKNumber, Membership, Person, PovertyAssessment
from satupintu.targeting.models import Change, Eligibility, TargetingRun
from satupintu.targeting.rules import ruleset_for
from satupintu.targeting.run import run_targeting
from tests.conftest import KEDEN, TROBAYAN

ON = dt.date(2026, 11, 1)


def specs(rng: random.Random, count: int = 40) -> list[dict]:
    """Households as plain data: people (one pupil in five without a NIK) and assessments."""
    households = []
    for serial in range(1, count + 1):
        desa = rng.choice((KEDEN, TROBAYAN))
        prefix = "331401"
        people = []
        for n in range(rng.randint(1, 5)):
            born = dt.date(rng.randint(1960, 2018), rng.randint(1, 12), rng.randint(1, 28))
            sex = rng.choice((MALE, FEMALE))
            school = rng.choice(("sd", "smp", "sma", "kuliah", "tidak_berlaku"))
            without_nik = school != "tidak_berlaku" and rng.random() < 0.2
            nik = None if without_nik else make_nik(prefix, born, sex, serial * 10 + n)
            insurance = rng.choice(("tidak_ada", "pbi_jk", "askes"))
            people.append({"nik": nik, "name": f"Warga {serial}-{n}", "sex": sex, "birth_date": born,
                           "school_status": school, "health_insurance": insurance})  # fmt: skip
        assessments = [
            {"method": "dtsen", "desil": rng.randint(1, 10), "assessed_on": dt.date(2025, 6, rng.randint(1, 28))}
            for _ in range(rng.randint(0, 2))
        ]
        households.append({"kk": make_kk(prefix, dt.date(2019, 3, 4), serial), "desa": desa, "people": people,
                           "assessments": assessments})  # fmt: skip
    return households


def insert(households: list[dict]) -> None:
    for spec in households:
        household = Household.objects.create(kk_number=spec["kk"], desa=Region.objects.get(code=spec["desa"]),
                                             address="Krajan", rt="001", rw="001")  # fmt: skip
        for person in spec["people"]:
            Person.objects.create(household=household, birth_place="Sragen", relationship="anak",
                                  marital_status="belum_kawin", education="sd", **person)  # fmt: skip
        for a in spec["assessments"]:
            PovertyAssessment.objects.create(household=household, result="miskin", score=a["desil"], **a)


def wipe() -> None:
    for model in (Change, Eligibility, TargetingRun, PovertyAssessment, Membership, KKNumber):
        model.objects.all().delete()
    Household.objects.update(head=None)
    Person.objects.all().delete()
    Household.objects.all().delete()


def expected_hash(run) -> str:
    """The definition (2), recomputed here from the stored rows valid at the run: SHA-256 of the rule
    version and parameters, a newline, and the sum modulo 2**256 of each line's SHA-256, a line being
    `service|KK number|NIK (or name/birth date)|tier|members`."""
    total = 0
    for e in Eligibility.objects.valid_at(run):
        household = Household.objects.get(pk=e.household_id)
        person = Person.objects.get(pk=e.person_id) if e.person_id else None
        key = "" if person is None else person.nik or f"{person.name}/{person.birth_date.isoformat()}"
        assert (e.kk_number, e.person_key) == (household.kk_number, key)  # stored with the line
        line = f"{e.service}|{household.kk_number}|{key}|{e.tier}|{e.members}"
        total += int.from_bytes(hashlib.sha256(line.encode()).digest(), "big")
    rules = ruleset_for(ON)
    text = rules.version + json.dumps(rules.plain_parameters(), sort_keys=True)
    return hashlib.sha256(f"{text}\n{total % 2**256:064x}".encode()).hexdigest()


def test_the_same_content_inserted_in_another_order_gives_the_same_hash(regions):
    households = specs(random.Random(5))
    insert(households)
    first = run_targeting(on=ON)
    first_ids = set(Household.objects.values_list("pk", flat=True))
    assert first.result_hash == expected_hash(first)
    assert Eligibility.objects.valid_at(first).filter(service="kartu-sintawati", person__nik=None).exists()
    wipe()
    insert(households[::-1])
    second = run_targeting(on=ON)
    assert not first_ids & set(Household.objects.values_list("pk", flat=True))  # other ids, other order
    assert second.result_hash == first.result_hash
    assert second.result_hash == expected_hash(second)


def test_a_different_registry_gives_a_different_hash(regions):
    households = specs(random.Random(5))
    insert(households)
    first = run_targeting(on=ON)
    Person.objects.filter(school_status="smp").update(school_status="tidak_berlaku")
    assert run_targeting(on=ON).result_hash != first.result_hash
