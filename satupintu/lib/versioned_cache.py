"""Values that change only when someone edits their source, kept in Django's cache (shared by
every worker) under a version: editing the source sets a new version, and every value built from
the old one is no longer read (it expires by itself).

    cached("catalogue", "charter", build, "id", "2026-12-03")   # build() once per version and parts
    changed("catalogue")                                         # after an edit of its source
"""

import datetime as dt
import time
import uuid
from collections.abc import Callable, Hashable

from django.core.cache import cache
from django.utils import timezone

DAY = 24 * 3600


# A worker reads a namespace's version from the shared cache at most this often (seconds): an edit
# made through another worker is seen by this one that much later at most; through this worker, at once.
VERSION_SECONDS = 1.0
_versions: dict[str, tuple[float, str]] = {}


def version(namespace: str) -> str:
    now = time.monotonic()
    hit = _versions.get(namespace)
    if hit is not None and hit[0] > now:
        return hit[1]
    key = f"{namespace}:version"
    current = cache.get(key)
    if current is None:
        cache.add(key, uuid.uuid4().hex, None)  # two workers at once: the first one's stands
        current = cache.get(key)
    _versions[namespace] = (now + VERSION_SECONDS, current)
    return current


def changed(namespace: str) -> None:
    current = uuid.uuid4().hex
    cache.set(f"{namespace}:version", current, None)
    _versions[namespace] = (time.monotonic() + VERSION_SECONDS, current)


def forget_local() -> None:
    """Drop what this worker keeps of the shared values (tests: each test has its own database)."""
    _versions.clear()
    _local.clear()
    _counted.clear()


# Values of a version are immutable, so a worker may also keep the ones it read, for a minute: a page
# then asks the shared cache only for the version. Only for values kept a day (the catalogue's and the
# regions'); a value with a shorter life is read from the shared cache each time.
LOCAL_SECONDS = 60
LOCAL_ENTRIES = 256
_local: dict[str, tuple[float, object]] = {}


def cached(namespace: str, name: str, build: Callable, *parts, timeout: int = DAY):
    key = ":".join([namespace, name, version(namespace), *map(str, parts)])
    if timeout < DAY:
        return counted(key, build, timeout)[0]
    now = time.monotonic()
    hit = _local.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = cache.get_or_set(key, build, timeout)
    if len(_local) >= LOCAL_ENTRIES:
        _local.clear()
    _local[key] = (now + LOCAL_SECONDS, value)
    return value


# A value counted at most every so many seconds (`counted`): the shared cache keeps it with the time it
# was counted, and a worker keeps the pair it read until the shared one is counted again.
COUNTED_ENTRIES = 1024
_counted: dict[Hashable, tuple[dt.datetime, tuple]] = {}


def counted(key: str, count: Callable, seconds: int) -> tuple[object, dt.datetime]:
    """`count()` and when it was counted, counted at most every `seconds` by all the workers together.

    The shared cache keeps the pair for `seconds` from its counting; the worker that reads it keeps it
    until then too, so a repeat view asks neither the database nor the shared cache, and every worker
    shows the same count with the same time. With `seconds` 0 it is counted every time."""
    now = timezone.now()
    if seconds <= 0:
        return count(), now
    hit = _counted.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    shared_key = f"counted:{key}"
    pair = cache.get(shared_key)
    if pair is None:
        pair = (count(), now)
        cache.set(shared_key, pair, seconds)
    until = pair[1] + dt.timedelta(seconds=seconds)
    if until > now:
        if len(_counted) >= COUNTED_ENTRIES:
            _counted.clear()
        _counted[key] = (until, pair)
    return pair


class NotReady(Exception):
    """A kept value is being built by another worker and none was kept before."""


def kept(
    key: str,
    build: Callable,
    *,
    fresh: int,
    current: Callable = lambda value: True,
    wait: float = 15.0,
    keep: int | None = None,
):
    """A costly value shared by every worker and rebuilt by one at a time.

    Within `fresh` seconds of being built (and while `current(value)` holds) the kept value is
    served. After that the first worker to take the rebuild lock builds it again, while the others
    go on serving the older value instead of all rebuilding at once. With no value at all (a cold
    cache), the others wait up to `wait` seconds for the builder and then raise `NotReady` rather
    than build it too: a caller answers "being prepared", and a schedule keeps the value warm. The
    cache keeps a value `keep` seconds (twelve times `fresh` unless given).
    """
    entry = cache.get(key)
    if entry is not None and time.time() - entry[0] < fresh and current(entry[1]):
        return entry[1]
    lock = f"{key}:rebuilding"
    if cache.add(lock, 1, timeout=max(60, int(wait * 4))):
        try:
            value = build()
            cache.set(key, (time.time(), value), keep or max(fresh, 1) * 12)
            return value
        finally:
            cache.delete(lock)
    if entry is not None:
        return entry[1]
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(0.25)
        entry = cache.get(key)
        if entry is not None:
            return entry[1]
    raise NotReady(key)
