"""Django's Redis cache backend (CACHE_URL), with changes for pages that ask it on every request:

- one Redis client per connection pool, made once: Django's backend makes a new client for every
  call, and making one costs more than the call itself;
- `count_in_window(key, seconds)`: an attempt counter of a fixed window in one round trip (SET … NX EX
  then INCR, in one MULTI), which the public pages' limits (`lib/throttle.py`) use when it is there;
- `run_script(source, keys, args)`: a Lua script, loaded once per client, run on cache keys (made
  as every other key) in one round trip; `set_text` writes a plain text value a script can read
  (every other value is pickled);
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
        key = self.make_and_validate_key(key)
        transaction = self._writer().pipeline()
        transaction.set(key, 0, ex=seconds, nx=True)
        transaction.incr(key)
        return transaction.execute()[1]

    def run_script(self, source: str, keys: list[str], args: list):
        """Run the Lua script `source` on `keys` (cache keys, made with this cache's prefix and
        version) with `args`, atomically and in one round trip; what the script returns."""
        client = self._writer()
        script = self._scripts.get((id(client), source))
        if script is None:
            script = self._scripts[(id(client), source)] = client.register_script(source)
        return script(keys=[self.make_and_validate_key(key) for key in keys], args=args, client=client)

    def set_text(self, key: str, text: str, seconds: int, *, only_new: bool = False) -> None:
        """Keep `text` as it is (not pickled, so that a script can read it) for `seconds`; with
        `only_new`, only if nothing is kept under `key`."""
        self._writer().set(self.make_and_validate_key(key), text, ex=seconds, nx=only_new)

    def first_or_tally(self, key: str, seconds: int, tallies: str, field: str) -> bool:
        """True the first time `key` is seen (it is then kept for `seconds`); otherwise False, and the
        hash `tallies` counts one more under `field`. One atomic round trip."""
        return bool(self.run_script(_FIRST_OR_TALLY, [key, tallies], [seconds, field]))

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
