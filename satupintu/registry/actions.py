"""Writes to the registry. Each is one transaction and leaves an audit row with actor and time."""

import datetime as dt
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.audit import log
from satupintu.lib import versioned_cache

from . import choices as c
from . import fields, status
from .models import Death, Household, KKNumber, Membership, Person, PovertyAssessment
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
    status.refresh([household.pk])
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
    was_in = person.household_id
    for key, value in data.items():
        setattr(person, key, value)
    person.save()
    if person.household_id != was_in:
        status.refresh([was_in, person.household_id])
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
    status.refresh([household.pk])
    log.record(
        actor=actor,
        action=log.Action.CREATE,
        instance=assessment,
        household_id=household.pk,
        changes={"method": [None, method], "result": [None, result], "score": [None, str(score)]},
    )
    return assessment


@transaction.atomic
def record_death(
    *,
    actor,
    person: Person,
    died_on: dt.date,
    source: str,
    reference: str = "",
    note: str = "",
    new_head: Person | None = None,
    submission_key=None,
) -> Death:
    """Record that `person` died: their membership closes and they leave the household; when they
    were its head, `new_head` (a remaining member, required when members remain) becomes the head.
    A household left without members keeps no head. Raises ValidationError with the reason when the
    date is in the future or before the birth, the person is already recorded as dead, or the new
    head is missing or not a member. The same `submission_key` again returns the first record."""
    if submission_key and (earlier := Death.objects.filter(submission_key=submission_key).first()):
        return earlier
    household_id = Person.objects.filter(pk=person.pk).values_list("household_id", flat=True).first()
    if household_id is None:
        if Death.objects.filter(person_id=person.pk).exists():
            raise ValidationError(_already_dead(Death.objects.get(person_id=person.pk)))
        raise ValidationError(_("Orang ini tidak tercatat sebagai anggota rumah tangga mana pun."))
    household = Household.objects.select_for_update().get(pk=household_id)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if (earlier := Death.objects.filter(person=person).first()) is not None:
        raise ValidationError(_already_dead(earlier))
    today = timezone.localdate()
    if died_on > today:
        raise ValidationError(_("Tanggal meninggal tidak boleh di masa depan."))
    if died_on < person.birth_date:
        raise ValidationError(
            _("Tanggal meninggal tidak boleh sebelum tanggal lahir (%(born)s).")
            % {"born": f"{person.birth_date:%d-%m-%Y}"}
        )
    others = list(Person.objects.filter(household=household).exclude(pk=person.pk))
    was_head = household.head_id == person.pk
    if new_head is not None and not was_head:
        raise ValidationError(_("Kepala keluarga baru hanya dipilih bila yang meninggal adalah kepala keluarga."))
    if was_head and others and new_head is None:
        raise ValidationError(
            _("Yang meninggal adalah kepala keluarga: pilih kepala keluarga baru dari anggota yang tersisa.")
        )
    if new_head is not None and new_head.pk not in {p.pk for p in others}:
        raise ValidationError(_("Kepala keluarga baru harus anggota rumah tangga yang sama."))
    death = Death.objects.create(
        person=person,
        household=household,
        died_on=died_on,
        source=source,
        reference=reference,
        note=note,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        submission_key=submission_key,
    )
    reason = "Meninggal dunia"
    Membership.objects.filter(person=person, end__isnull=True).update(end=died_on, reason=reason)
    person.household = None
    person.save(update_fields=["household", "updated_at"])
    status.refresh([household.pk])
    head_before = household.head_id
    if was_head:
        household.head = new_head
        if new_head is not None:
            _make_head(new_head, household, today)
        household.save(update_fields=["head", "updated_at"])
    log.record(
        actor=actor,
        action=log.Action.CREATE,
        instance=death,
        household_id=household.pk,
        changes={
            "person_id": [None, person.pk],
            "died_on": [None, died_on.isoformat()],
            "source": [None, source],
            **({"head_id": [head_before, household.head_id]} if was_head else {}),
        },
        reason=reason,
    )
    return death


def _already_dead(death: Death) -> str:
    return _("%(name)s sudah tercatat meninggal pada %(date)s.") % {
        "name": death.person.name,
        "date": f"{death.died_on:%d-%m-%Y}",
    }


def _make_head(person: Person, household: Household, today: dt.date) -> None:
    """The member becomes the head: their relationship changes and a new membership opens."""
    Membership.objects.filter(person=person, end__isnull=True).update(end=today)
    Membership.objects.create(
        person=person,
        household=household,
        relationship=c.Relationship.HEAD,
        start=today,
        reason="Kepala keluarga sebelumnya meninggal",
    )
    Person.objects.filter(pk=person.pk).update(relationship=c.Relationship.HEAD, updated_at=timezone.now())
