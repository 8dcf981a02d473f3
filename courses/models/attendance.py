from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
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
    # When the mark was made: the server's clock, or the phone's for a mark taken offline and synced later
    # (the newest mark of a slot wins, so the time it was *made* matters, not when it arrived).
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # The phone's id of the synced mark that set this row; unique, so a mark sent twice is found again.
    client_id = models.UUIDField(_("client mark id"), null=True, blank=True, unique=True, editable=False)

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


class AttendanceChangeOutcome(models.TextChoices):
    APPLIED = "applied", _("Applied")
    WON = "won", _("Won a conflict")
    LOST = "lost", _("Lost a conflict")
    REPLACED = "replaced", _("Replaced by a newer mark")


class AttendanceChange(models.Model):
    """Audit of attendance marks synced from the phones, and of the values they replaced.

    Every synced mark is kept here once (`client_id` is unique, which makes a batch sent twice change
    nothing), whether it was applied or lost a conflict to a newer mark; when a synced mark overwrites
    a mark made by someone else, the overwritten value is kept too, so both sides of a conflict stay on file.
    """

    registration = models.ForeignKey("courses.Registration", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    agenda_item = models.ForeignKey(
        "courses.AgendaItem", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=AttendanceStatus.choices)
    method = models.CharField(_("method"), max_length=10, choices=AttendanceMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    client_id = models.UUIDField(_("client mark id"), null=True, blank=True, unique=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=AttendanceChangeOutcome.choices)

    class Meta:
        ordering = ["received_at", "pk"]
        verbose_name = _("attendance change")
        verbose_name_plural = _("attendance changes")
        indexes = [models.Index(fields=["registration", "day"], name="attendance_change_slot")]

    def __str__(self):
        return f"{self.registration_id} {self.day} {self.status} ({self.outcome})"
