"""The facts a priority rule reads, for a whole pile of applications at once, and the ranking.

A few queries in all, whatever the number of applicants: the applications with their desa's
kecamatan, the latest valid poverty assessment of their households, the households' member
counts (all and with a disability) and their heads. The rule then scores each applicant in Python.
"""

import datetime as dt

from django.db.models import Count, Q

from satupintu.cases.models import Application
from satupintu.cases.status import Status
from satupintu.catalogue.rules.priority import PriorityRule
from satupintu.registry.models import Household, Person, PovertyAssessment


def waiting_for_decision(service):
    """The applications of `service` at the decision step that the eligibility rules accepted."""
    return Application.objects.filter(service=service, status=Status.DECISION, rules_result__eligible=True)


def gather(applications) -> list[dict]:
    """Each application of the queryset as {"id", "number", "received_at", "kecamatan_id", "facts"}."""
    rows = list(
        applications.order_by().values("id", "number", "received_at", "household_id", "details", "desa__parent_id")
    )
    households = applications.order_by().values("household_id")
    latest = {}
    assessments = PovertyAssessment.objects.filter(household_id__in=households, is_valid=True)
    for row in assessments.order_by("household_id", "-assessed_on", "-id").values(
        "household_id", "method", "result", "desil", "score"
    ):
        latest.setdefault(row["household_id"], row)
    members = {
        row["household_id"]: row
        for row in Person.objects.filter(household_id__in=households)
        .order_by()
        .values("household_id")
        .annotate(size=Count("id"), disabled=Count("id", filter=~Q(disability__in=["", "tidak_ada"])))
    }
    heads = {
        row["id"]: row
        for row in Household.objects.filter(id__in=households).values("id", "head__sex", "head__birth_date")
    }
    applicants = []
    for row in rows:
        household = row["household_id"]
        assessment, counted, head = latest.get(household), members.get(household, {}), heads.get(household, {})
        facts = {
            "household_size": counted.get("size", 0),
            "disabled_members": counted.get("disabled", 0),
            "head_sex": head.get("head__sex"),
            "head_birth_date": head.get("head__birth_date"),
            "ipk": (row["details"] or {}).get("ipk"),
        }
        if assessment is not None:
            facts.update(
                poverty_method=assessment["method"],
                poverty_result=assessment["result"],
                desil=assessment["desil"],
                bps14_score=assessment["score"] if assessment["method"] == "bps14" else None,
            )
        applicants.append(
            {
                "id": row["id"],
                "number": row["number"],
                "received_at": row["received_at"],
                "kecamatan_id": row["desa__parent_id"],
                "facts": facts,
            }
        )
    return applicants


def rank(rule: PriorityRule, applications, on: dt.date):
    """The applications best first, each with its `Ranked` points and components."""
    return rule.rank(gather(applications), on)
