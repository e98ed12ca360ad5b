"""Every readable rule case in satupintu/catalogue/rules/cases/*.toml, run against the rules."""

import tomllib
from pathlib import Path

import pytest

from satupintu.catalogue.rules import evaluate

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


def test_there_are_cases_for_every_encoded_rule():
    services = {case.values[0]["service"] for case in load_cases()}
    assert {"kartu-saraswati", "kartu-sintawati", "beasiswa-prestasi", "santunan-duka", "rujukan-jamkesda"} <= services
