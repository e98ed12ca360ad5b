"""The fast path for new households writes exactly what the general path writes."""

import re

from django.db import transaction

from satupintu.audit.models import AuditLog
from satupintu.demo.sample import sample_rows
from satupintu.registry.models import Household, KKNumber, Membership, Person, PovertyAssessment
from tests.conftest import KEDEN, TROBAYAN

from .helpers import imported

HOUSEHOLD = ["kk_number", "desa_id", "address", "rt", "rw", "floor_area_m2", "floor_type", "wall_type", "toilet",
             "electricity", "water_source", "cooking_fuel", "ownership", "head__nik", "head__name"]  # fmt: skip
PERSON = ["nik", "name", "sex", "birth_place", "birth_date", "relationship", "marital_status", "education",
          "occupation", "disability", "school_status", "health_insurance", "phone", "household__kk_number"]  # fmt: skip
COUNTERS = ["total_rows", "valid_rows", "households_created", "households_updated", "people_created",
            "people_updated", "unchanged_rows", "imported_groups", "progress_done"]  # fmt: skip


def batch_free(reason: str) -> str:
    return re.sub(r"IMP-\d+", "IMP", reason)


def ordered(rows) -> list:
    return sorted(rows, key=repr)


def registry(batch) -> dict:
    """Everything the import wrote, without ids, times and the batch's number."""
    kk = dict(Household.objects.values_list("id", "kk_number"))
    person = {pk: (nik, name, str(born)) for pk, nik, name, born in Person.objects.values_list(
        "id", "nik", "name", "birth_date")}  # fmt: skip

    def rows(queryset, *fields):
        return ordered(queryset.values_list(*fields))

    def audit(row):
        action, kind, object_id, household, changes, reason = row
        target = kk[int(object_id)] if kind == "registry.household" else person[int(object_id)]
        return action, kind, target, kk.get(household), changes, batch_free(reason)

    return {
        "households": rows(Household.objects, *HOUSEHOLD),
        "people": rows(Person.objects, *PERSON),
        "memberships": ordered(
            (person[p], kk[h], rel, str(start), str(end), batch_free(reason))
            for p, h, rel, start, end, reason in Membership.objects.values_list(
                "person_id", "household_id", "relationship", "start", "end", "reason"
            )
        ),
        "kk_history": ordered(
            (kk[h], number, str(start), str(end), batch_free(reason))
            for h, number, start, end, reason in KKNumber.objects.values_list(
                "household_id", "number", "valid_from", "valid_to", "reason"
            )
        ),
        "assessments": ordered(
            (kk[h], *rest)
            for h, *rest in PovertyAssessment.objects.values_list(
                "household_id",
                "method",
                "desil",
                "answers",
                "score",
                "result",
                "source",
                "assessed_on",
                "is_valid",
                "invalidated_reason",
            )
        ),
        "audit": ordered(
            audit(row)
            for row in AuditLog.objects.values_list(
                "action", "object_type", "object_id", "household_id", "changes", "reason"
            )
        ),
        "counters": [getattr(batch, name) for name in COUNTERS],
    }


def registry_after(files, *, fast_path: bool, first_load: bool = True) -> dict:
    """Import the files one after the other (the last one by the path under test), then roll back."""
    with transaction.atomic():
        for rows in files[:-1]:
            imported(rows, fuzzy=False)
        result = registry(imported(files[-1], fuzzy=False, fast_path=fast_path, first_load=first_load))
        transaction.set_rollback(True)
    return result


def test_the_fast_path_writes_the_same_registry_as_the_general_path(regions):
    rows = list(sample_rows(12, desa_codes=[KEDEN, TROBAYAN]))
    assert any(not row["nik"] for row in rows)  # people without NIK take the same way
    fast, general = registry_after([rows], fast_path=True), registry_after([rows], fast_path=False)
    assert fast == general
    assert len(fast["households"]) == 12 and len(fast["people"]) == len(rows)
    assert all(household[-2] for household in fast["households"])  # every household has its head


def test_new_and_existing_households_in_one_file_give_the_same_registry_either_way(regions, settings):
    settings.IMPORT_CHUNK_HOUSEHOLDS = 4  # chunks mixing existing and new households
    rows = list(sample_rows(10, desa_codes=[KEDEN]))
    first_kks = {row["no_kk"] for row in rows[:12]}
    earlier = [row for row in rows if row["no_kk"] in first_kks]
    changed = [{**row, "pekerjaan": "Buruh tani"} if row["no_kk"] in first_kks else row for row in rows]
    fast = registry_after([earlier, changed], fast_path=True)
    general = registry_after([earlier, changed], fast_path=False)
    assert fast == general
    assert fast["counters"][2] == 10 - len(first_kks)  # households created by the second file
    assert fast["counters"][5] > 0  # people updated in the households that existed
