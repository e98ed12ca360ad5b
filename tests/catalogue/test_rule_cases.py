"""Every readable rule case in satupintu/catalogue/rules/cases/*.toml, run against the rules: by
the Python form, and for a rule over registry facts by its SQL form too (on the database in use)."""

import tomllib
from pathlib import Path

import pytest

from satupintu.catalogue.rules import evaluate
from satupintu.catalogue.rules.batch import evaluate_facts
from satupintu.catalogue.rules.services import rule_for

CASES_DIR = Path(__file__).resolve().parents[2] / "satupintu" / "catalogue" / "rules" / "cases"


def load_cases():
    for path in sorted(CASES_DIR.glob("*.toml")):
        for case in tomllib.loads(path.read_text(encoding="utf-8"))["case"]:
            yield pytest.param(case, id=f"{path.stem}: {case['title']}")


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(load_cases()))
def test_rule_case(case):
    result = evaluate(case["service"], case["facts"], case["on"])
    assert result.eligible is case["eligible"], [c.explanation for c in result.criteria]
    if "tier" in case:
        assert result.tier == case["tier"]
    if "amount" in case:
        assert result.amount == case["amount"]
    not_met = {c.name for c in result.criteria if not c.met}
    assert set(case.get("not_met", [])) <= not_met
    assert all(c.explanation for c in result.criteria)


def sql_answer(result) -> tuple:
    """What the SQL form must give for a Python result."""
    return result.eligible, result.tier


@pytest.mark.django_db
@pytest.mark.parametrize("per_household", [False, True], ids=["per-applicant", "household-checks-stored"])
@pytest.mark.parametrize("case", [case for case in load_cases() if rule_for(case.values[0]["service"]).batch])
def test_rule_case_gives_the_same_answer_in_sql(case, per_household):
    rule = rule_for(case["service"])
    python = rule.evaluate(case["facts"], case["on"])
    assert evaluate_facts(rule, [case["facts"]], case["on"], per_household=per_household) == [sql_answer(python)]
    assert python.eligible is case["eligible"]


@pytest.mark.django_db
def test_the_sql_form_reads_many_applicants_at_once_as_the_python_reads_each():
    """All the cases of a rule in one table: a derived list (the civil-servant occupations) is
    made from every row's values, and each row keeps its own answer."""
    for service in ("kartu-saraswati", "kartu-sintawati", "kursi-roda", "raskin"):
        cases = [case.values[0] for case in load_cases()]
        rule = rule_for(service)
        on = cases[0]["on"]
        facts = [case["facts"] for case in cases]
        expected = [sql_answer(rule.evaluate(one, on)) for one in facts]
        assert evaluate_facts(rule, facts, on) == evaluate_facts(rule, facts, on, per_household=True) == expected


def test_there_are_cases_for_every_encoded_rule():
    services = {case.values[0]["service"] for case in load_cases()}
    assert {"kartu-saraswati", "kartu-sintawati", "beasiswa-prestasi", "santunan-duka", "rujukan-jamkesda"} <= services


def test_the_rules_targeting_evaluates_have_a_sql_form_and_those_reading_an_application_do_not():
    assert all(rule_for(code).batch for code in ("kartu-saraswati", "kartu-sintawati", "kursi-roda", "raskin"))
    assert not any(rule_for(code).batch for code in ("beasiswa-prestasi", "santunan-duka", "rujukan-jamkesda"))
