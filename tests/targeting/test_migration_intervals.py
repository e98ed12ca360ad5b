"""Migration 0004: the per-run copies of the eligibility lines become validity intervals."""

import datetime as dt
import hashlib
import importlib
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from satupintu.targeting.models import Eligibility, TargetingRun
from satupintu.targeting.rules import ruleset_for
from satupintu.targeting.run import recompute_hash, run_targeting
from tests.conftest import KEDEN, household_in
from tests.targeting.test_run import poor

migration = importlib.import_module("satupintu.targeting.migrations.0004_eligibility_intervals")
BEFORE = [("targeting", "0003_eligibility_stable_keys")]
AFTER = [("targeting", "0004_eligibility_intervals")]
ON = dt.date(2026, 11, 1)


def test_build_intervals_joins_consecutive_runs_with_the_same_line():
    a, b = ("h1", None, "pkh"), ("h2", None, "pkh")
    runs = [
        (1, {a: ("melati",), b: ("",)}),
        (2, {a: ("melati",)}),  # b gone
        (3, {a: ("menur",), b: ("",)}),  # a another tier, b back
        (4, {}),  # an empty run closes everything
        (5, {b: ("",)}),
    ]
    assert sorted(migration.build_intervals(runs), key=lambda i: (i[0], i[2])) == [
        (a, ("melati",), 1, 3),
        (a, ("menur",), 3, 4),
        (b, ("",), 1, 2),
        (b, ("",), 3, 4),
        (b, ("",), 5, None),
    ]


def test_per_run_lines_gives_every_run_even_without_rows():
    rows = [(1, "h", None, "s", "kk", "", "", 2, "r"), (3, "h", None, "s", "kk", "", "", 3, "r")]
    assert list(migration.per_run_lines([1, 2, 3], rows)) == [
        (1, {("h", None, "s"): ("kk", "", "", 2, "r")}),
        (2, {}),
        (3, {("h", None, "s"): ("kk", "", "", 3, "r")}),
    ]


def v1_hash(parameters_header: str, lines: list[str]) -> str:
    """Hash definition 1, as runs before intervals recorded it: the lines sorted, one a line."""
    text = parameters_header + "".join(f"\n{line}" for line in sorted(lines))
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_existing_runs_become_intervals_and_keep_their_checkable_hash(regions):
    rising, other = household_in(KEDEN, "Sutrisno"), household_in(KEDEN, "Paimin")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    Run, OldLine = old_apps.get_model("targeting", "TargetingRun"), old_apps.get_model("targeting", "Eligibility")
    rules = ruleset_for(ON)
    header = rules.version + json.dumps(rules.plain_parameters(), sort_keys=True)
    # Three runs as the old code stored them: `rising` Kenanga, then Melati, and gone in the third.
    per_run = [
        {(rising.pk, "kartu-saraswati"): "kenanga", (other.pk, "pkh"): ""},
        {(rising.pk, "kartu-saraswati"): "melati", (other.pk, "pkh"): ""},
        {(other.pk, "pkh"): ""},
    ]
    runs = []
    for lines in per_run:
        text = [f"{service}|KK{household}||{tier}|2" for (household, service), tier in lines.items()]
        run = Run.objects.create(ruleset_version=rules.version, parameters=rules.recorded_parameters(),
                                 result_hash=v1_hash(header, text))  # fmt: skip
        OldLine.objects.bulk_create(
            OldLine(
                run=run,
                service=service,
                household_id=household,
                kk_number=f"KK{household}",
                tier=tier,
                members=2,
                reason="uji",
            )  # fmt: skip
            for (household, service), tier in lines.items()
        )
        runs.append(run.pk)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    assert Eligibility.objects.count() == 3  # other's PKH once; rising Kenanga, then Melati
    for run_id, lines in zip(runs, per_run, strict=True):
        stored = Eligibility.objects.valid_at(run_id)
        assert {(e.household_id, e.service): e.tier for e in stored} == lines
        run = TargetingRun.objects.get(pk=run_id)
        assert (run.hash_version, run.line_sum) == (1, "")
        assert recompute_hash(run) == run.result_hash  # definition 1 still checkable from intervals
    # The next run continues from the intervals: its line sum computed once from the last run's rows.
    poor(other, desil=2)
    after = run_targeting(on=ON)
    assert after.hash_version == 2 and recompute_hash(after) == after.result_hash
    assert Eligibility.objects.filter(until_run=None).count() == Eligibility.objects.valid_at(after).count()

    # Backwards: a full copy per run again, each run with exactly its lines; and forwards once more.
    lines_at = {
        run.pk: set(Eligibility.objects.valid_at(run).values_list("household_id", "service", "tier", "members"))
        for run in TargetingRun.objects.all()
    }
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    OldLine = executor.loader.project_state(BEFORE).apps.get_model("targeting", "Eligibility")
    for run_id, lines in lines_at.items():
        assert (
            set(OldLine.objects.filter(run_id=run_id).values_list("household_id", "service", "tier", "members"))
            == lines
        )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    for run_id, lines in lines_at.items():
        assert (
            set(Eligibility.objects.valid_at(run_id).values_list("household_id", "service", "tier", "members")) == lines
        )
