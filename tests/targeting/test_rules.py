"""Rule cases a policy officer can read: a household's facts → the services it is eligible for."""

import datetime as dt

import pytest

from satupintu import parameters
from satupintu.targeting.rules import KENANGA, MELATI, MENUR, PBI_JK, PKH, SARASWATI, SEMBAKO, Facts, ruleset_for

ON = dt.date(2026, 11, 1)


@pytest.fixture
def rules(db):
    parameters.clear_cache()
    return ruleset_for(ON)


def facts(**kw):
    base = {"desil": None, "bps14_score": None, "local_poor": False, "members": 4, "uninsured": 0, "excluded": 0}
    return Facts(**{**base, **kw})


CASES = [
    # (facts, expected {service: tier or ""})
    (facts(desil=1), {SARASWATI: MELATI, PKH: "", SEMBAKO: "", PBI_JK: ""}),
    (facts(desil=4), {SARASWATI: MELATI, PKH: "", SEMBAKO: "", PBI_JK: ""}),
    (facts(desil=5), {SEMBAKO: "", PBI_JK: ""}),
    (facts(desil=5, uninsured=2), {SARASWATI: KENANGA, SEMBAKO: "", PBI_JK: ""}),
    (facts(desil=8), {}),
    (facts(bps14_score=9), {SARASWATI: MELATI}),
    (facts(bps14_score=8, uninsured=1), {SARASWATI: KENANGA}),
    (facts(local_poor=True), {SARASWATI: MENUR}),
    (facts(uninsured=1), {SARASWATI: KENANGA}),
    (facts(desil=2, excluded=4), {PKH: "", SEMBAKO: "", PBI_JK: ""}),  # every member holds other insurance
]


@pytest.mark.parametrize(("household", "expected"), CASES)
def test_rule_case(rules, household, expected):
    decisions = rules.household_decisions(household)
    assert {service: d.tier for service, d in decisions.items()} == expected


def test_saraswati_lists_only_members_without_excluded_insurance(rules):
    assert rules.saraswati(facts(desil=3, members=5, excluded=2)).members == 3
    assert rules.saraswati(facts(desil=9, members=5, uninsured=2)).members == 2


def test_sintawati_is_for_pupils_of_poor_households(rules):
    assert rules.sintawati_pupil(facts(desil=2), "smp")
    assert rules.sintawati_pupil(facts(local_poor=True), "sd")
    assert not rules.sintawati_pupil(facts(desil=2), "kuliah")
    assert not rules.sintawati_pupil(facts(desil=7), "sma")


def test_every_parameter_cites_its_source(rules):
    assert all(p.source for p in rules.parameters.values())
    with pytest.raises(LookupError):
        ruleset_for(dt.date(2020, 1, 1))
