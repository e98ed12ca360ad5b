"""What the public verification page reads and writes: the document's facts, a limit per reader,
and the scan log, kept small: one row per document (or unknown code), reader address, status shown
and day, counting the openings.

The page needs no login, so every row it writes is written by anonymous traffic: a row per opening
would let anyone grow the table as fast as they can send requests. The limit is per client address
(lib/throttle.py, kept in an expiring cache key); the address kept in a row is blanked after
SCAN_ADDRESS_RETENTION_DAYS (retention.py).

With the shared cache in Redis (CACHE_URL, as deployed) the page asks the database nothing on a
repeat opening:

- the document's facts are kept in the cache for FACTS_SECONDS, keyed on its token and the
  catalogue's version (which an edit of the addressed agency changes); every save of a document
  (a revocation, a reissue) writes its new facts there once the save is committed, so the page
  shows a revocation at once;
- the first opening of a reader, code, status and day writes its row in the scan log at once; the
  next ones are counted in Redis and written into that row by the `write-scan-counts` schedule
  every minute. A staff page shows them up to a minute late, and counts not yet written are lost if
  Redis loses its data (a restart without persistence); the row of each reader is never lost.

Without Redis (the demo, the tests' database cache) the facts are read from the database and every
opening is counted in its row at once.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from satupintu.catalogue import versions
from satupintu.lib import throttle
from satupintu.parameters import assumed

from .models import IssuedDocument, Scan

# SATUPINTU_VERIFY_LIMIT openings of the verification page per client address and window: a desk
# checking a pile of papers scans one every few seconds; 60 in 10 minutes is far above that and far
# below a scraper.
VERIFY_LIMIT_SOURCE = assumed("batas pembukaan halaman verifikasi per alamat")

# What the verification page shows of a document (and its status is read from).
VERIFY_FIELDS = ("title", "number", "issued_on", "valid_until", "subject_name", "revoked_at", "revoke_reason")
# How long a document's facts stay in the cache unread by a save; a save replaces them at once.
FACTS_SECONDS = 600
# How long Redis remembers that a reader has opened a code today (past the day's end).
SEEN_SECONDS = 2 * 24 * 3600
TALLIES = "satupintu:scan-tallies"


def batched() -> bool:
    """True with the shared cache in Redis (lib/redis_cache.py): facts kept, repeat openings tallied."""
    return hasattr(cache, "first_or_tally")


def _facts_key(token: str) -> str:
    return f"satupintu:verify:{versions.version()}:{token}"


def _read(token: str) -> tuple | None:
    return IssuedDocument.objects.filter(token=token).values_list("pk", *VERIFY_FIELDS, "addressee__name").first()


def open_document(request, token: str) -> tuple[bool, IssuedDocument | None, str | None]:
    """Count this opening against the reader's limit and find the document by its token:
    (allowed, the document with the fields the page shows or None, the addressed agency's name or None).
    A refused opening finds nothing."""
    limit, window = settings.SATUPINTU_VERIFY_LIMIT, settings.SATUPINTU_VERIFY_WINDOW_SECONDS
    if batched():
        key = _facts_key(token)
        allowed, row = throttle.allow_and_get("verify", request, limit=limit, window=window, key=key)
        if allowed and row is None:
            row = _read(token)
            if row is not None:
                cache.add(key, row, FACTS_SECONDS)  # a save's own facts, written meanwhile, win
    else:
        allowed = throttle.allow("verify", request, limit=limit, window=window)
        row = _read(token) if allowed else None
    if not allowed or row is None:
        return allowed, None, None
    pk, *values, addressee = row
    return True, IssuedDocument(pk=pk, token=token, **dict(zip(VERIFY_FIELDS, values, strict=True))), addressee


def _refresh_facts(token: str) -> None:
    row = _read(token)
    if row is None:
        cache.delete(_facts_key(token))
    else:
        cache.set(_facts_key(token), row, FACTS_SECONDS)


def _document_saved(sender, instance, **kwargs) -> None:
    if batched() and instance.token:
        transaction.on_commit(lambda: _refresh_facts(instance.token))


post_save.connect(_document_saved, sender=IssuedDocument, dispatch_uid="verify-facts-saved")
post_delete.connect(_document_saved, sender=IssuedDocument, dispatch_uid="verify-facts-deleted")


def record_scan(*, document: IssuedDocument | None, status: str, ip_address: str | None, user_agent: str) -> None:
    """Count one opening in today's row of this reader and code, or start that row; with Redis, a
    repeat opening is counted there and written by `write_scan_counts`."""
    today = timezone.localdate()
    document_id = document.pk if document else None
    if batched():
        field = f"{document_id or ''}|{today.isoformat()}|{ip_address or ''}|{status}"
        seen = "satupintu:scan-seen:" + hashlib.sha256(field.encode()).hexdigest()[:32]
        if not cache.first_or_tally(seen, SEEN_SECONDS, TALLIES, field):
            return
    _count(document_id, today, ip_address, status, user_agent, 1)


def _count(document_id: int | None, day: dt.date, ip_address: str | None, status: str, user_agent: str, n: int):
    """Add `n` openings to the row of this reader, code, status and day, or start it with `n`; the
    count is one UPDATE, a transaction by itself when no row is to be made."""
    same = Scan.objects.filter(document_id=document_id, day=day, ip_address=ip_address, status=status)
    if same.update(count=F("count") + n):
        return
    with transaction.atomic():
        if not same.update(count=F("count") + n):
            Scan.objects.create(
                document_id=document_id, day=day, status=status, ip_address=ip_address, user_agent=user_agent[:200],
                count=n,
            )  # fmt: skip


def write_scan_counts() -> int:
    """Write the repeat openings counted in Redis into their rows of the scan log, in one
    transaction; the number of openings written. If the write fails, the counts go back to Redis
    for the next run. Without Redis there is nothing to write."""
    if not batched():
        return 0
    counts = cache.take_tallies(TALLIES)
    if not counts:
        return 0
    try:
        parsed = []
        for field, n in counts.items():
            document, day, ip_address, status = field.split("|")
            document_id = int(document) if document else None
            parsed.append((document_id, dt.date.fromisoformat(day), ip_address or None, status, n))
        documents = {row[0] for row in parsed if row[0] is not None}
        kept = set(IssuedDocument.objects.filter(pk__in=documents).values_list("pk", flat=True))
        written = 0
        with transaction.atomic():
            for document_id, day, ip_address, status, n in parsed:
                if document_id is None or document_id in kept:  # a deleted document's scans went with it
                    _count(document_id, day, ip_address, status, "", n)
                    written += n
    except Exception:
        cache.add_tallies(TALLIES, counts)
        raise
    return written
