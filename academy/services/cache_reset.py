"""Emptying the shared cache, e.g. after a restore (scripts/restore.sh runs `manage.py clear_cache`).

The cache keeps whole public pages, verification answers and API reads for up to an hour, keyed by
namespace versions that live in the cache too: after the database goes back in time they would go on
serving what the site said before the restore. Clearing them is always safe (everything is recomputed).

In production the cache and the Celery broker share one Redis database by default (CACHE_URL falls back
to CELERY_BROKER_URL), so a Redis cache is emptied by deleting the cache's own keys (those Django's key
function gives, `<KEY_PREFIX>:<version>:<key>`) rather than with FLUSHDB, which would also drop queued
tasks and results.
"""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import default_key_func
from django.core.cache.backends.redis import RedisCache

DELETE_CHUNK = 500


def _clear_redis(cache):
    if cache.key_func is not default_key_func:
        cache.clear()  # an unknown key layout: only FLUSHDB is sure to reach every key
        return None
    client = cache._cache.get_client(write=True)
    pattern = f"{cache.key_prefix}:*".replace("[", "\\[").replace("]", "\\]")
    deleted, chunk = 0, []
    for key in client.scan_iter(match=pattern, count=DELETE_CHUNK):
        chunk.append(key)
        if len(chunk) >= DELETE_CHUNK:
            deleted += client.delete(*chunk)
            chunk = []
    if chunk:
        deleted += client.delete(*chunk)
    return deleted


def clear_caches():
    """Empty every configured cache. Returns {alias: entries deleted (None where the backend cannot tell)}."""
    cleared = {}
    for alias in settings.CACHES:
        cache = caches[alias]
        if isinstance(cache, RedisCache):
            cleared[alias] = _clear_redis(cache)
        else:
            cache.clear()
            cleared[alias] = None
    return cleared
