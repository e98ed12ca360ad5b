"""Writes on the duplicate review queue: merge or dismiss a pair, with audit rows."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from satupintu.audit import log
from satupintu.registry import status
from satupintu.registry.actions import PERSON_FIELDS
from satupintu.registry.models import Household, Membership, Person

from .models import DuplicatePair, PairStatus


def _carry_open_pairs(actor, decided: DuplicatePair, gone: Person, kept: Person) -> None:
    """Other open pairs of the merged-away person now ask about the kept person; a pair that would
    repeat an existing one (or pair the kept person with itself) is closed, naming this decision."""
    others = (
        DuplicatePair.objects.select_for_update()
        .filter(Q(person_a=gone) | Q(person_b=gone), status=PairStatus.OPEN)
        .exclude(pk=decided.pk)
    )
    for other_pair in others:
        third = other_pair.person_b_id if other_pair.person_a_id == gone.pk else other_pair.person_a_id
        a, b = sorted((kept.pk, third))
        before = {"person_a": other_pair.person_a_id, "person_b": other_pair.person_b_id}
        desa = dict(Person.objects.filter(pk__in=(a, b)).values_list("pk", "household__desa_id"))
        detached = desa.get(a) is None or desa.get(b) is None  # a person merged away earlier
        reason = f"Pasangan #{decided.pk} digabung"
        if third == kept.pk or detached or DuplicatePair.objects.filter(person_a_id=a, person_b_id=b).exists():
            note = f"Ditutup: #{gone.pk} sudah digabung ke #{kept.pk} (pasangan #{decided.pk})."
            _close(other_pair, actor=actor, status=PairStatus.MERGED, note=note, reason=reason)
            continue
        other_pair.person_a_id, other_pair.person_b_id = a, b
        other_pair.desa_a_id, other_pair.desa_b_id = desa[a], desa[b]
        other_pair.save(update_fields=["person_a", "person_b", "desa_a", "desa_b"])
        changes = {field: [old, getattr(other_pair, f"{field}_id")] for field, old in before.items()}
        log.record(actor=actor, action=log.Action.UPDATE, instance=other_pair, changes=changes, reason=reason)


def _hand_over(actor, gone: Person, kept: Person, reason: str) -> None:
    """The merged-away person's applications and issued documents now belong to the kept person."""
    from satupintu.cases.models import Application
    from satupintu.documents.models import IssuedDocument

    for model, field in ((Application, "applicant"), (IssuedDocument, "person")):
        rows = list(model.objects.select_for_update().filter(**{field: gone}).only("pk", "household_id"))
        for row in rows:
            log.record(
                actor=actor,
                action=log.Action.UPDATE,
                instance=row,
                household_id=row.household_id,
                changes={field: [gone.pk, kept.pk]},
                reason=reason,
            )
        model.objects.filter(pk__in=[row.pk for row in rows]).update(**{field: kept})


class PairClosed(Exception):
    pass


def _close(pair: DuplicatePair, *, actor, status: str, note: str, reason: str, changes=None) -> None:
    """Record the decision on an open pair, with its audit row."""
    pair.status, pair.decided_by, pair.decided_at, pair.note = status, actor, timezone.now(), note[:250]
    pair.save(update_fields=["status", "decided_by", "decided_at", "note"])
    log.record(
        actor=actor,
        action=log.Action.UPDATE,
        instance=pair,
        changes={"status": [PairStatus.OPEN, status], **(changes or {})},
        reason=reason,
    )


def _locked_open_pair(pair: DuplicatePair) -> DuplicatePair:
    pair = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
    if pair.status != PairStatus.OPEN:
        raise PairClosed
    return pair


@transaction.atomic
def pair_dismiss(*, actor, pair: DuplicatePair, note: str = "") -> DuplicatePair:
    pair = _locked_open_pair(pair)
    _close(pair, actor=actor, status=PairStatus.DISMISSED, note=note, reason=note[:250])
    return pair


@transaction.atomic
def pair_merge(*, actor, pair: DuplicatePair, keep: Person, note: str = "") -> DuplicatePair:
    """Keep one person; the other leaves its household (membership closed) and hands over its NIK,
    its applications and the documents issued to it.

    Nothing is deleted: the removed record stays, detached, with its history and audit trail. Each
    application or document that changes hands gets an audit row naming both people; the
    application keeps the household it was decided for and a document keeps the name it printed.
    """
    pair = _locked_open_pair(pair)
    ids = sorted({pair.person_a_id, pair.person_b_id})
    people = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=ids)}
    kept, gone = people[keep.pk], people[ids[0] if keep.pk == ids[1] else ids[1]]
    before_kept, before_gone = log.snapshot(kept, PERSON_FIELDS), log.snapshot(gone, PERSON_FIELDS)
    reason = f"Digabung dengan #{kept.pk}: {note}"[:200]
    nik = gone.nik
    household_id = gone.household_id
    Membership.objects.filter(person=gone, end__isnull=True).update(end=timezone.localdate(), reason=reason)
    Household.objects.filter(pk=household_id, head=gone).update(head=None)
    gone.household, gone.nik = None, None
    gone.save(update_fields=["household", "nik", "updated_at"])
    status.refresh([household_id])
    if not kept.nik and nik:
        kept.nik = nik
        kept.save(update_fields=["nik", "updated_at"])
    _hand_over(actor, gone, kept, reason)
    _carry_open_pairs(actor, pair, gone, kept)
    for person, before, hid in ((kept, before_kept, kept.household_id), (gone, before_gone, household_id)):
        changes = log.diff(before, log.snapshot(person, PERSON_FIELDS))
        log.record(
            actor=actor, action=log.Action.UPDATE, instance=person, household_id=hid, changes=changes, reason=reason
        )
    _close(pair, actor=actor, status=PairStatus.MERGED, note=note, reason=note[:250], changes={"kept": [None, kept.pk]})
    return pair
