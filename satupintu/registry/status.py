"""A household's current welfare status and size, kept on its row.

`Household.poverty_result`, `poverty_method` and `poverty_desil` are those of the latest valid
assessment (by `assessed_on`, then id); `member_count` is the number of people whose current household
it is. Lists filter and show them without a subquery per row. Every write that changes them calls one
of the two functions below in the transaction of its change: `refresh` for the few households an action touched
(registry actions, case effects, the duplicate merge), `refresh_all` after a set-based write (the
import, the demo generator), which rewrites only the rows whose stored values differ.
`satupintu refresh-household-status` runs `refresh_all` by hand (after a restore or a manual edit)
and says how many rows it corrected.
"""

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Household, Person, PovertyAssessment


def refresh(household_ids) -> None:
    """Recompute the status of these households (ids, or a queryset of ids)."""
    if isinstance(household_ids, list | set | tuple):
        household_ids = [pk for pk in household_ids if pk is not None]
        if not household_ids:
            return
    latest = PovertyAssessment.objects.filter(household=OuterRef("pk"), is_valid=True).order_by("-assessed_on", "-id")
    members = Person.objects.filter(household=OuterRef("pk")).values("household").annotate(n=Count("pk")).values("n")
    Household.objects.filter(pk__in=household_ids).update(
        poverty_result=Subquery(latest.values("result")[:1]),
        poverty_method=Subquery(latest.values("method")[:1]),
        poverty_desil=Subquery(latest.values("desil")[:1]),
        member_count=Coalesce(Subquery(members, output_field=IntegerField()), Value(0)),
    )


# One statement over the whole registry: the latest valid assessment per household by a window
# function, the member counts by one GROUP BY, and only the rows whose values differ rewritten.
REFRESH_ALL = """
UPDATE registry_household
SET member_count = fresh.member_count, poverty_result = fresh.result,
    poverty_method = fresh.method, poverty_desil = fresh.desil
FROM (
    SELECT h.id, COALESCE(m.n, 0) AS member_count, l.result, l.method, l.desil
    FROM registry_household h
    LEFT JOIN (
        SELECT household_id, COUNT(*) AS n FROM registry_person WHERE household_id IS NOT NULL GROUP BY household_id
    ) m ON m.household_id = h.id
    LEFT JOIN (
        SELECT household_id, result, method, desil FROM (
            SELECT household_id, result, method, desil,
                   ROW_NUMBER() OVER (PARTITION BY household_id ORDER BY assessed_on DESC, id DESC) AS position
            FROM registry_povertyassessment WHERE is_valid
        ) ranked WHERE position = 1
    ) l ON l.household_id = h.id
) AS fresh
WHERE registry_household.id = fresh.id AND (
    registry_household.member_count <> fresh.member_count
    OR registry_household.poverty_result {differs} fresh.result
    OR registry_household.poverty_method {differs} fresh.method
    OR registry_household.poverty_desil {differs} fresh.desil
)
"""


def refresh_all(using=None) -> int:
    """Recompute every household's status set-based; the number of rows that were out of date."""
    from django.db import connections

    db = connections[using] if using else connection
    differs = "IS DISTINCT FROM" if db.vendor == "postgresql" else "IS NOT"
    with db.cursor() as cursor:
        cursor.execute(REFRESH_ALL.format(differs=differs))
        return max(cursor.rowcount, 0)
