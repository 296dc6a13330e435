"""Django's Redis cache, keeping one client per connection pool instead of one per call.

Django's RedisCacheClient builds a new redis.Redis for every cache operation, and
redis-py 8 fills some 170 response callbacks each time it is built: 0.2 ms a call,
more than the round trip itself. A cached page makes two calls, so that was half of
what serving it cost. The client is thread-safe and only wraps the pool, so one per
pool is enough. CACHE_URL=redis://… selects this backend (settings.py).
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
