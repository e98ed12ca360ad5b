"""Demo documents, so the staff pages and the verification page have something to show before the
case workflow issues real ones. Run after `demo-setup`: `satupintu demo-documents`."""

from satupintu.accounts.models import Role, User
from satupintu.documents import actions
from satupintu.documents.models import Kind, Tier
from satupintu.registry.choices import AssessmentMethod, PovertyResult, SchoolStatus
from satupintu.registry.models import Household

PUPILS = {SchoolStatus.SD, SchoolStatus.SMP, SchoolStatus.SMA}


def issue_demo_documents(*, desa_code: str, limit: int) -> int:
    """Cards and a Jamkesda letter for the poor households of one desa that have none yet."""
    actor = User.objects.filter(role=Role.KEPALA, is_active=True).order_by("pk").first()
    if actor is None:
        raise actions.DocumentError("Buat akun kepala terlebih dahulu (demo-setup).")
    households = Household.objects.filter(
        desa_id=desa_code, poverty_result=PovertyResult.POOR, head__isnull=False, documents__isnull=True
    ).order_by("id")[:limit]
    count = 0
    for household in households:
        tier = Tier.MELATI if household.poverty_method == AssessmentMethod.DTSEN else Tier.MENUR
        try:
            actions.document_issue_card(actor=actor, kind=Kind.SARASWATI, household=household, tier=tier)
            count += 1
        except actions.DocumentError:
            pass  # every member has other insurance or is PNS/TNI/Polri: no card covers anyone
        for pupil in household.members.filter(school_status__in=PUPILS):
            actions.document_issue_card(actor=actor, kind=Kind.SINTAWATI, household=household, person=pupil)
            count += 1
        actions.document_issue_letter(actor=actor, service_code="rujukan-jamkesda", subject_household=household)
        count += 1
    return count
