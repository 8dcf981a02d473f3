"""Telegram messages and SMS through the outbox: stored under a key, sent once after commit, retried."""


from django.db import IntegrityError, transaction
from django.utils import timezone

from academy.models import Channel, OutboxMessage
from academy.services.tasks import enqueue_or_keep_pending

from . import sms, telegram
from .errors import PermanentDeliveryError

SENDERS = {Channel.TELEGRAM: telegram.send, Channel.SMS: sms.send}


def queue_message(*, key, channel, to, text):
    """Store the message under `key` and send it after commit. Returns (message, created).

    Keys taken by an e-mail are checked by `messaging.deliver`, which chooses the channel."""
    existing = OutboxMessage.objects.filter(key=key).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(key=key, channel=channel, to=to, text=text)
    except IntegrityError:
        return OutboxMessage.objects.get(key=key), False
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message, True


def _enqueue(message_id):
    from academy.tasks import send_outbox_message

    enqueue_or_keep_pending(send_outbox_message, message_id)


def send_message_now(message_id):
    """Send one pending message. Safe to call twice: a sent or failed row is never sent again.

    A temporary failure is recorded and re-raised (the task retries); a permanent one marks the row failed."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != OutboxMessage.Status.PENDING:
            return False
        message.attempts += 1
        failure = None
        try:
            SENDERS[message.channel](message.to, message.text)
        except PermanentDeliveryError as error:
            message.status = OutboxMessage.Status.FAILED
            message.last_error = str(error)[:500]
        except OSError as error:
            # Recorded before re-raising outside the transaction, so the count of attempts is kept.
            failure = error
            message.last_error = str(error)[:500]
        else:
            message.status = OutboxMessage.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
        message.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    if failure is not None:
        raise failure
    return message.status == OutboxMessage.Status.SENT


def pending_message_ids(limit=500):
    return list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, attempts__lt=10)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
