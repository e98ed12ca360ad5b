"""Fixed-window limits for the public pages: per client address, or per value (a receipt number).
The address or value is only hashed into a cache key that expires with the window; it is never
written to the database.

Unlike the rest of `lib`, this module uses Django's cache: the count must be shared by every worker,
and the public pages of cases, complaints, survey and documents all need it, so it belongs below all
of them."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _digest(value: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:24]


def _key(scope: str, value: str) -> str:
    return f"satupintu:{scope}:{_digest(value)}"


def _count(key: str, window: int) -> int:
    """Count one more attempt under `key` in a window of `window` seconds; the count so far."""
    if hasattr(cache, "count_in_window"):  # the Redis cache (lib/redis_cache.py): one atomic round trip
        return cache.count_in_window(key, window)
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def allow(scope: str, request, *, limit: int | None = None, window: int | None = None) -> bool:
    """Count this attempt of the client; False once `limit` (SATUPINTU_TRACK_LIMIT) is exceeded in
    the window (SATUPINTU_TRACK_WINDOW_SECONDS)."""
    return allow_value(
        scope,
        request.META.get("REMOTE_ADDR", ""),
        limit=limit or settings.SATUPINTU_TRACK_LIMIT,
        window=window or settings.SATUPINTU_TRACK_WINDOW_SECONDS,
    )


def address_key(scope: str, request) -> str:
    """The cache key under which `allow(scope, request)` counts the client's attempts, for a caller
    that counts them in its own round trip (documents/scans.py): a value starting at 0 when the window
    opens, with the window's expiry, one more per attempt, as `count_in_window` keeps it."""
    return _key(scope, request.META.get("REMOTE_ADDR", ""))


def allow_value(scope: str, value: str, *, limit: int, window: int) -> bool:
    """Count this attempt on `value` (whoever makes it); False once `limit` is exceeded in the window."""
    return _count(_key(scope, value), window) <= limit
