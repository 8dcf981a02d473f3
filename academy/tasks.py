from celery import shared_task

from academy.services import notifications
from academy.services.messaging import outbox as messaging_outbox
from academy.services.messaging.errors import TemporaryDeliveryError


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_outbox_email(email_id):
    return notifications.send_outbox_email_now(email_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_outbox_emails(email_ids):
    return notifications.send_outbox_emails_now(email_ids)


@shared_task
def flush_outbox():
    """Send e-mails and messages that were stored while the broker was unreachable."""
    sent = 0
    for email_id in notifications.pending_email_ids():
        try:
            sent += notifications.send_outbox_email_now(email_id)
        except OSError:
            continue
    for message_id in messaging_outbox.pending_message_ids():
        try:
            sent += messaging_outbox.send_message_now(message_id)
        except OSError:
            continue
    return sent


@shared_task(autoretry_for=(TemporaryDeliveryError,), retry_backoff=True, max_retries=5)
def send_outbox_message(message_id):
    return messaging_outbox.send_message_now(message_id)
