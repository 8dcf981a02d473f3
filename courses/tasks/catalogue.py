"""Celery tasks of the catalogue: a few lines each, idempotent, enqueued after commit."""

from celery import shared_task
from django.db import OperationalError

from courses.services import catalogue


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def notify_session_cancelled(session_id):
    """Fan out one outbox e-mail per registered participant; the outbox key makes a rerun a no-op."""
    return catalogue.notify_session_cancelled(session_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def notify_session_changed(session_id):
    """One message per registered participant and change, with the updated calendar entry; a rerun is a no-op."""
    return catalogue.notify_session_changed(session_id)
