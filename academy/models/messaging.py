"""Messages beside e-mail: Telegram and SMS, kept in an outbox like e-mails, and Telegram link codes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .notifications import OutboxEmail


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    TELEGRAM = "telegram", _("Telegram")
    SMS = "sms", _("SMS")


class OutboxMessage(models.Model):
    """A Telegram message or an SMS kept in the database before it is sent.

    Shares its keys with the e-mail outbox (`OutboxEmail.key`): a notification goes out once, on one
    channel, however often the task that queues it runs.
    """

    Status = OutboxEmail.Status  # the two outboxes move through the same states

    key = models.CharField(_("key"), max_length=200, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # A Telegram chat id or a +996 mobile number.
    to = models.CharField(_("recipient"), max_length=64)
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="message_status_created")]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")

    def __str__(self):
        return f"{self.key} → {self.channel}"


class TelegramLinkCode(models.Model):
    """A one-time code a person sends to the academy's bot (`/start <code>`) to link their Telegram chat."""

    code = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="telegram_link_codes")
    created_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Telegram link code")
        verbose_name_plural = _("Telegram link codes")

    def __str__(self):
        return f"{self.user_id}:{self.created_at:%Y-%m-%d %H:%M}"
