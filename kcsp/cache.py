"""The Redis cache backend, keeping one client per connection pool.

Django's Redis backend builds a new `redis.Redis` client for every cache
operation. The client holds no connection (its pool does), but building one
sets up several hundred response handlers, which took about a third of the
time of a page served from the page cache. A client is safe to share
between threads and, as its pool checks the process id, between forked
workers, so this backend builds one per pool and keeps it.
"""

from typing import Any

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            build = self._client  # type: ignore[attr-defined]
            client = self._clients.setdefault(id(pool), build(connection_pool=pool))
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
