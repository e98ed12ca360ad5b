"""Writes to the registry. Each is one transaction and leaves an audit row with actor and time."""

import datetime as dt
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from satupintu.audit import log
from satupintu.lib import versioned_cache

from . import choices as c
from . import fields
from .models import Household, KKNumber, Membership, Person, PovertyAssessment
from .poverty import classify_bps14, classify_desil
from .selectors import COUNTS
from .validation import kk_errors

# What an audit row's changes and a subject export list: every declared fact, by database column.
HOUSEHOLD_FIELDS = fields.columns(fields.HOUSEHOLD_FIELDS)
PERSON_FIELDS = fields.columns(fields.PERSON_FIELDS)


@contextmanager
def _kk_number_free(number: str, *, household_pk=None):
    """Refuse a KK number taken since the caller checked it, as the check itself refuses it.

    Two requests with the same new number both pass the form's or serializer's check; the loser's
    write then breaks the unique index. In a savepoint, so the caller's transaction stays usable.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        errors = kk_errors(number, exclude_household_pk=household_pk)
        if not errors:
            raise
        raise ValidationError({"kk_number": errors}) from None


@transaction.atomic
def household_create(*, actor, data: dict, kk_valid_from: dt.date | None = None) -> Household:
    """Raises ValidationError on `kk_number` when another household took the number meanwhile."""
    with _kk_number_free(data["kk_number"]):
        household = Household.objects.create(**data)
    KKNumber.objects.create(
        household=household,
        number=household.kk_number,
        valid_from=kk_valid_from or timezone.localdate(),
        reason="Pendaftaran",
    )
    log.record(
        actor=actor,
        action=log.Action.CREATE,
        instance=household,
        household_id=household.pk,
        changes={k: [None, v] for k, v in log.snapshot(household, HOUSEHOLD_FIELDS).items()},
    )
    counts_changed()
    return household


def counts_changed() -> None:
    """The kept counts of households per area (selectors.household_count) are counted again, once
    the current transaction has committed. A cache that cannot be written fails no write: the error
    is logged and the counts are renewed at the latest after HOME_SUMMARY_SECONDS."""
    transaction.on_commit(lambda: versioned_cache.changed(COUNTS), robust=True)


@transaction.atomic
def household_update(*, actor, household: Household, data: dict, reason: str = "") -> Household:
    """Raises ValidationError on `kk_number` when another household took the new number meanwhile."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    before = log.snapshot(household, HOUSEHOLD_FIELDS)
    new_kk = data.get("kk_number")
    for key, value in data.items():
        setattr(household, key, value)
    with _kk_number_free(household.kk_number, household_pk=household.pk):
        household.save()
    if new_kk and new_kk != before["kk_number"]:
        today = timezone.localdate()
        KKNumber.objects.filter(household=household, valid_to__isnull=True).update(valid_to=today)
        KKNumber.objects.create(household=household, number=new_kk, valid_from=today, reason=reason or "Perubahan KK")
    changes = log.diff(before, log.snapshot(household, HOUSEHOLD_FIELDS))
    if "desa_id" in changes:
        counts_changed()
    if changes:
        log.record(
            actor=actor,
            action=log.Action.UPDATE,
            instance=household,
            household_id=household.pk,
            changes=changes,
            reason=reason,
        )
    return household


@transaction.atomic
def person_add(*, actor, household: Household, data: dict) -> Person:
    household = Household.objects.select_for_update().get(pk=household.pk)
    person = Person.objects.create(household=household, **data)
    Membership.objects.create(
        person=person, household=household, relationship=person.relationship, start=timezone.localdate()
    )
    if person.relationship == c.Relationship.HEAD and household.head_id is None:
        household.head = person
        household.save(update_fields=["head", "updated_at"])
    log.record(
        actor=actor,
        action=log.Action.CREATE,
        instance=person,
        household_id=household.pk,
        changes={k: [None, v] for k, v in log.snapshot(person, PERSON_FIELDS).items()},
    )
    return person


@transaction.atomic
def person_update(*, actor, person: Person, data: dict, reason: str = "") -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = log.snapshot(person, PERSON_FIELDS)
    for key, value in data.items():
        setattr(person, key, value)
    person.save()
    if before["relationship"] != person.relationship and person.household_id:
        Membership.objects.filter(person=person, end__isnull=True).update(end=timezone.localdate())
        Membership.objects.create(
            person=person,
            household_id=person.household_id,
            relationship=person.relationship,
            start=timezone.localdate(),
            reason=reason or "Perubahan hubungan",
        )
    changes = log.diff(before, log.snapshot(person, PERSON_FIELDS))
    if changes:
        log.record(
            actor=actor,
            action=log.Action.UPDATE,
            instance=person,
            household_id=person.household_id,
            changes=changes,
            reason=reason,
        )
    return person


@transaction.atomic
def assessment_record(
    *,
    actor,
    household: Household,
    method: str,
    assessed_on: dt.date,
    desil: int | None = None,
    answers: dict | None = None,
    source: str = "",
    result: str | None = None,
) -> PovertyAssessment:
    """Record an assessment; the result is computed from the inputs for DTSEN and BPS-14."""
    score = None
    if method == c.AssessmentMethod.DTSEN:
        result = classify_desil(desil)
        score = desil
    elif method == c.AssessmentMethod.BPS14:
        score, result = classify_bps14(answers or {})
    elif result not in c.PovertyResult.values:
        raise ValueError("Verifikasi lokal harus menyebut hasilnya.")
    assessment = PovertyAssessment.objects.create(
        household=household,
        method=method,
        desil=desil,
        answers=answers or {},
        score=score,
        result=result,
        assessor=actor if getattr(actor, "is_authenticated", False) else None,
        source=source,
        assessed_on=assessed_on,
    )
    log.record(
        actor=actor,
        action=log.Action.CREATE,
        instance=assessment,
        household_id=household.pk,
        changes={"method": [None, method], "result": [None, result], "score": [None, str(score)]},
    )
    return assessment
