"""The academy's Telegram bot: sending messages, and linking a person's chat with a one-time code.

A person asks for a link on their profile; it opens `https://t.me/<bot>?start=<code>`, Telegram sends the bot
`/start <code>`, and the webhook (`academy.accounts.telegram.webhook`) links that chat to the person.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from academy.errors import DomainError
from academy.models import Profile, TelegramLinkCode

from . import http
from .errors import PermanentDeliveryError

MAX_LENGTH = 4096  # Bot API sendMessage: 1-4096 characters after entities parsing


def is_configured():
    return bool(settings.TELEGRAM_BOT_TOKEN)


def _method_url(method):
    return f"{settings.TELEGRAM_API_URL.rstrip('/')}/bot{settings.TELEGRAM_BOT_TOKEN}/{method}"


def send(chat_id, text):
    if not is_configured():
        raise PermanentDeliveryError("Telegram is not configured (TELEGRAM_BOT_TOKEN).")
    text = text.strip()
    if len(text) > MAX_LENGTH:
        text = text[: MAX_LENGTH - 1] + "…"
    response = http.call(
        "POST", _method_url("sendMessage"), json={"chat_id": chat_id, "text": text, "link_preview_options": {"is_disabled": True}}
    )
    if not response.json().get("ok"):
        raise PermanentDeliveryError(f"Telegram answered: {response.text[:200]}")
    return response


def set_webhook(url):
    """Tell Telegram where to post updates, with the secret it will send back."""
    response = http.call(
        "POST",
        _method_url("setWebhook"),
        json={"url": url, "secret_token": settings.TELEGRAM_WEBHOOK_SECRET, "allowed_updates": ["message"]},
    )
    return response.json()


def new_link_code(user, now=None):
    """A fresh one-time code for `user` (older unused ones stop working) and the deep link that sends it."""
    if not (is_configured() and settings.TELEGRAM_BOT_USERNAME):
        raise DomainError(_("Telegram is not available at this academy yet."))
    now = now or timezone.now()
    with transaction.atomic():
        TelegramLinkCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
        # Deep-link payloads allow A-Z, a-z, 0-9, _ and - up to 64 characters; token_urlsafe(24) gives 32.
        link = TelegramLinkCode.objects.create(user=user, code=secrets.token_urlsafe(24), created_at=now)
    return link.code, f"https://t.me/{settings.TELEGRAM_BOT_USERNAME}?start={link.code}"


def link_chat(code, chat_id, now=None):
    """Link the chat to the person whose code it is. Returns the profile; DomainError if the code is unknown,
    used or expired. A chat linked to someone else before moves to this person (one chat, one person)."""
    now = now or timezone.now()
    code = (code or "").strip()
    with transaction.atomic():
        link = TelegramLinkCode.objects.select_for_update().filter(code=code).select_related("user").first()
        if link is None:
            raise DomainError(_("This link code is unknown. Open the link on your profile page again."), code="unknown")
        if link.used_at is not None:
            raise DomainError(_("This link code was already used. Open the link on your profile page again."), code="used")
        if link.created_at < now - timedelta(minutes=settings.TELEGRAM_LINK_CODE_MINUTES):
            raise DomainError(_("This link code has expired. Open the link on your profile page again."), code="expired")
        link.used_at = now
        link.save(update_fields=["used_at"])
        Profile.objects.filter(telegram_chat_id=str(chat_id)).exclude(user=link.user).update(
            telegram_chat_id="", telegram_linked_at=None
        )
        profile, _created = Profile.objects.get_or_create(user=link.user, defaults={"full_name": link.user.email or ""})
        profile.telegram_chat_id = str(chat_id)
        profile.telegram_linked_at = now
        profile.save(update_fields=["telegram_chat_id", "telegram_linked_at"])
    return profile


def unlink(user):
    """Forget the person's Telegram chat. Returns whether one was linked."""
    return bool(
        Profile.objects.filter(user=user).exclude(telegram_chat_id="").update(telegram_chat_id="", telegram_linked_at=None)
    )


def unlink_chat(chat_id):
    return bool(Profile.objects.filter(telegram_chat_id=str(chat_id)).update(telegram_chat_id="", telegram_linked_at=None))


def handle_update(update, now=None):
    """Act on one webhook update and queue the bot's answer. Returns what happened ("linked", "unlinked", …).

    Telegram may deliver an update twice; the answer's outbox key is the update id, so it is sent once."""
    from .outbox import queue_message

    message = update.get("message") or {}
    chat = message.get("chat") or {}
    text = (message.get("text") or "").strip()
    chat_id = chat.get("id")
    update_id = update.get("update_id")
    if chat_id is None or update_id is None or chat.get("type", "private") != "private":
        return "ignored"
    language = _language_of(message)
    command, _space, argument = text.partition(" ")
    command = command.split("@", 1)[0]
    with translation.override(language):
        if command == "/start" and argument:
            try:
                profile = link_chat(argument, chat_id, now=now)
            except DomainError as error:
                outcome, reply = "refused", str(error.message)
            else:
                outcome = "linked"
                with translation.override(profile.preferred_language or language):
                    reply = _(
                        "Telegram is linked to your academy account. Confirmations, reminders and certificate "
                        "links will come here. Send /stop to unlink."
                    )
        elif command == "/stop":
            outcome = "unlinked" if unlink_chat(chat_id) else "not linked"
            reply = _("Telegram is unlinked from your academy account. You can link it again on your profile page.")
        else:
            outcome = "help"
            reply = _("To get the academy's messages here, open the Telegram link on your profile page on the academy site.")
    queue_message(key=f"telegram-reply:{update_id}", channel="telegram", to=str(chat_id), text=reply)
    return outcome


def _language_of(message):
    code = ((message.get("from") or {}).get("language_code") or "").split("-")[0]
    return code if code in {"ky", "ru", "en"} else settings.LANGUAGE_CODE
