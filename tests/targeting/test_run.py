import datetime as dt

from django.urls import reverse

from satupintu.registry import actions
from satupintu.targeting.models import Change, Eligibility, TargetingRun
from satupintu.targeting.rules import PKH, SARASWATI, SINTAWATI
from satupintu.targeting.run import run_targeting
from tests.conftest import KEDEN, TROBAYAN, household_in


def poor(household, desil=2):
    actions.assessment_record(actor=None, household=household, method="dtsen", desil=desil,
                              assessed_on=dt.date(2025, 6, 1), source="DTSEN 2025")  # fmt: skip


def test_a_run_stores_results_with_the_rule_version_and_a_stable_hash(regions):
    household = household_in(KEDEN, "Sutrisno")
    poor(household)
    pupil = household.members.first()
    pupil.school_status = "smp"
    pupil.save()
    first = run_targeting()
    assert first.ruleset_version == "upt-pk-2026.1"
    services = set(Eligibility.objects.filter(run=first).values_list("service", flat=True))
    assert {SARASWATI, PKH, SINTAWATI} <= services
    assert Eligibility.objects.get(run=first, service=SARASWATI).tier == "melati"
    assert first.added == Eligibility.objects.filter(run=first).count()
    second = run_targeting()
    assert second.result_hash == first.result_hash
    assert (second.added, second.removed, second.changed, second.previous) == (0, 0, 0, first)


def test_changes_since_the_previous_run_are_listed(regions):
    household = household_in(KEDEN, "Sutrisno")
    poor(household, desil=5)
    before = run_targeting()
    poor(household, desil=2)  # a newer assessment
    after = run_targeting()
    assert after.result_hash != before.result_hash
    kinds = {(c.service, c.kind) for c in Change.objects.filter(run=after)}
    assert (PKH, Change.Kind.ADDED) in kinds
    assert (SARASWATI, Change.Kind.TIER) in kinds  # kenanga (uninsured) → melati (poor)
    change = Change.objects.get(run=after, service=SARASWATI)
    assert (change.old_tier, change.new_tier) == ("kenanga", "melati")


def test_changes_page_is_scoped_to_the_officers_area(client, regions, operator_keden, django_assert_max_num_queries):
    for desa in (KEDEN, TROBAYAN):
        poor(household_in(desa, "Sutrisno"))
    run = run_targeting()
    client.force_login(operator_keden)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("imports:targeting:run_detail", args=[run.pk]))
    assert {c.household.desa_id for c in response.context["page"]} == {KEDEN}


def test_only_an_approver_starts_a_run(client, regions, operator_keden, kepala):
    client.force_login(operator_keden)
    assert client.post(reverse("imports:targeting:run_start")).status_code == 403
    client.force_login(kepala)
    assert client.post(reverse("imports:targeting:run_start")).status_code == 302
    assert TargetingRun.objects.count() == 1
    assert client.get(reverse("imports:targeting:run_list")).status_code == 200


def test_auditor_cannot_open_targeting_pages(client, regions, auditor):
    client.force_login(auditor)
    assert client.get(reverse("imports:targeting:run_list")).status_code == 403
