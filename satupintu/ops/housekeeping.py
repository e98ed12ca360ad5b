"""Housekeeping of the shared cache.

Django's database cache deletes expired entries only when the table outgrows `MAX_ENTRIES`, and
counts the table on every write. The attempt counters of the public pages (one per client address
and per receipt number) expire within the hour, so the `forget-expired-cache` schedule deletes the
expired entries every ten minutes: the table holds live entries only, its count stays cheap, and
`CACHE_MAX_ENTRIES` (the ceiling at which Django starts evicting live entries, the kept public
figures among them) is reached only by a flood of distinct addresses.
"""

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils import timezone


def forget_expired_cache_entries(alias: str = "default") -> int:
    """Delete the cache's expired entries; returns how many (0 when the cache is not in a table)."""
    cache = caches[alias]
    if not isinstance(cache, DatabaseCache):
        return 0
    db = router.db_for_write(cache.cache_model_class)
    connection = connections[db]
    now = timezone.now().replace(microsecond=0)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(cache._table)} WHERE expires < %s",  # noqa: S608
            [connection.ops.adapt_datetimefield_value(now)],
        )
        return max(cursor.rowcount, 0)
