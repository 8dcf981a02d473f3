"""Messages to people by the best channel they have: Telegram, e-mail or SMS.

Each person chooses their channels on the profile. A message goes to the first of them that can reach
the person: Telegram when their chat is linked, e-mail when they have an address that is not a
placeholder, SMS to a +996 mobile number for people with neither. Every message goes through an outbox
under a key naming the event, so it is sent once whichever channel carries it.
"""

from dataclasses import replace

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from academy.models import Channel, OutboxEmail, OutboxMessage, Profile
from academy.services.notifications import queue_email, queue_emails, render_email

from . import sms, telegram
from .outbox import queue_message

# The link an SMS carries, by the first of these the message's context has.
SMS_LINK_KEYS = ("sms_url", "check_in_url", "verify_url", "set_password_url", "session_url", "url", "my_trainings_url")


def has_deliverable_email(user):
    """Imports give people without an address a placeholder ending in `.invalid`."""
    return bool(user.email) and not user.email.endswith(".invalid")


def _profile(user):
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def channels_for(user):
    """The channels that can reach `user` now, best first, among those they chose."""
    profile = _profile(user)
    wants = (lambda name: getattr(profile, f"notify_by_{name}")) if profile else (lambda name: name == "email")
    found = []
    if profile and profile.telegram_chat_id and wants("telegram") and telegram.is_configured():
        found.append(Channel.TELEGRAM)
    if has_deliverable_email(user) and wants("email"):
        found.append(Channel.EMAIL)
    if profile and profile.phone and wants("sms") and sms.is_configured() and not found:
        found.append(Channel.SMS)
    return found


def best_channel(user):
    found = channels_for(user)
    return found[0] if found else None


def language_of(user):
    profile = _profile(user)
    return (profile.preferred_language if profile else "") or settings.LANGUAGE_CODE


def short_text(template, context, language):
    """The SMS for an e-mail template: `emails/<template>_sms.txt` when there is one, else the subject and a link."""
    with translation.override(language):
        try:
            text = render_to_string(f"emails/{template}_sms.txt", context)
        except TemplateDoesNotExist:
            text = None
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    link = next((str(context[key]) for key in SMS_LINK_KEYS if context.get(key)), "")
    return sms.fit(text or subject, link)


def deliver(*, user, key, template, context, language=None, attachments=()):
    """Queue the message for `user` once, on their best channel. Returns (row, created); (None, False) when no
    channel reaches them. A key queued before on any channel is not queued again (the person may have
    changed channels since)."""
    language = language or language_of(user)
    channel = best_channel(user)
    if channel is None:
        return None, False
    # queue_email and queue_message each find the key in their own outbox; here only the other one is asked.
    other_outbox = OutboxMessage if channel == Channel.EMAIL else OutboxEmail
    existing = other_outbox.objects.filter(key=key).first()
    if existing is not None:
        return existing, False
    if channel == Channel.EMAIL:
        return queue_email(
            key=key, to=user.email, template=template, context=context, language=language, attachments=attachments
        )
    if channel == Channel.TELEGRAM:
        subject, text, _html = render_email(template, context, language)
        return queue_message(
            key=key, channel=channel, to=_profile(user).telegram_chat_id, text=f"{subject}\n\n{text.strip()}"
        )
    return queue_message(key=key, channel=channel, to=_profile(user).phone, text=short_text(template, context, language))


def deliver_many(messages):
    """Queue many messages, given as (user, notifications.Email) pairs: e-mails in one batch, the others one by one.
    Returns the rows queued now."""
    emails, queued = [], []
    taken = set(OutboxMessage.objects.filter(key__in=[email.key for _user, email in messages]).values_list("key", flat=True))
    for user, email in messages:
        channel = best_channel(user)
        if channel is None or email.key in taken:
            continue
        if channel == Channel.EMAIL:
            emails.append(replace(email, to=user.email))
            continue
        row, created = deliver(
            user=user, key=email.key, template=email.template, context=email.context, language=email.language
        )
        if created:
            queued.append(row)
    return queue_emails(emails) + queued
