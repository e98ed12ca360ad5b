"""Django's Redis cache backend (CACHE_URL), with two changes for pages that ask it on every request:

- one Redis client per connection pool, made once: Django's backend makes a new client for every
  call, and making one costs more than the call itself;
- `count_in_window(key, seconds)`: an attempt counter of a fixed window in one round trip (SET … NX EX
  then INCR, in one MULTI), which the public pages' limits (`lib/throttle.py`) use when it is there.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


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

    def count_in_window(self, key: str, seconds: int) -> int:
        """Count one more under `key`; the window starts at the first count and lasts `seconds`."""
        key = self.make_and_validate_key(key)
        transaction = self._cache.get_client(key, write=True).pipeline()
        transaction.set(key, 0, ex=seconds, nx=True)
        transaction.incr(key)
        return transaction.execute()[1]
