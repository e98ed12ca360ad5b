"""A fixed-window limit per client for the public forms. The client address is only hashed into a
cache key that expires with the window; it is never written to the database.

Unlike the rest of `lib`, this module uses Django's cache: the count must be shared by every worker,
and the public forms of cases, complaints and survey all need it, so it belongs below all of them."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(scope: str, request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:24]
    return f"satupintu:{scope}:{digest}"


def allow(scope: str, request) -> bool:
    """Count this attempt; False once the limit for the window is exceeded."""
    key = _key(scope, request)
    window = settings.SATUPINTU_TRACK_WINDOW_SECONDS
    if cache.add(key, 1, window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, window)
        return True
    return count <= settings.SATUPINTU_TRACK_LIMIT
