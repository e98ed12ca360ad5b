"""What the public verification page reads and writes: the document's facts, a limit per reader,
and the scan log, kept small: one row per document (or unknown code), reader address, status shown
and day, counting the openings.

The page needs no login, so every row it writes is written by anonymous traffic: a row per opening
would let anyone grow the table as fast as they can send requests. The limit is per client address
(lib/throttle.py, kept in an expiring cache key); the address kept in a row is blanked after
SCAN_ADDRESS_RETENTION_DAYS (retention.py).

With the shared cache in Redis (CACHE_URL, as deployed) the page asks the database nothing on a
repeat opening, and Redis once (`_OPEN`: the reader's limit, the facts, the opening counted):

- the document's facts are kept in the cache for FACTS_SECONDS, as JSON the script reads its status
  from, keyed on its token and the catalogue's version (which an edit of the addressed agency
  changes); every save of a document (a revocation, a reissue) writes its new facts there once the
  save is committed, so the page shows a revocation at once;
- the first opening of a reader, code, status and day writes its row in the scan log at once; the
  next ones are counted in Redis and written into that row by the `write-scan-counts` schedule
  every minute. A staff page shows them up to a minute late, and counts not yet written are lost if
  Redis loses its data (a restart without persistence); the row of each reader is never lost.

Without Redis (the demo, the tests' database cache) the facts are read from the database and every
opening is counted in its row at once.
"""

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from satupintu.catalogue import versions
from satupintu.lib import throttle
from satupintu.parameters import assumed

from .models import IssuedDocument, Scan, Status

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
# The statuses in the order `_OPEN` numbers them.
STATUSES = (Status.VALID, Status.EXPIRED, Status.REVOKED)

# An opening in one round trip, when the document's facts are kept. KEYS: 1 the reader's count
# (lib/throttle.py's), 2 the facts, 3 the tallies, 4-6 the reader's mark of the day for each status
# of STATUSES. ARGV: 1 the window's seconds, 2 the limit, 3 today, 4 the marks' seconds, 5-7 each
# status's tally field after the document's id. Returns {0}: refused; {1}: allowed, no facts kept;
# {1, facts, 1}: the reader's first opening of the day in this status (its row is the caller's to
# write); {1, facts, 0}: a repeat, tallied. The status is the one `IssuedDocument.status_on` gives.
_OPEN = """
redis.call('SET', KEYS[1], 0, 'NX', 'EX', ARGV[1])
if redis.call('INCR', KEYS[1]) > tonumber(ARGV[2]) then return {0} end
local facts = redis.call('GET', KEYS[2])
if not facts then return {1} end
local f = cjson.decode(facts)
local i = 1
if f.revoked_at ~= cjson.null then i = 3
elseif f.valid_until ~= cjson.null and f.valid_until < ARGV[3] then i = 2 end
if redis.call('SET', KEYS[3 + i], 1, 'NX', 'EX', ARGV[4]) then return {1, facts, 1} end
redis.call('HINCRBY', KEYS[3], f.pk .. ARGV[4 + i], 1)
return {1, facts, 0}
"""


def batched() -> bool:
    """True with the shared cache in Redis (lib/redis_cache.py): facts kept, repeat openings tallied."""
    return hasattr(cache, "first_or_tally")


def _facts_key(token: str) -> str:
    return f"satupintu:verify-facts:{versions.version()}:{token}"


def _read(token: str) -> str | None:
    """The document's facts as the cache keeps them (JSON), or None for an unknown code."""
    row = IssuedDocument.objects.filter(token=token).values_list("pk", *VERIFY_FIELDS, "addressee__name").first()
    if row is None:
        return None
    pk, *values, addressee = row
    facts = {"pk": pk, **dict(zip(VERIFY_FIELDS, values, strict=True)), "addressee": addressee}
    return json.dumps({name: v.isoformat() if isinstance(v, dt.date) else v for name, v in facts.items()})


def _document(token: str, text: str) -> tuple[IssuedDocument, str | None]:
    facts = json.loads(text)
    for name in ("issued_on", "valid_until"):
        facts[name] = facts[name] and dt.date.fromisoformat(facts[name])
    facts["revoked_at"] = facts["revoked_at"] and dt.datetime.fromisoformat(facts["revoked_at"])
    addressee = facts.pop("addressee")
    return IssuedDocument(token=token, **facts), addressee


def _mark(token: str, day: dt.date, ip_address: str | None, status: str) -> str:
    """The key marking a reader's first opening of a code in a day and status (an unknown code: '')."""
    seen = f"{token}|{day.isoformat()}|{ip_address or ''}|{status}"
    return "satupintu:scan-seen:" + hashlib.sha256(seen.encode()).hexdigest()[:32]


def open_and_count(request, token: str) -> tuple[bool, IssuedDocument | None, str | None, str]:
    """One opening of the verification page: counted against the reader's limit, the document found
    by its token, the opening counted in the scan log. (allowed, the document with the fields the
    page shows or None, the addressed agency's name or None, its status today or ''). A refused
    opening finds and counts nothing."""
    limit, window = settings.SATUPINTU_VERIFY_LIMIT, settings.SATUPINTU_VERIFY_WINDOW_SECONDS
    today, ip_address = timezone.localdate(), request.META.get("REMOTE_ADDR") or None
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    if batched():
        key = _facts_key(token)
        after = f"|{today.isoformat()}|{ip_address or ''}|"
        marks = [_mark(token, today, ip_address, s) for s in STATUSES]
        keys = [throttle.address_key("verify", request), key, TALLIES, *marks]
        args = [window, limit, today.isoformat(), SEEN_SECONDS, *(after + s for s in STATUSES)]
        answer = cache.run_script(_OPEN, keys, args)
        if not answer[0]:
            return False, None, None, ""
        if len(answer) > 1:
            document, addressee = _document(token, answer[1].decode())
            status = document.status_on(today)
            if answer[2]:
                _count(document.pk, today, ip_address, status, user_agent, 1)
            return True, document, addressee, status
        text = _read(token)
        if text is not None:
            cache.set_text(key, text, FACTS_SECONDS, only_new=True)  # a save's own facts, written meanwhile, win
    else:
        if not throttle.allow("verify", request, limit=limit, window=window):
            return False, None, None, ""
        text = _read(token)
    document, addressee = _document(token, text) if text is not None else (None, None)
    status = document.status_on(today) if document else ""
    record_scan(document=document, status=status or "unknown", ip_address=ip_address, user_agent=user_agent)
    return True, document, addressee, status


def _refresh_facts(token: str) -> None:
    text = _read(token)
    if text is None:
        cache.delete(_facts_key(token))
    else:
        cache.set_text(_facts_key(token), text, FACTS_SECONDS)


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
        seen = _mark(document.token if document else "", today, ip_address, status)
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
