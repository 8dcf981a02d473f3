from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    ABSENT = "absent", _("Absent")


class AttendanceMethod(models.TextChoices):
    ROLL_CALL = "roll_call", _("Roll call")
    QR = "qr", _("QR self check-in")
    PAPER = "paper", _("Paper sign-in sheet")


ATTENDED_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class AttendanceQuerySet(models.QuerySet):
    def attended(self):
        """Present or late: both count towards the completion rule."""
        return self.filter(status__in=ATTENDED_STATUSES)

    def for_session(self, session):
        return self.filter(registration__session=session)


class Attendance(models.Model):
    """Presence of one registration on one day, or at one agenda block when the course asks for it."""

    registration = models.ForeignKey("courses.Registration", on_delete=models.CASCADE, related_name="attendance")
    day = models.DateField(_("day"))
    agenda_item = models.ForeignKey(
        "courses.AgendaItem", on_delete=models.CASCADE, null=True, blank=True, related_name="attendance"
    )
    status = models.CharField(_("status"), max_length=10, choices=AttendanceStatus.choices)
    method = models.CharField(_("method"), max_length=10, choices=AttendanceMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["day", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "day"], condition=Q(agenda_item__isnull=True), name="attendance_once_per_day"
            ),
            models.UniqueConstraint(
                fields=["registration", "agenda_item"],
                condition=Q(agenda_item__isnull=False),
                name="attendance_once_per_block",
            ),
        ]

    def __str__(self):
        return f"{self.registration_id} {self.day} {self.status}"

    @property
    def attended(self):
        return self.status in ATTENDED_STATUSES
