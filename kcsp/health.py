"""What `/healthz` checks: every service a web node needs to answer.

A node is healthy when the database answers a query, the cache keeps and
returns a value, and the file storage (local files or object storage)
answers a lookup. The load balancer takes a node that fails any of them out
of rotation until it answers again.
"""

import logging
import secrets

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)

# A name looked up in storage; it need not exist.
STORAGE_PROBE = "healthz/probe"
CACHE_PROBE = "healthz"


def database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def shared_cache() -> bool:
    token = secrets.token_hex(8)
    try:
        cache.set(CACHE_PROBE, token, 10)
        return cache.get(CACHE_PROBE) is not None
    except Exception:  # every backend raises its own errors (redis, memcached)
        logger.warning("Health check: the cache did not answer", exc_info=True)
        return False


def storage() -> bool:
    try:
        default_storage.exists(STORAGE_PROBE)
    except Exception:  # every backend raises its own errors (OSError, botocore)
        logger.warning("Health check: the file storage did not answer", exc_info=True)
        return False
    return True


def check() -> dict[str, str]:
    """Each service's state, "ok" or "unavailable"."""
    checks = {"database": database, "cache": shared_cache, "storage": storage}
    return {name: "ok" if works() else "unavailable" for name, works in checks.items()}
