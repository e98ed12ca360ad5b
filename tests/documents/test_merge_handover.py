"""A duplicate merged away hands its issued cards to the person kept; the card's printed name stays."""

from satupintu.audit.models import AuditLog
from satupintu.documents import actions
from satupintu.imports.actions import pair_merge
from satupintu.imports.models import DuplicatePair
from satupintu.registry.models import Person
from tests.conftest import KEDEN, household_in


def test_a_merged_away_pupils_card_moves_to_the_kept_record(kepala, keden_household, pupil):
    card = actions.document_issue_card(actor=kepala, kind="sintawati", household=keden_household, person=pupil)
    twin_record = household_in(KEDEN, "Dewi Lestary").members.get(relationship="kepala")
    Person.objects.filter(pk=twin_record.pk).update(nik=None)
    pair = DuplicatePair.objects.create(person_a=pupil, person_b=twin_record, desa_a_id=KEDEN, desa_b_id=KEDEN,
                                        score=90, level="possible", reasons=["nama beda satu huruf"])  # fmt: skip
    pair_merge(actor=kepala, pair=pair, keep=twin_record, note="data ganda")
    card.refresh_from_db()
    assert card.person_id == twin_record.pk and card.subject_name == "Dewi Lestari"
    moved = AuditLog.objects.get(object_type="documents.issueddocument", object_id=str(card.pk), action="update")
    assert moved.changes == {"person": [pupil.pk, twin_record.pk]}
