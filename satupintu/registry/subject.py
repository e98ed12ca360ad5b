"""A data subject's record under UU PDP: their data and who processed it (access right, art. 32)."""

from django.db.models import Q
from django.utils import timezone

from satupintu.audit.log import snapshot
from satupintu.audit.models import AuditLog

from .actions import HOUSEHOLD_FIELDS, PERSON_FIELDS
from .models import Person


def subject_record(person: Person) -> dict:
    """Everything the registry holds about a person, and every recorded processing of it."""
    household = person.household
    processing = AuditLog.objects.filter(
        Q(object_type="registry.person", object_id=str(person.pk))
        | Q(household_id=person.household_id, object_type__in=["registry.household", "registry.povertyassessment"])
    ).select_related("actor")
    return {
        "dibuat_pada": timezone.now().isoformat(),
        "orang": snapshot(person, PERSON_FIELDS),
        "rumah_tangga": snapshot(household, HOUSEHOLD_FIELDS) if household else None,
        "riwayat_keanggotaan": [
            {
                "rumah_tangga": m.household_id,
                "hubungan": m.relationship,
                "mulai": m.start.isoformat(),
                "selesai": m.end.isoformat() if m.end else None,
                "alasan": m.reason,
            }
            for m in person.memberships.all()
        ],
        "penilaian_kemiskinan": [
            {
                "metode": a.method,
                "desil": a.desil,
                "skor": str(a.score) if a.score is not None else None,
                "hasil": a.result,
                "tanggal": a.assessed_on.isoformat(),
                "berlaku": a.is_valid,
                "sumber": a.source,
            }
            for a in (household.assessments.all() if household else [])
        ],
        "catatan_pemrosesan": [
            {
                "waktu": e.at.isoformat(),
                "pelaku": e.actor.get_username() if e.actor else "sistem",
                "tindakan": e.action,
                "objek": f"{e.object_type}#{e.object_id}",
                "perubahan": e.changes,
                "alasan": e.reason,
            }
            for e in processing
        ],
    }
