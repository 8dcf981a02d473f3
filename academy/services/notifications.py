"""E-mail through the outbox: one row per notification key, sent once.

Callers pick a key that names the event (``registration-confirmed:42``). Queuing the same
key again does nothing, so a task that runs twice never sends a second e-mail.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from academy.models import OutboxEmail
from academy.services.tasks import enqueue_or_keep_pending


def render_email(template, context, language):
    """Render `emails/<template>_subject.txt`, `.txt` and `.html` in the given language."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    return subject, text, html


def queue_email(*, key, to, template, context, language, attachments=()):
    """Store the e-mail under `key` and send it after commit. Returns (email, created).

    `attachments`: (filename, text content, mimetype) triples, e.g. an .ics invitation."""
    existing = OutboxEmail.objects.filter(key=key).first()
    if existing:
        return existing, False
    subject, text, html = render_email(template, context, language)
    return _store(key=key, to=to, subject=subject, text=text, html=html, attachments=attachments)


def queue_rendered_email(*, key, to, subject, text, html=""):
    """Store an e-mail already rendered (e.g. by Django's password reset form) and send it after commit."""
    existing = OutboxEmail.objects.filter(key=key).first()
    if existing:
        return existing, False
    return _store(key=key, to=to, subject=subject, text=text, html=html)


def _attachment_rows(attachments):
    return [{"filename": name, "content": content, "mimetype": mimetype} for name, content, mimetype in attachments]


def _store(*, key, to, subject, text, html, attachments=()):
    try:
        with transaction.atomic():
            email = OutboxEmail.objects.create(
                key=key, to=to, subject=subject, body_text=text, body_html=html, attachments=_attachment_rows(attachments)
            )
    except IntegrityError:
        return OutboxEmail.objects.get(key=key), False
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email, True


@dataclass(frozen=True)
class Email:
    """One e-mail to queue with `queue_emails`."""

    key: str
    to: str
    template: str
    context: dict
    language: str
    attachments: tuple = ()


def queue_emails(emails):
    """Store many e-mails in two queries and send them, together, after commit. Returns the rows stored now.

    Keys already in the outbox are left alone, as with `queue_email`.
    """
    emails = list({email.key: email for email in emails}.values())
    taken = set(OutboxEmail.objects.filter(key__in=[email.key for email in emails]).values_list("key", flat=True))
    rows = []
    for email in emails:
        if email.key in taken:
            continue
        subject, text, html = render_email(email.template, email.context, email.language)
        rows.append(
            OutboxEmail(
                key=email.key,
                to=email.to,
                subject=subject,
                body_text=text,
                body_html=html,
                attachments=_attachment_rows(email.attachments),
            )
        )
    if not rows:
        return []
    try:
        with transaction.atomic():
            rows = OutboxEmail.objects.bulk_create(rows)
    except IntegrityError:  # another process queued one of these keys meanwhile: one by one, theirs wins
        return [
            email
            for email, created in (
                queue_email(
                    key=e.key,
                    to=e.to,
                    template=e.template,
                    context=e.context,
                    language=e.language,
                    attachments=e.attachments,
                )
                for e in emails
                if e.key not in taken
            )
            if created
        ]
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: _enqueue_many(ids))
    return rows


def _enqueue(email_id):
    from academy.tasks import send_outbox_email

    enqueue_or_keep_pending(send_outbox_email, email_id)


def _enqueue_many(email_ids):
    from academy.tasks import send_outbox_emails

    enqueue_or_keep_pending(send_outbox_emails, email_ids)


def send_outbox_emails_now(email_ids):
    """Send pending e-mails over one mail connection, each in its own transaction. Safe to call twice.

    Returns how many were sent now; raises the last OSError after trying them all, so a retry sends
    only those that failed."""
    sent, failure = 0, None
    with get_connection() as connection:
        for email_id in email_ids:
            try:
                sent += send_outbox_email_now(email_id, connection=connection)
            except OSError as error:
                failure = error
    if failure is not None:
        raise failure
    return sent


def send_outbox_email_now(email_id, connection=None):
    """Send one pending e-mail. Safe to call twice: a sent row is never sent again."""
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status == OutboxEmail.Status.SENT:
            return False
        message = EmailMultiAlternatives(
            email.subject, email.body_text, settings.DEFAULT_FROM_EMAIL, [email.to], connection=connection
        )
        if email.body_html:
            message.attach_alternative(email.body_html, "text/html")
        for attachment in email.attachments:
            message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
        email.attempts += 1
        try:
            message.send()
        except OSError as error:
            # Recorded before re-raising outside the transaction: raising inside it would roll the count back
            # and the row would be retried forever.
            failure = error
            email.last_error = str(error)[:500]
            email.save(update_fields=["attempts", "last_error"])
        else:
            failure = None
            email.status = OutboxEmail.Status.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
            email.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    if failure is not None:
        raise failure
    return True


def pending_email_ids(limit=500):
    return list(
        OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, attempts__lt=10)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
