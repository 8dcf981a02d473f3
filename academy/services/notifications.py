"""E-mail through the outbox: one row per notification key, sent once.

Callers pick a key that names the event (``registration-confirmed:42``). Queuing the same
key again does nothing, so a task that runs twice never sends a second e-mail.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from academy.models import OutboxEmail

logger = logging.getLogger(__name__)


def render_email(template, context, language):
    """Render `emails/<template>_subject.txt`, `.txt` and `.html` in the given language."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    return subject, text, html


def queue_email(*, key, to, template, context, language):
    """Store the e-mail under `key` and send it after commit. Returns (email, created)."""
    existing = OutboxEmail.objects.filter(key=key).first()
    if existing:
        return existing, False
    subject, text, html = render_email(template, context, language)
    try:
        with transaction.atomic():
            email = OutboxEmail.objects.create(key=key, to=to, subject=subject, body_text=text, body_html=html)
    except IntegrityError:
        return OutboxEmail.objects.get(key=key), False
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email, True


def _enqueue(email_id):
    from academy.tasks import send_outbox_email

    try:
        send_outbox_email.delay(email_id)
    except Exception:  # the broker is down: the row stays pending and flush_outbox sends it later
        logger.warning("Could not enqueue outbox e-mail %s; it stays pending.", email_id)


def send_outbox_email_now(email_id):
    """Send one pending e-mail. Safe to call twice: a sent row is never sent again."""
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status == OutboxEmail.Status.SENT:
            return False
        message = EmailMultiAlternatives(email.subject, email.body_text, settings.DEFAULT_FROM_EMAIL, [email.to])
        if email.body_html:
            message.attach_alternative(email.body_html, "text/html")
        email.attempts += 1
        try:
            message.send()
        except OSError as error:
            email.last_error = str(error)[:500]
            email.save(update_fields=["attempts", "last_error"])
            raise
        email.status = OutboxEmail.Status.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        email.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    return True


def pending_email_ids(limit=500):
    return list(
        OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, attempts__lt=10)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
