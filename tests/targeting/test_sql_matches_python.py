"""The SQL form of the rules gives exactly the lines of the Python reference on generated households:
from rule version 2026.3 that reference is the catalogue's own rule on each member's facts, as the
intake gathers them for an applicant (`cases.facts.facts_for`)."""

import datetime as dt
import random
from types import SimpleNamespace

import pytest
from django.utils import timezone

from satupintu import parameters
from satupintu.cases.facts import facts_for
from satupintu.catalogue.rules import evaluate
from satupintu.catalogue.rules.services import SaraswatiRule
from satupintu.demo.registry import generate
from satupintu.parameters.models import ParameterValue
from satupintu.registry import choices as c
from satupintu.registry.models import Person, PovertyAssessment
from satupintu.targeting.models import Eligibility
from satupintu.targeting.rules import DESIL_SERVICES, REASONS, SARASWATI, SINTAWATI, Facts, ruleset_for
from satupintu.targeting.run import run_targeting

ON = dt.date(2026, 11, 1)  # rule version 2026.1
ON_OCCUPATION = dt.date(2026, 11, 30)  # 2026.2: occupations count too
ON_CATALOGUE = dt.date(2026, 12, 7)  # 2026.3: the catalogue's rules
VERSION = {ON: "upt-pk-2026.1", ON_OCCUPATION: "upt-pk-2026.2", ON_CATALOGUE: "upt-pk-2026.3"}
# Occupations a civil-servant rule must read as such, or not (a word inside another word is not).
OCCUPATIONS = ["PNS", "Guru PNS", "pns guru sd", "Anggota TNI-AD", "Polri", "POLISI lalu lintas", "ASN Pemkab",
               "Bidan desa", "Kapten (TNI)", "Pensiunan PNS", "Petani", "Buruh tani", "Tenisan", "Asnawi jaya",
               "pnsx", "Wiraswasta", "PNSé", "Guru PNS–Sragen", ""]  # fmt: skip
CHANGED = {  # every parameter the rules read, moved off its reference value
    "dtsen_poor_desil_max": 3,
    "bps14_poor_min": 7,
    "pkh_desil_max": 2,
    "sembako_desil_max": 6,
    "pbi_jk_desil_max": 4,
    "saraswati_excluded_insurance": ["askes", "pbi_jk"],
    "pupil_school_levels": ["smp", "kuliah"],
    "saraswati_excluded_occupations": ["PNS", "Bidan"],
}


def scramble(rng: random.Random) -> None:
    """Give the demo registry what it lacks: several assessments per method (some invalid, some on
    the same day), local verifications, and every kind of insurance and school status."""
    households = list(Person.objects.exclude(household=None).values_list("household_id", flat=True).distinct())
    rows = []
    for household_id in rng.sample(households, len(households) // 2):
        for _ in range(rng.randint(1, 4)):
            method = rng.choice(c.AssessmentMethod.values)
            desil = rng.randint(1, 10) if method == c.AssessmentMethod.DTSEN else None
            score = rng.randint(0, 14) if method == c.AssessmentMethod.BPS14 else desil
            rows.append(
                PovertyAssessment(
                    household_id=household_id,
                    method=method,
                    desil=desil,
                    score=score,
                    result=rng.choice(c.PovertyResult.values),
                    is_valid=rng.random() < 0.8,
                    assessed_on=dt.date(2025, rng.randint(1, 3), rng.randint(1, 3)),
                )
            )
    PovertyAssessment.objects.bulk_create(rows)
    people = list(Person.objects.all())
    for person in rng.sample(people, len(people) // 3):
        person.health_insurance = rng.choice(c.HealthInsurance.values)
        person.school_status = rng.choice(c.SchoolStatus.values)
    for person in rng.sample(people, len(people) // 4):
        person.occupation = rng.choice(OCCUPATIONS)
        if rng.random() < 0.5:
            person.health_insurance = c.HealthInsurance.NONE  # a civil servant written down as uninsured
    Person.objects.bulk_update(people, ["health_insurance", "school_status", "occupation"])


def catalogue_lines(on: dt.date) -> set[tuple]:
    """From 2026.3, the Saraswati and Sintawati reference: the catalogue's rule on each member, with
    the facts the intake gathers for an applicant received on `on`. A household's Saraswati line
    lists the members found eligible (all of one tier, the household's)."""
    received = timezone.make_aware(dt.datetime.combine(on, dt.time(9)))
    saraswati: dict[int, list[str]] = {}
    lines = set()
    for person in Person.objects.exclude(household=None).order_by("id"):
        application = SimpleNamespace(applicant=person, household_id=person.household_id, received_at=received,
                                      details={})  # fmt: skip
        facts = facts_for(application)
        card = evaluate("kartu-saraswati", facts, on)
        if card.eligible:
            saraswati.setdefault(person.household_id, []).append(card.tier)
        if evaluate("kartu-sintawati", facts, on).eligible:
            lines.add((SINTAWATI, person.household_id, person.id, "", 1, REASONS["sintawati"]))
    for household_id, tiers in saraswati.items():
        assert len(set(tiers)) == 1
        lines.add((SARASWATI, household_id, None, tiers[0], len(tiers), SaraswatiRule.TEXTS[tiers[0]]))
    return lines


def python_lines(rules, catalogue: bool) -> set[tuple]:
    """The reference: each household's facts gathered one by one, the Python criteria applied;
    with `catalogue` (2026.3) the catalogue's rules for Saraswati and Sintawati."""
    latest: dict[int, dict[str, PovertyAssessment]] = {}
    for a in PovertyAssessment.objects.filter(is_valid=True).order_by("assessed_on", "created_at", "id"):
        latest.setdefault(a.household_id, {})[a.method] = a  # the last one written wins
    members: dict[int, list[Person]] = {}
    for person in Person.objects.exclude(household=None):
        members.setdefault(person.household_id, []).append(person)
    lines = set()
    for household_id, people in members.items():
        methods = latest.get(household_id, {})
        dtsen, bps14, local = (methods.get(m) for m in c.AssessmentMethod.values)
        facts = Facts(
            desil=dtsen.desil if dtsen else None,
            bps14_score=bps14.score if bps14 else None,
            local_poor=bool(local and local.result == c.PovertyResult.POOR),
            members=len(people),
            uninsured=sum(rules.member_uninsured(p.health_insurance, p.occupation) for p in people),
            excluded=sum(rules.member_excluded(p.health_insurance, p.occupation) for p in people),
        )
        if catalogue:
            lines.update((service, household_id, None, d.tier, d.members, d.reason)
                         for service, name in DESIL_SERVICES.items() if (d := rules.by_desil(facts, name)))  # fmt: skip
            continue
        for service, d in rules.household_decisions(facts).items():
            lines.add((service, household_id, None, d.tier, d.members, d.reason))
        for person in people:
            if d := rules.sintawati_pupil(facts, person.school_status):
                lines.add((SINTAWATI, household_id, person.id, d.tier, d.members, d.reason))
    return lines | (catalogue_lines(rules.on) if catalogue else set())


@pytest.mark.parametrize("on", [ON, ON_OCCUPATION, ON_CATALOGUE], ids=["2026.1", "2026.2", "2026.3"])
@pytest.mark.parametrize("changed", [False, True], ids=["reference-parameters", "changed-parameters"])
def test_sql_gives_the_lines_of_the_python_reference(regions, changed, on):
    generate(300, seed=31)
    scramble(random.Random(31))
    if changed:
        for name, value in CHANGED.items():
            ParameterValue.objects.create(name=name, value=value, valid_from=ON, legal_source="uji")
    parameters.clear_cache()
    run = run_targeting(on=on)
    rules = ruleset_for(on)
    assert run.ruleset_version == rules.version == VERSION[on]
    assert rules.plain_parameters()["bps14_poor_min"] == (7 if changed else 9)
    stored = Eligibility.objects.valid_at(run)
    lines = set(stored.values_list("service", "household_id", "person_id", "tier", "members", "reason"))
    expected = python_lines(rules, catalogue=on == ON_CATALOGUE)
    assert lines == expected
    assert stored.count() == len(expected)  # no line twice
    assert {service for service, *_ in expected} == {"kartu-saraswati", "kartu-sintawati", "pkh", "sembako", "pbi-jk"}
    assert run.households == Person.objects.exclude(household=None).values("household").distinct().count()
