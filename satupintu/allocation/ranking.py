"""The facts a priority rule reads, for a whole pile of applications at once, and the ranking.

Three queries in all, whatever the number of applicants: the applications with their desa's
kecamatan, their household's head and the IPK of their details; the latest valid poverty
assessment of their households; the households' member counts (all and with a disability). The
rule then scores each applicant in Python.
"""

import datetime as dt

from django.db.models import Count, Q
from django.db.models.fields.json import KeyTextTransform

from satupintu.cases.models import Application
from satupintu.cases.status import Status
from satupintu.catalogue.rules.priority import PriorityRule
from satupintu.registry.models import Person, PovertyAssessment


def waiting_for_decision(service):
    """The applications of `service` at the decision step that the eligibility rules accepted."""
    return Application.objects.filter(service=service, status=Status.DECISION, rules_result__eligible=True)


def gather(applications) -> list[dict]:
    """Each application of the queryset as {"id", "number", "received_at", "kecamatan_id", "facts"}."""
    rows = applications.order_by().values_list(
        "id",
        "number",
        "received_at",
        "household_id",
        KeyTextTransform("ipk", "details"),
        "desa__parent_id",
        "household__head__sex",
        "household__head__birth_date",
    )
    households = applications.order_by().values("household_id")
    latest = {}  # household → (method, result, desil, score) of its latest valid assessment
    assessments = PovertyAssessment.objects.filter(household_id__in=households, is_valid=True)
    for household, *assessment in assessments.order_by("household_id", "-assessed_on", "-id").values_list(
        "household_id", "method", "result", "desil", "score"
    ):
        latest.setdefault(household, assessment)
    members = {
        household: (size, disabled)
        for household, size, disabled in Person.objects.filter(household_id__in=households)
        .order_by()
        .values("household_id")
        .annotate(size=Count("id"), disabled=Count("id", filter=~Q(disability__in=["", "tidak_ada"])))
        .values_list("household_id", "size", "disabled")
    }
    applicants = []
    for pk, number, received_at, household, ipk, kecamatan, sex, born in rows:
        size, disabled = members.get(household, (0, 0))
        facts = {
            "household_size": size,
            "disabled_members": disabled,
            "head_sex": sex,
            "head_birth_date": born,
            "ipk": ipk,
        }
        if (assessment := latest.get(household)) is not None:
            method, result, desil, score = assessment
            facts.update(
                poverty_method=method,
                poverty_result=result,
                desil=desil,
                bps14_score=score if method == "bps14" else None,
            )
        applicants.append(
            {"id": pk, "number": number, "received_at": received_at, "kecamatan_id": kecamatan, "facts": facts}
        )
    return applicants


def rank(rule: PriorityRule, applications, on: dt.date):
    """The applications best first, each with its `Ranked` points and components."""
    return rule.rank(gather(applications), on)
