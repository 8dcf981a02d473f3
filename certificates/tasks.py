from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import translation

from certificates.services import batches

TEMPORARY_ERRORS = (OperationalError, InterfaceError)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TEMPORARY_ERRORS,
    retry_backoff=True,
    max_retries=5,
)
def issue_certificate_batch(self, batch_id, language="ky"):
    """Start a batch: queue its other parts and issue the first. Safe to run twice or after a crash."""
    with translation.override(language):
        batch = batches.dispatch_batch(batch_id, owner=self.request.id)
    return batch.status if batch else None


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TEMPORARY_ERRORS,
    retry_backoff=True,
    max_retries=5,
)
def issue_certificate_batch_part(self, batch_id, part, language="ky"):
    """Issue one part of a batch. Safe to run twice or after a crash: what the batch issued is not issued again.

    The task id owns the part's lease, so a redelivery of this very task takes over at once."""
    with translation.override(language):
        batch = batches.run_batch_part(batch_id, part, owner=self.request.id)
    return batch.status if batch else None


@shared_task(autoretry_for=TEMPORARY_ERRORS, retry_backoff=True, max_retries=3)
def requeue_stalled_batch_parts():
    """Run by beat: queue again the parts whose worker went quiet (killed mid-batch). Returns [[batch, part]]."""
    return [list(item) for item in batches.requeue_stalled_parts()]


@shared_task(autoretry_for=TEMPORARY_ERRORS, retry_backoff=True, max_retries=3)
def send_certificate_expiry_reminders():
    """Run daily by beat: remind holders of certificates that expire soon. Safe to run twice, even in parallel."""
    from certificates.services import expiry

    return expiry.send_expiry_reminders()


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TEMPORARY_ERRORS,
    retry_backoff=True,
    max_retries=3,
)
def build_session_zip(self, job_id, language="ky"):
    """Build the ZIP of a session's certificate PDFs. Safe to run twice: a finished ZIP is not built again."""
    from certificates.services import session_zip

    with translation.override(language):
        job = session_zip.build_job(job_id)
    return job.status if job else None
