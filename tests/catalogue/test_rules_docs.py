"""What docs/core.md and docs/imports.md say about where a rule is defined, checked against the code."""

import re

from satupintu.catalogue.rules.batch import FACT_COLUMNS
from satupintu.catalogue.rules.services import kartu_saraswati
from satupintu.targeting.rules import CATALOGUE_FROM, CATALOGUE_RULES, VERSIONS
from tests.test_doc_facts import ROOT, section


def test_core_md_names_the_fact_columns_and_the_saraswati_tiers_in_their_order():
    rules = section(ROOT / "docs" / "core.md", "## Rules as code")
    columns = re.search(r"`batch.FACT_COLUMNS`: (.*?)\)", rules, flags=re.DOTALL).group(1)
    assert re.findall(r"`(\w+)`", columns) == list(FACT_COLUMNS)
    tiers = re.search(r"its tiers in order\s+\((.*?)\)", rules, flags=re.DOTALL).group(1)
    assert re.findall(r"(\w+) `(\w+)`", tiers) == [(t.title(), check.name) for t, check in kartu_saraswati.tiers]


def test_imports_md_names_the_rule_versions_and_the_catalogue_rules_targeting_runs():
    targeting = section(ROOT / "docs" / "imports.md", "## Batch eligibility (targeting)")
    assert set(re.findall(r"`(upt-pk-[\d.]+)`", targeting)) == set(VERSIONS)
    since = VERSIONS[CATALOGUE_FROM]
    assert f"`{CATALOGUE_FROM}` (runs dated {since.day} {since:%B} {since.year} on)" in " ".join(targeting.split())
    named = re.search(r"`CATALOGUE_RULES` \(([^)]*)\)", targeting).group(1)
    assert re.findall(r"`([a-z-]+)`", named) == [rule.service for rule, _ in CATALOGUE_RULES.values()]
