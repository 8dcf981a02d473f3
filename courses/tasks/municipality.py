"""Celery tasks of nomination by municipalities. Safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from courses.services import nominations


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_officer_digests():
    """Run by beat: officers hear of self-registrations of their municipality awaiting their approval."""
    return nominations.queue_officer_digests()
