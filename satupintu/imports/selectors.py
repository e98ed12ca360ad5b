"""Reads for the import pages; every one starts from the user's area."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from satupintu.accounts.scoping import NOTHING, area_q

from .models import DuplicatePair, ImportBatch, PairStatus


def batches_for(user):
    """A batch is visible to users whose area covers the uploader's area (unit-wide staff: all)."""
    scope = area_q(user, "")
    if scope == NOTHING:
        return ImportBatch.objects.none()
    if scope == Q():
        return ImportBatch.objects.all()
    # Bound users: batches uploaded within their area (their own desa, or a desa of their kecamatan).
    return ImportBatch.objects.filter(area_q(user, "region") | Q(region=user.region))


def batch_for_user(user, pk) -> ImportBatch:
    return get_object_or_404(batches_for(user), pk=pk)


def same_file_batches(user, batch: ImportBatch, limit: int = 5):
    """Other batches the user may see with the same file (SHA-256), newest first: importing a file
    again adds nothing, but writes its values back over corrections made in the registry since."""
    return list(
        batches_for(user).filter(sha256=batch.sha256).exclude(pk=batch.pk).order_by("-created_at", "-id")[:limit]
    )


def pairs_for(user, status: str = PairStatus.OPEN):
    """Pairs whose two people are both inside the user's area."""
    return (
        DuplicatePair.objects.filter(area_q(user, "desa_a"), area_q(user, "desa_b"), status=status)
        .select_related("person_a__household", "person_b__household", "desa_a", "desa_b", "decided_by")
        .order_by("-score", "id")
    )


def pair_for_user(user, pk) -> DuplicatePair:
    return get_object_or_404(
        DuplicatePair.objects.filter(area_q(user, "desa_a"), area_q(user, "desa_b")).select_related(
            "person_a__household", "person_b__household"
        ),
        pk=pk,
    )
