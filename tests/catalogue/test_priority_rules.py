"""The priority rules of the budget-bounded services, on the hand-worked cases of
satupintu/catalogue/rules/cases/priority/*.toml: each component's points, the total, and the order
with its tie-break by the earlier application."""

import datetime as dt
import json
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from satupintu import parameters as p
from satupintu.catalogue.rules import priority

pytestmark = pytest.mark.django_db

CASES_DIR = Path(__file__).resolve().parents[2] / "satupintu" / "catalogue" / "rules" / "cases" / "priority"


def load(kind: str):
    for path in sorted(CASES_DIR.glob("*.toml")):
        for case in tomllib.loads(path.read_text(encoding="utf-8")).get(kind, []):
            yield pytest.param(case, id=f"{path.stem}: {case['title']}")


@pytest.mark.parametrize("case", list(load("case")))
def test_priority_points_match_the_hand_worked_case(case):
    rule = priority.rule_on(case["service"], case["on"])
    ranked = rule.score(case["facts"], rule.bind(case["on"]))
    by_name = {c["name"]: c for c in ranked.components}
    for name, points in case["components"].items():
        assert by_name[name]["points"] == points, by_name[name]["explanation"]
    assert ranked.points == Decimal(case["points"])
    assert all(c["explanation"] for c in ranked.components)


@pytest.mark.parametrize("case", list(load("ranking")))
def test_ranking_orders_by_points_then_the_earlier_application(case):
    rule = priority.rule_on(case["service"], case["on"])
    applicants = [{**one, "received_at": dt.datetime.fromisoformat(one["received_at"])} for one in case["applicants"]]
    assert [one["number"] for one, _ in rule.rank(applicants, case["on"])] == case["order"]


def test_every_service_bounded_by_a_budget_year_or_stock_has_a_dated_rule_stating_its_tie_break():
    assert set(priority.BOUNDED) == {"beasiswa-prestasi", "santunan-duka", "rtlh-apbd", "raskin", "kursi-roda"}
    for code in priority.BOUNDED:
        rule = priority.rule_on(code, dt.date(2026, 12, 31))
        assert "lebih dahulu diterima" in rule.ties
        assert priority.by_ref(rule.ref) is rule


def test_weights_are_marked_as_assumptions_and_sum_to_one_hundred():
    for rules in priority.RULES.values():
        for rule in rules:
            assert p.is_assumption(rule.source)
            assert sum(component.weight for component in rule.components) == 100


def test_no_rule_is_in_force_before_its_start_date():
    assert priority.rule_on("raskin", dt.date(2025, 12, 31)) is None
    assert priority.rule_on("klinik-saraswati", dt.date(2026, 6, 1)) is None


def test_an_unreadable_ipk_gives_no_points_and_says_so():
    rule = priority.rule_on("beasiswa-prestasi", dt.date(2026, 7, 1))
    ranked = rule.score({"ipk": "tiga"}, rule.bind(dt.date(2026, 7, 1)))
    assert ranked.components[0]["points"] == "0.00"
    assert "tidak terbaca" in ranked.components[0]["explanation"]


@pytest.mark.parametrize("case", list(load("case")))
def test_each_component_reads_only_the_facts_it_declares(case):
    """A ranking scores a component once per distinct value of the facts it declares: any other
    fact must not change its points or explanation."""
    rule = priority.rule_on(case["service"], case["on"])
    params = rule.bind(case["on"])
    for component in rule.components:
        declared = {name: case["facts"][name] for name in component.reads if name in case["facts"]}
        assert component(declared, params) == component(case["facts"], params), component.name


def test_a_ranking_gives_each_applicant_the_points_and_explanations_of_scoring_them_alone():
    on = dt.date(2026, 7, 1)
    rule = priority.rule_on("santunan-duka", on)
    heads = ["1960-07-01", "1960-07-02", "1966-07-01", "1966-07-02", "1990-01-01", None]  # 66, 65, 60, 59, 36, none
    applicants = [
        {
            "number": f"A{i}",
            "received_at": dt.datetime(2026, 6, 1, 8, i),
            "facts": {
                "poverty_method": "dtsen",
                "desil": 1 + i % 3,
                "household_size": 2 + i % 4,
                "head_sex": "PL"[i % 2],
                "head_birth_date": born,
            },
        }  # fmt: skip
        for i, born in enumerate(heads * 3)
    ]
    params = rule.bind(on)
    for one, ranked in rule.rank(applicants, on):
        alone = rule.score(one["facts"], params)
        assert (ranked.points, ranked.components) == (alone.points, alone.components)
        assert json.loads(ranked.encoded) == ranked.components
