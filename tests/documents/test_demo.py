import datetime as dt

from django.core.management import call_command

from satupintu.documents.models import IssuedDocument, Kind
from satupintu.registry import actions as registry
from tests.conftest import KEDEN


def test_demo_documents_are_issued_once_for_poor_households(
    kepala, keden_household, trobayan_household, pupil, agencies
):
    for household in (keden_household, trobayan_household):
        registry.assessment_record(
            actor=kepala, household=household, method="dtsen", desil=1, assessed_on=dt.date(2026, 1, 5)
        )
    call_command("demo_documents", desa=KEDEN, households=5)
    kinds = sorted(IssuedDocument.objects.values_list("kind", flat=True))
    assert kinds == sorted([Kind.SARASWATI, Kind.SINTAWATI, Kind.LETTER])
    assert IssuedDocument.objects.get(kind=Kind.SARASWATI).tier == "melati"
    assert not IssuedDocument.objects.filter(household=trobayan_household).exists()
    call_command("demo_documents", desa=KEDEN, households=5)
    assert IssuedDocument.objects.count() == 3
