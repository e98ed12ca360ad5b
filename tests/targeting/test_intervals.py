"""Eligibility lines stored as validity intervals: a run writes only what changed."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from satupintu.registry.models import PovertyAssessment
from satupintu.targeting.models import Change, Eligibility, TargetingRun
from satupintu.targeting.rules import PBI_JK, PKH, SARASWATI, SEMBAKO
from satupintu.targeting.run import recompute_hash, run_targeting
from tests.conftest import KEDEN, TROBAYAN, household_in
from tests.targeting.test_run import poor

ON = dt.date(2026, 11, 1)


def assessed(household, desil, day):
    PovertyAssessment.objects.filter(household=household).update(is_valid=False)
    poor(household, desil=desil, on=dt.date(2026, 1, day))


def lines_at(run, household):
    return {(e.service, e.tier) for e in Eligibility.objects.valid_at(run).filter(household=household)}


def changes_of(run):
    return {(ch.service, ch.kind, ch.old_tier, ch.new_tier) for ch in Change.objects.filter(run=run)}


def test_a_line_appears_changes_tier_disappears_and_reappears(regions):
    household = household_in(KEDEN, "Sutrisno")
    other = household_in(TROBAYAN, "Paimin")
    poor(other, desil=3)
    runs = []
    assessed(household, 9, 1)  # not poor, members uninsured: Saraswati Kenanga only
    runs.append(run_targeting(on=ON))
    assessed(household, 5, 2)  # still Kenanga; Sembako and PBI-JK appear
    runs.append(run_targeting(on=ON))
    assessed(household, 2, 3)  # Melati, and PKH
    runs.append(run_targeting(on=ON))
    for person in household.members.all():  # everybody insured and not poor: nothing at all
        person.health_insurance = "askes"
        person.save()
    assessed(household, 9, 4)
    runs.append(run_targeting(on=ON))
    assessed(household, 2, 5)  # poor again: Melati again (askes members are not covered: 0 left?)
    for person in household.members.all():
        person.health_insurance = "tidak_ada"
        person.save()
    runs.append(run_targeting(on=ON))

    expected = [
        {(SARASWATI, "kenanga")},
        {(SARASWATI, "kenanga"), (SEMBAKO, ""), (PBI_JK, "")},
        {(SARASWATI, "melati"), (PKH, ""), (SEMBAKO, ""), (PBI_JK, "")},
        set(),
        {(SARASWATI, "melati"), (PKH, ""), (SEMBAKO, ""), (PBI_JK, "")},
    ]
    assert [lines_at(run, household) for run in runs] == expected
    # The other household's lines never changed: one row each, open since the first run.
    assert set(Eligibility.objects.filter(household=other).values_list("from_run", "until_run")) == {(runs[0].pk, None)}
    assert changes_of(runs[1]) == {(SEMBAKO, "added", "", ""), (PBI_JK, "added", "", "")}
    assert changes_of(runs[2]) == {(SARASWATI, "tier", "kenanga", "melati"), (PKH, "added", "", "")}
    assert changes_of(runs[3]) == {(s, "removed", "", "") for s in (SARASWATI, PKH, SEMBAKO, PBI_JK)}
    assert changes_of(runs[4]) == {(s, "added", "", "") for s in (SARASWATI, PKH, SEMBAKO, PBI_JK)}
    assert [(r.added, r.removed, r.changed) for r in runs[1:]] == [(2, 0, 0), (1, 0, 1), (0, 4, 0), (4, 0, 0)]
    # Every run still reads back with its own lines and hash after the later runs.
    for run in runs:
        run.refresh_from_db()
        assert recompute_hash(run) == run.result_hash
    assert len({run.result_hash for run in runs}) == 4  # runs 3 and 5 have the same lines
    assert runs[4].result_hash == runs[2].result_hash


def test_other_members_reopen_a_line_without_listing_a_change(regions):
    household = household_in(KEDEN, "Sutrisno", members=2)
    poor(household, desil=2)
    first = run_targeting(on=ON)
    household_in(KEDEN, "Tetangga")  # unrelated
    person = household.members.first()
    person.health_insurance = "askes"  # no longer covered by Saraswati: 1 member instead of 2
    person.save()
    second = run_targeting(on=ON)
    old, new = Eligibility.objects.filter(household=household, service=SARASWATI).order_by("id")
    assert (old.members, old.from_run_id, old.until_run_id) == (2, first.pk, second.pk)
    assert (new.members, new.from_run_id, new.until_run_id) == (1, second.pk, None)
    assert not Change.objects.filter(run=second, household=household).exists()
    assert second.result_hash != first.result_hash
    assert recompute_hash(first) == first.result_hash and recompute_hash(second) == second.result_hash


def test_a_run_over_an_unchanged_registry_writes_only_its_run_record(regions):
    for desa in (KEDEN, TROBAYAN):
        poor(household_in(desa), desil=2)
    first = run_targeting(on=ON)
    stored = list(Eligibility.objects.order_by("id").values_list())
    with CaptureQueriesContext(connection) as queries:
        second = run_targeting(on=ON)
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and ("targeting_eligibility" in q["sql"] or "targeting_change" in q["sql"])
    ]
    assert writes == []
    assert list(Eligibility.objects.order_by("id").values_list()) == stored
    assert (second.added, second.removed, second.changed) == (0, 0, 0)
    assert second.result_hash == first.result_hash and second.counts == first.counts
    assert TargetingRun.objects.count() == 2
