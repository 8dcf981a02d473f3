from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import translation

from certificates.services import batches

TEMPORARY_ERRORS = (OperationalError, InterfaceError)


@shared_task(
    acks_late=True, reject_on_worker_lost=True, autoretry_for=TEMPORARY_ERRORS, retry_backoff=True, max_retries=5
)
def issue_certificate_batch(batch_id, language="ky"):
    """Start a batch: queue its other parts and issue the first. Safe to run twice or after a crash."""
    with translation.override(language):
        batch = batches.dispatch_batch(batch_id)
    return batch.status if batch else None


@shared_task(
    acks_late=True, reject_on_worker_lost=True, autoretry_for=TEMPORARY_ERRORS, retry_backoff=True, max_retries=5
)
def issue_certificate_batch_part(batch_id, part, language="ky"):
    """Issue one part of a batch. Safe to run twice or after a crash: what the batch issued is not issued again."""
    with translation.override(language):
        batch = batches.run_batch_part(batch_id, part)
    return batch.status if batch else None
