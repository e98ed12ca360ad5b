"""The scan log of the public verification page, kept small: one row per document (or unknown
code), reader address, status shown and day, counting the openings; and a limit per reader.

The page needs no login, so every row it writes is written by anonymous traffic: a row per opening
would let anyone grow the table as fast as they can send requests. The limit is per client address
(lib/throttle.py, kept in an expiring cache key); the address kept in a row is blanked after
SCAN_ADDRESS_RETENTION_DAYS (retention.py).
"""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from satupintu.lib import throttle
from satupintu.parameters import assumed

from .models import IssuedDocument, Scan

# SATUPINTU_VERIFY_LIMIT openings of the verification page per client address and window: a desk
# checking a pile of papers scans one every few seconds; 60 in 10 minutes is far above that and far
# below a scraper.
VERIFY_LIMIT_SOURCE = assumed("batas pembukaan halaman verifikasi per alamat")


def allowed(request) -> bool:
    """Count this opening; False once the client has opened the page VERIFY_LIMIT times in the window."""
    return throttle.allow(
        "verify",
        request,
        limit=settings.SATUPINTU_VERIFY_LIMIT,
        window=settings.SATUPINTU_VERIFY_WINDOW_SECONDS,
    )


def record_scan(*, document: IssuedDocument | None, status: str, ip_address: str | None, user_agent: str) -> None:
    """Count one opening in today's row of this reader and code, or start that row.

    The count is one UPDATE, a transaction by itself; only the first opening of the day writes a row."""
    today = timezone.localdate()
    same = Scan.objects.filter(document=document, day=today, ip_address=ip_address, status=status)
    if same.update(count=F("count") + 1):
        return
    with transaction.atomic():
        if not same.update(count=F("count") + 1):
            Scan.objects.create(
                document=document, day=today, status=status, ip_address=ip_address, user_agent=user_agent[:200]
            )
