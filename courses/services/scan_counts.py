"""Scan counts of the `/q/` links, kept off the hot path.

A hall of 40 scanning the handout's QR code at once should not queue 40 UPDATEs on one row. With
`ACADEMY_SCAN_COUNTS_REDIS_URL` set (production derives it from a Redis cache), a scan is one HINCRBY in a
Redis hash, and `flush` (beat, every minute) moves the counts into `ShortLink.scan_count` in one transaction:
the hash is first renamed (atomic), so scans arriving during a flush go to a fresh hash and a second flush
running at the same time finds nothing to take. Without the setting (the embedded mode, most tests) a scan is
the UPDATE it always was. Counts are anonymous: only the link id is kept.

`last_scanned_at` is the time of the flush that counted the scan, within a minute of the scan.
"""

import logging
import uuid
from functools import lru_cache

import redis
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from courses.models import ShortLink

logger = logging.getLogger(__name__)
PENDING = "academy:shortlink-scans"
FLUSHING = "academy:shortlink-scans:flushing:"
LEFTOVER_AFTER_SECONDS = 300
UNAVAILABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


@lru_cache(maxsize=4)
def _client(url):
    return redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)


def buffer_client():
    url = getattr(settings, "ACADEMY_SCAN_COUNTS_REDIS_URL", "")
    return _client(url) if url else None


def _count_now(link_id, now, scans=1):
    ShortLink.objects.filter(pk=link_id).update(scan_count=F("scan_count") + scans, last_scanned_at=now)


def record(link_id, now=None):
    """Count one scan of the link: in the Redis buffer when there is one, else (or while Redis is down) at once."""
    client = buffer_client()
    if client is not None:
        try:
            client.hincrby(PENDING, str(link_id), 1)
            return
        except UNAVAILABLE as error:
            logger.warning("Scan buffer unavailable (%s); counting in the database.", error)
    _count_now(link_id, now or timezone.now())


def pending(link_id):
    """Scans of the link not yet flushed (0 without a buffer)."""
    client = buffer_client()
    if client is None:
        return 0
    return int(client.hget(PENDING, str(link_id)) or 0)


def flush(now=None):
    """Move the buffered counts into the database. Returns how many scans were written; safe to run twice or at
    the same time (each batch of counts is taken by exactly one run)."""
    client = buffer_client()
    if client is None:
        return 0
    now = now or timezone.now()
    written = 0
    # A batch left by a run that failed before writing (database down) is written first: claimed by a rename, so
    # only one run takes it, and only when older than a run can last, so a run still writing keeps its own.
    for leftover in client.scan_iter(match=FLUSHING + "*", count=100):
        started = int(leftover.decode().removeprefix(FLUSHING).split(":")[0])
        if started < now.timestamp() - LEFTOVER_AFTER_SECONDS:
            claimed = _batch_name(now)
            try:
                client.rename(leftover, claimed)
            except redis.exceptions.ResponseError:  # another run claimed it first
                continue
            written += _write_batch(client, claimed, now)
    batch = _batch_name(now)
    try:
        client.rename(PENDING, batch)
    except redis.exceptions.ResponseError:  # no scans since the last flush
        return written
    return written + _write_batch(client, batch, now)


def _batch_name(now):
    return f"{FLUSHING}{int(now.timestamp())}:{uuid.uuid4().hex}"


def _write_batch(client, batch, now):
    counts = {int(link_id): int(scans) for link_id, scans in client.hgetall(batch).items() if int(scans) > 0}
    with transaction.atomic():
        for link_id, scans in sorted(counts.items()):
            _count_now(link_id, now, scans)
        # Deleted once the counts are in the database: a failure above leaves the batch for the next run.
        transaction.on_commit(lambda: client.delete(batch))
    return sum(counts.values())
