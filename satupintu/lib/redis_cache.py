"""Django's Redis cache backend (CACHE_URL), with changes for pages that ask it on every request:

- one Redis client per connection pool, made once: Django's backend makes a new client for every
  call, and making one costs more than the call itself;
- `count_in_window(key, seconds)`: an attempt counter of a fixed window in one round trip (SET … NX EX
  then INCR, in one MULTI), which the public pages' limits (`lib/throttle.py`) use when it is there;
  `count_in_window_and_get` reads one more key in the same round trip;
- tallies: `first_or_tally` marks a key the first time it is seen and, every later time, adds one
  to a field of a hash, atomically; `take_tallies` empties that hash and returns what it held, so
  that a scheduled job writes many counts at once (documents/scans.py); `add_tallies` puts counts
  back when that write failed.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

# KEYS[1] the mark, KEYS[2] the hash; ARGV[1] the mark's seconds, ARGV[2] the field.
_FIRST_OR_TALLY = """
if redis.call('SET', KEYS[1], 1, 'NX', 'EX', ARGV[1]) then return 1 end
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
return 0
"""


class _Client(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:  # two threads at once make two; either is kept, both work
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client
        self._scripts = {}

    def _writer(self):
        return self._cache.get_client(write=True)

    def count_in_window(self, key: str, seconds: int) -> int:
        """Count one more under `key`; the window starts at the first count and lasts `seconds`."""
        return self.count_in_window_and_get(key, seconds, None)[0]

    def count_in_window_and_get(self, key: str, seconds: int, other: str | None):
        """`count_in_window(key, seconds)` and `get(other)` in one round trip: (count, value or None)."""
        key = self.make_and_validate_key(key)
        transaction = self._writer().pipeline()
        transaction.set(key, 0, ex=seconds, nx=True)
        transaction.incr(key)
        if other is not None:
            transaction.get(self.make_and_validate_key(other))
        answers = transaction.execute()
        value = answers[2] if other is not None else None
        return answers[1], (None if value is None else self._cache._serializer.loads(value))

    def first_or_tally(self, key: str, seconds: int, tallies: str, field: str) -> bool:
        """True the first time `key` is seen (it is then kept for `seconds`); otherwise False, and the
        hash `tallies` counts one more under `field`. One atomic round trip."""
        client = self._writer()
        script = self._scripts.get(id(client))
        if script is None:
            script = self._scripts[id(client)] = client.register_script(_FIRST_OR_TALLY)
        keys = [self.make_and_validate_key(key), self.make_and_validate_key(tallies)]
        return bool(script(keys=keys, args=[seconds, field], client=client))

    def take_tallies(self, tallies: str) -> dict[str, int]:
        """Every field of the hash `tallies` with its count; the hash is emptied in the same step, so
        a count added meanwhile is kept for the next take."""
        key = self.make_and_validate_key(tallies)
        transaction = self._writer().pipeline()
        transaction.hgetall(key)
        transaction.delete(key)
        counts = transaction.execute()[0]
        return {field.decode(): int(count) for field, count in counts.items()}

    def add_tallies(self, tallies: str, counts: dict[str, int]) -> None:
        """Add `counts` to the hash `tallies` (counts taken by `take_tallies` that could not be written)."""
        if not counts:
            return
        key = self.make_and_validate_key(tallies)
        transaction = self._writer().pipeline()
        for field, count in counts.items():
            transaction.hincrby(key, field, count)
        transaction.execute()
