"""Retention of the verification page's scan log (UU 27/2022: keep personal data no longer than needed).

A scan keeps its time, its document and the status shown for good: the counts tell an officer how
often a paper was checked, and a burst of scans of a revoked letter is worth investigating. The
reader's IP address and browser string are personal data needed only for such a recent
investigation, so they are blanked after `SCAN_ADDRESS_RETENTION_DAYS`.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from satupintu.audit.models import Action, AuditLog

from .models import Scan

CHUNK = 5000


def forget_scan_addresses(*, now: dt.datetime | None = None) -> int:
    """Blank the address and browser of scans older than the retention period; returns how many.

    Works in chunks of ids, one transaction each, so a large backlog never holds a long lock; safe
    to run again (a blanked scan is not selected twice) and from several workers at once.
    """
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.SCAN_ADDRESS_RETENTION_DAYS)
    stale = Scan.objects.filter(at__lt=cutoff).exclude(ip_address__isnull=True, user_agent="")
    total = 0
    while ids := list(stale.order_by("id").values_list("id", flat=True)[:CHUNK]):
        with transaction.atomic():
            total += Scan.objects.filter(id__in=ids).update(ip_address=None, user_agent="")
    if total:
        AuditLog.objects.create(
            actor=None,
            action=Action.UPDATE,
            object_type="documents.scan",
            object_id="",
            changes={"scans_blanked": total, "scanned_before": cutoff.isoformat()},
            reason=f"Retensi {settings.SCAN_ADDRESS_RETENTION_DAYS} hari: alamat IP dan peramban pemindai dihapus",
        )
    return total
