"""Batch eligibility: every household's facts read set-based, every rule applied, results written
with COPY, the differences from the previous run listed, and a hash of the result stored.

Reads are three aggregate queries (households with member counts, latest valid assessments,
pupils); nothing is fetched per household. The hash covers the rule version, its parameters and
every result line in a fixed order, so the same registry and rules always give the same hash.
"""

import hashlib
import json
import time

from django.db import transaction
from django.db.models import Count, IntegerField, Q, Sum
from django.db.models.functions import Cast
from django.utils import timezone

from satupintu.lib.bulk import bulk_insert
from satupintu.registry import choices as c
from satupintu.registry.models import Person, PovertyAssessment

from .models import Change, Eligibility, TargetingRun
from .rules import SINTAWATI, Facts, RuleSet, ruleset_for

RESULT_COLUMNS = ["run_id", "service", "household_id", "person_id", "tier", "members", "reason"]
CHANGE_COLUMNS = ["run_id", "service", "household_id", "person_id", "kind", "old_tier", "new_tier"]


def _latest_assessments() -> dict[int, dict[str, tuple]]:
    """household → method → (desil, result) of the latest valid assessment of that method."""
    latest: dict[int, dict[str, tuple]] = {}
    rows = (
        PovertyAssessment.objects.filter(is_valid=True)
        .order_by("household_id", "method", "-assessed_on", "-id")
        .values_list("household_id", "method", "desil", "result")
    )
    for household_id, method, desil, result in rows.iterator(chunk_size=50000):
        methods = latest.setdefault(household_id, {})
        if method not in methods:
            methods[method] = (desil, result)
    return latest


def gather_facts(rules: RuleSet) -> dict[int, Facts]:
    excluded = rules.value("saraswati_excluded_insurance")
    counts = (
        Person.objects.filter(household__isnull=False)
        .values("household_id")
        .annotate(
            members=Count("id"),
            uninsured=Sum(Cast(Q(health_insurance=c.HealthInsurance.NONE), IntegerField())),
            excluded=Sum(Cast(Q(health_insurance__in=excluded), IntegerField())),
        )
        .order_by()
        .values_list("household_id", "members", "uninsured", "excluded")
    )
    assessments = _latest_assessments()
    facts = {}
    for household_id, members, uninsured, excluded_n in counts.iterator(chunk_size=50000):
        methods = assessments.get(household_id, {})
        dtsen = methods.get(c.AssessmentMethod.DTSEN)
        facts[household_id] = Facts(
            desil=dtsen[0] if dtsen else None,
            bps14_poor=methods.get(c.AssessmentMethod.BPS14, (None, None))[1] == c.PovertyResult.POOR,
            local_poor=methods.get(c.AssessmentMethod.LOCAL, (None, None))[1] == c.PovertyResult.POOR,
            members=members,
            uninsured=uninsured or 0,
            excluded=excluded_n or 0,
        )
    return facts


def evaluate(rules: RuleSet, facts: dict[int, Facts]) -> list[tuple]:
    """Result lines (service, household, person or None, tier, members, reason), sorted."""
    lines = []
    for household_id, f in facts.items():
        for service, decision in rules.household_decisions(f).items():
            lines.append((service, household_id, None, decision.tier, decision.members, decision.reason))
    pupils = Person.objects.filter(
        household__isnull=False, school_status__in=rules.value("sintawati_school_levels")
    ).values_list("id", "household_id", "school_status")
    for person_id, household_id, school in pupils.iterator(chunk_size=50000):
        f = facts.get(household_id)
        decision = f and rules.sintawati_pupil(f, school)
        if decision:
            lines.append((SINTAWATI, household_id, person_id, decision.tier, decision.members, decision.reason))
    lines.sort(key=lambda line: (line[0], line[1], line[2] or 0))
    return lines


def result_hash(rules: RuleSet, lines: list[tuple]) -> str:
    digest = hashlib.sha256()
    digest.update(rules.version.encode())
    digest.update(json.dumps(rules.plain_parameters(), sort_keys=True).encode())
    for service, household_id, person_id, tier, members, _reason in lines:
        digest.update(f"\n{service}|{household_id}|{person_id or ''}|{tier}|{members}".encode())
    return digest.hexdigest()


def _previous_results(run: TargetingRun | None) -> dict[tuple, str]:
    if run is None:
        return {}
    rows = Eligibility.objects.filter(run=run).values_list("service", "household_id", "person_id", "tier")
    return {(s, h, p): tier for s, h, p, tier in rows.iterator(chunk_size=50000)}


def diff(previous: dict[tuple, str], lines: list[tuple]) -> list[tuple]:
    """(service, household, person, kind, old tier, new tier) for everything that changed."""
    current = {(s, h, p): tier for s, h, p, tier, _m, _r in lines}
    changes = []
    for key, tier in current.items():
        if key not in previous:
            changes.append((*key, Change.Kind.ADDED, "", tier))
        elif previous[key] != tier:
            changes.append((*key, Change.Kind.TIER, previous[key], tier))
    changes.extend((*key, Change.Kind.REMOVED, tier, "") for key, tier in previous.items() if key not in current)
    changes.sort(key=lambda change: (change[0], change[1], change[2] or 0))
    return changes


def run_targeting(*, actor=None, on=None) -> TargetingRun:
    started = time.perf_counter()
    rules = ruleset_for(on or timezone.localdate())
    facts = gather_facts(rules)
    lines = evaluate(rules, facts)
    previous = TargetingRun.objects.order_by("-started_at", "-id").first()
    changes = diff(_previous_results(previous), lines)
    counts: dict[str, int] = {}
    for line in lines:
        counts[line[0]] = counts.get(line[0], 0) + 1
    with transaction.atomic():
        run = TargetingRun.objects.create(
            ruleset_version=rules.version,
            parameters=rules.plain_parameters(),
            households=len(facts),
            counts=counts,
            result_hash=result_hash(rules, lines),
            previous=previous,
            added=sum(1 for ch in changes if ch[3] == Change.Kind.ADDED),
            removed=sum(1 for ch in changes if ch[3] == Change.Kind.REMOVED),
            changed=sum(1 for ch in changes if ch[3] == Change.Kind.TIER),
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        bulk_insert(Eligibility, RESULT_COLUMNS, [(run.pk, *line) for line in lines])
        bulk_insert(Change, CHANGE_COLUMNS, [(run.pk, *change) for change in changes])
        TargetingRun.objects.filter(pk=run.pk).update(seconds=time.perf_counter() - started)
    run.refresh_from_db()
    return run
