"""Expiry reminders sent to holders, and ZIP files of a session's certificates built for admins."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.storage import get_private_storage


class ExpiryReminder(models.Model):
    """One reminder before a certificate expires. The unique pair is what keeps the daily task from sending
    the same reminder twice, however often or in parallel it runs (services/expiry.py)."""

    certificate = models.ForeignKey(
        "certificates.Certificate",
        verbose_name=_("certificate"),
        on_delete=models.CASCADE,
        related_name="expiry_reminders",
    )
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    channel = models.CharField(_("channel"), max_length=10, blank=True)
    sent_on = models.DateField(_("sent on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        constraints = [
            models.UniqueConstraint(fields=["certificate", "days_before"], name="one_expiry_reminder_per_kind"),
        ]

    def __str__(self):
        return f"{self.certificate_id}: {self.days_before}"


class ZipStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    RUNNING = "running", _("Building")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def zip_upload_to(instance, filename):
    return f"certificates/zips/{filename}"


class SessionCertificateZip(models.Model):
    """A ZIP of the PDFs of a session's valid certificates, built in the background, kept in private storage."""

    session = models.ForeignKey(
        "courses.Session", verbose_name=_("session"), on_delete=models.CASCADE, related_name="certificate_zips"
    )
    status = models.CharField(_("status"), max_length=10, choices=ZipStatus.choices, default=ZipStatus.PENDING)
    total = models.PositiveIntegerField(_("certificates"), default=0)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    file = models.FileField(_("file"), upload_to=zip_upload_to, storage=get_private_storage, max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("certificates ZIP")
        verbose_name_plural = _("certificates ZIPs")
        constraints = [
            # At most one ZIP of a session is being built at a time (a second request joins it).
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(status__in=["pending", "running"]),
                name="one_zip_in_progress_per_session",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "running", "done", "failed"]), name="certificate_zip_status_known"
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.session_id} ({self.get_status_display()})"

    @property
    def is_finished(self):
        return self.status in (ZipStatus.DONE, ZipStatus.FAILED)

    @property
    def percent(self):
        if not self.total:
            return 100 if self.is_finished else 0
        return min(100, round(100 * self.processed / self.total))
