from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import translation

from certificates.services import issuance


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def issue_certificate_batch(batch_id, language="ky"):
    """Issue a batch. Safe to run twice or after a crash: already-issued registrations are skipped."""
    with translation.override(language):
        batch = issuance.run_batch(batch_id)
    return batch.status if batch else None
