"""Celery tasks of the materials area: a few lines each, idempotent."""

from celery import shared_task
from django.db import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from courses.services import scan_counts


@shared_task(autoretry_for=(OperationalError, RedisConnectionError), retry_backoff=True, max_retries=3)
def flush_scan_counts():
    """Run by beat every minute: move the `/q/` scan counts buffered in Redis into the database."""
    return scan_counts.flush()
