import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from satupintu.cases.facts import facts_for
from satupintu.catalogue.rules import evaluate
from satupintu.ops.models import Job
from satupintu.parameters.models import ParameterValue
from satupintu.registry import actions
from satupintu.registry.choices import BPS14_CRITERIA
from satupintu.targeting import tasks
from satupintu.targeting.models import Change, Eligibility, TargetingRun
from satupintu.targeting.rules import PBI_JK, PKH, SARASWATI, SEMBAKO, SINTAWATI, ruleset_for
from satupintu.targeting.run import run_targeting
from tests.conftest import KEDEN, TROBAYAN, household_in
from tests.ops.queue import run_queue


def poor(household, desil=2, on=dt.date(2025, 6, 1)):
    actions.assessment_record(actor=None, household=household, method="dtsen", desil=desil,
                              assessed_on=on, source="DTSEN 2025")  # fmt: skip


def test_a_run_stores_results_with_the_rule_version_and_a_stable_hash(regions):
    household = household_in(KEDEN, "Sutrisno")
    poor(household)
    pupil = household.members.first()
    pupil.school_status = "smp"
    pupil.save()
    first = run_targeting()
    assert first.ruleset_version == ruleset_for(timezone.localdate()).version
    services = set(Eligibility.objects.valid_at(first).values_list("service", flat=True))
    assert {SARASWATI, PKH, SINTAWATI} <= services
    assert Eligibility.objects.valid_at(first).get(service=SARASWATI).tier == "melati"
    assert first.added == Eligibility.objects.valid_at(first).count()
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


def test_a_run_lists_who_was_added_removed_or_changed_tier(regions):
    rising, falling = household_in(KEDEN, "Sutrisno"), household_in(KEDEN, "Paimin")
    poor(rising, desil=5)  # Kenanga (members uninsured), Sembako, PBI-JK
    poor(falling, desil=2)  # Melati, PKH, Sembako, PBI-JK, and its pupil a Sintawati card
    pupil = falling.members.first()
    pupil.school_status = "sd"
    pupil.save()
    before = run_targeting()
    later = dt.date(2026, 2, 1)
    poor(rising, desil=2, on=later)
    poor(falling, desil=9, on=later)
    after = run_targeting()
    changes = {(ch.household_id, ch.person_id, ch.service, ch.kind, ch.old_tier, ch.new_tier)
               for ch in Change.objects.filter(run=after)}  # fmt: skip
    assert changes == {
        (rising.pk, None, SARASWATI, Change.Kind.TIER, "kenanga", "melati"),
        (rising.pk, None, PKH, Change.Kind.ADDED, "", ""),
        (falling.pk, None, SARASWATI, Change.Kind.TIER, "melati", "kenanga"),
        (falling.pk, None, PKH, Change.Kind.REMOVED, "", ""),
        (falling.pk, None, SEMBAKO, Change.Kind.REMOVED, "", ""),
        (falling.pk, None, PBI_JK, Change.Kind.REMOVED, "", ""),
        (falling.pk, pupil.pk, SINTAWATI, Change.Kind.REMOVED, "", ""),
    }
    assert (after.added, after.removed, after.changed, after.previous) == (1, 4, 2, before)


def test_a_parameter_changed_in_the_catalogue_applies_to_runs_from_its_date(regions):
    poor(household_in(KEDEN, "Sutrisno"), desil=5)
    ParameterValue.objects.create(name="pkh_desil_max", value=5, valid_from=dt.date(2027, 1, 1),
                                  legal_source="Keputusan Bupati (uji)")  # fmt: skip
    before = run_targeting(on=dt.date(2026, 12, 31))
    assert not Eligibility.objects.valid_at(before).filter(service=PKH).exists()
    assert before.parameters["pkh_desil_max"]["value"] == 4
    after = run_targeting(on=dt.date(2027, 1, 4))
    assert Eligibility.objects.valid_at(after).get(service=PKH).reason == "desil DTSEN 5 ≤ 5"
    assert after.parameters["pkh_desil_max"] == {
        "value": 5,
        "valid_from": "2027-01-01",
        "source": "Keputusan Bupati (uji)",
    }
    assert after.ruleset_version == before.ruleset_version
    assert (after.added, after.result_hash != before.result_hash) == (1, True)


def test_run_pages_take_a_fixed_number_of_queries(client, regions, kepala, django_assert_max_num_queries):
    poor(household_in(KEDEN, "Sutrisno"))
    for _ in range(3):
        run = run_targeting()
    client.force_login(kepala)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("targeting:run_list")).status_code == 200
    with django_assert_max_num_queries(10):
        response = client.get(reverse("targeting:run_detail", args=[run.pk]))
    page = response.content.decode()
    assert "pkh_desil_max" in page and "askes, bpjs_mandiri" in page and "Inpres 4/2025" in page


def test_changes_page_is_scoped_to_the_officers_area(client, regions, operator_keden, django_assert_max_num_queries):
    for desa in (KEDEN, TROBAYAN):
        poor(household_in(desa, "Sutrisno"))
    run = run_targeting()
    client.force_login(operator_keden)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("targeting:run_detail", args=[run.pk]))
    assert {c.household.desa_id for c in response.context["page"]} == {KEDEN}


def test_only_an_approver_starts_a_run_which_runs_on_the_task_queue(
    client, regions, operator_keden, kepala, django_capture_on_commit_callbacks
):
    client.force_login(operator_keden)
    assert client.post(reverse("targeting:run_start")).status_code == 403
    client.force_login(kepala)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("targeting:run_start"))
    assert response.status_code == 302 and response["Location"] == reverse("targeting:run_list")
    assert not TargetingRun.objects.exists() and len(queued) == 1  # the page does not wait for the run
    job = Job.objects.get(kind=Job.Kind.TARGETING)
    page = client.get(reverse("targeting:run_list")).content.decode()
    assert "Dalam antrean" in page and reverse("ops:job", args=[job.pk]) in page
    queued[0]()
    assert TargetingRun.objects.get().actor == kepala
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.attempts == 1
    page = client.get(reverse("targeting:run_list")).content.decode()
    assert "Dalam antrean" not in page and reverse("ops:job", args=[job.pk]) not in page


def test_a_run_that_keeps_failing_is_retried_then_the_list_shows_its_reason(
    client, regions, kepala, monkeypatch, settings, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    settings.JOB_TASK_ATTEMPTS = 2
    calls = []

    def crash(*, actor):
        calls.append(actor)
        raise RuntimeError("tabel sementara penuh")

    monkeypatch.setattr(tasks, "run_targeting", crash)
    client.force_login(kepala)
    failures = run_queue(django_capture_on_commit_callbacks, lambda: client.post(reverse("targeting:run_start")))
    assert len(failures) == 2 and calls == [kepala, kepala] and not TargetingRun.objects.exists()
    job = Job.objects.get()
    assert job.state == Job.State.FAILED and job.message == "Gagal setelah 2 percobaan: tabel sementara penuh"
    with django_assert_max_num_queries(8):
        page = client.get(reverse("targeting:run_list")).content.decode()
    assert "Gagal" in page and "Gagal setelah 2 percobaan: tabel sementara penuh" in page


def test_auditor_cannot_open_targeting_pages(client, regions, auditor):
    client.force_login(auditor)
    assert client.get(reverse("targeting:run_list")).status_code == 403


def test_the_first_run_lists_its_lines_as_new_without_a_change_row_each(
    client, regions, operator_keden, django_assert_max_num_queries
):
    """Against nothing, every line is new: the run's own lines are that list (no copy in Change)."""
    for desa in (KEDEN, TROBAYAN):
        poor(household_in(desa, "Sutrisno"))
    first = run_targeting()
    assert not Change.objects.filter(run=first).exists()
    assert first.added == Eligibility.objects.filter(from_run=first).count() > 0
    client.force_login(operator_keden)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("targeting:run_detail", args=[first.pk]))
    page = response.content.decode()
    assert "Penetapan pertama" in page and "baru layak" in page and "melati" in page
    shown = list(response.context["page"])
    assert shown and {line.household.desa_id for line in shown} == {KEDEN}
    # The next run compares with it and lists only what changed.
    poor(household_in(KEDEN, "Paimin"))
    second = run_targeting()
    assert Change.objects.filter(run=second).count() == second.added > 0
    response = client.get(reverse("targeting:run_detail", args=[second.pk]))
    assert "Perubahan di wilayah Anda" in response.content.decode()


def test_a_first_run_into_an_empty_table_leaves_its_index_as_declared(regions):
    from django.db import connection

    from satupintu.lib.bulk import secondary_indexes

    if connection.vendor != "postgresql":
        pytest.skip("the index is built after the rows on PostgreSQL only")
    with connection.cursor() as cursor:
        before = secondary_indexes(cursor, ["targeting_eligibility"])
    poor(household_in(KEDEN, "Sutrisno"))
    run_targeting()
    with connection.cursor() as cursor:
        assert secondary_indexes(cursor, ["targeting_eligibility"]) == before != []


def test_from_rule_version_2026_2_a_civil_servant_is_not_covered_by_a_saraswati_card(regions):
    """The catalogue's Saraswati rule excludes PNS/TNI/Polri; the batch run follows it from 2026.2
    (occupation as written, as a word), and runs under 2026.1 keep what that version said."""
    family = household_in(KEDEN, "Sutrisno")  # poor: head and spouse
    poor(family)
    family.members.filter(relationship="kepala").update(occupation="Guru PNS", health_insurance="tidak_ada")
    alone = household_in(TROBAYAN, "Paimin", members=1)  # poor, and its only member is a policeman
    poor(alone)
    alone.members.update(occupation="Anggota Polri")
    neighbour = household_in(KEDEN, "Tenis", members=1)  # not poor, uninsured; "Tenisan" is no "TNI"
    poor(neighbour, desil=8)
    neighbour.members.update(occupation="Pengrajin Tenisan", health_insurance="tidak_ada")

    def saraswati(on):
        run = run_targeting(on=on)
        lines = Eligibility.objects.valid_at(run).filter(service=SARASWATI)
        return run, {line.household_id: (line.tier, line.members) for line in lines}

    old_run, old = saraswati(dt.date(2026, 11, 27))
    assert old_run.ruleset_version == "upt-pk-2026.1"
    assert old == {family.pk: ("melati", 2), alone.pk: ("melati", 1), neighbour.pk: ("kenanga", 1)}
    assert "saraswati_excluded_occupations" not in old_run.parameters
    new_run, new = saraswati(dt.date(2026, 11, 28))
    assert new_run.ruleset_version == "upt-pk-2026.2"
    assert new == {family.pk: ("melati", 1), neighbour.pk: ("kenanga", 1)}
    assert new_run.parameters["saraswati_excluded_occupations"]["value"] == ["PNS", "ASN", "TNI", "POLRI", "POLISI"]
    assert new_run.removed == 1  # the policeman's household; the family's card now covers one member


def test_from_rule_version_2026_3_a_household_card_is_the_catalogue_rule_on_each_member(regions):
    """From 2026.3 the batch asks the catalogue's Kartu Saraswati rule about every member, with the
    facts the intake reads: a BPS-14 checklist is the unit's own verification (Menur, not Melati),
    and the latest valid assessment of any method decides. Runs under 2026.2 keep their lines."""
    checklist = household_in(KEDEN, "Sutrisno")  # poor by the unit's BPS-14 checklist, 10 of 14
    actions.assessment_record(actor=None, household=checklist, method="bps14", assessed_on=dt.date(2025, 6, 1),
                              answers=dict.fromkeys(list(BPS14_CRITERIA)[:10], True))  # fmt: skip
    verified = household_in(TROBAYAN, "Paimin")  # poor in DTSEN, later verified not poor by the unit
    poor(verified, desil=2)
    actions.assessment_record(actor=None, household=verified, method="verifikasi_lokal",
                              assessed_on=dt.date(2025, 9, 1), result="tidak_miskin")  # fmt: skip

    def saraswati(on):
        run = run_targeting(on=on)
        lines = Eligibility.objects.valid_at(run).filter(service=SARASWATI)
        return run, {line.household_id: (line.tier, line.members, line.reason) for line in lines}

    old_run, old = saraswati(dt.date(2026, 11, 30))
    assert old_run.ruleset_version == "upt-pk-2026.2"
    assert {household: line[:2] for household, line in old.items()} == {checklist.pk: ("melati", 2),
                                                                         verified.pk: ("melati", 2)}  # fmt: skip
    new_run, new = saraswati(dt.date(2026, 12, 1))
    assert new_run.ruleset_version == "upt-pk-2026.3"
    assert set(new_run.parameters) == set(old_run.parameters)  # the catalogue rules read the same ones
    assert new == {
        checklist.pk: ("menur", 2, "Tingkat Menur: miskin menurut verifikasi UPT-PK."),
        verified.pk: ("kenanga", 2, "Tingkat Kenanga: tidak miskin, tetapi tanpa jaminan kesehatan."),
    }
    for household in (checklist, verified):
        member = household.members.first()
        facts = facts_for(SimpleNamespace(applicant=member, household_id=household.pk, details={},
                                          received_at=timezone.now()))  # fmt: skip
        assert evaluate("kartu-saraswati", facts, dt.date(2026, 12, 1)).tier == new[household.pk][0]
    tiers = {(c.household_id, c.old_tier, c.new_tier) for c in Change.objects.filter(run=new_run, service=SARASWATI)}
    assert tiers == {(checklist.pk, "melati", "menur"), (verified.pk, "melati", "kenanga")}
    assert Eligibility.objects.valid_at(old_run).get(household=checklist, service=SARASWATI).tier == "melati"
    assert (PKH, verified.pk) in set(Eligibility.objects.valid_at(new_run).values_list("service", "household_id"))
