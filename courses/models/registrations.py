from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waitlisted")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Rejected")


class RegistrationSource(models.TextChoices):
    WEB = "web", _("Public site")
    API = "api", _("API")
    IMPORT = "import", _("Imported list")
    ADMIN = "admin", _("Admin")


ACTIVE_STATUSES = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def confirmed(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waitlist(self):
        """The waitlist in arrival order: the first is promoted first."""
        return self.filter(status=RegistrationStatus.WAITLISTED).order_by("created_at", "pk")

    def completed(self):
        return self.filter(completed_at__isnull=False)

    def of(self, user):
        return self.filter(user=user)

    def pending(self):
        return self.filter(status=RegistrationStatus.PENDING)

    def with_waitlist_position(self):
        """Annotate `waitlist_position` (1 = next to be promoted) on waitlisted rows, None on others."""
        ahead = (
            Registration.objects.filter(session=models.OuterRef("session"), status=RegistrationStatus.WAITLISTED)
            .filter(
                models.Q(created_at__lt=models.OuterRef("created_at"))
                | models.Q(created_at=models.OuterRef("created_at"), pk__lt=models.OuterRef("pk"))
            )
            .order_by()
            .values("session")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return self.annotate(
            waitlist_position=models.Case(
                models.When(
                    status=RegistrationStatus.WAITLISTED,
                    then=Coalesce(models.Subquery(ahead, output_field=models.IntegerField()), 0) + 1,
                ),
                default=None,
                output_field=models.IntegerField(),
            )
        )

    def for_roster(self):
        """Everything a roster row shows, in a bounded number of queries."""
        return self.select_related("user__profile__organization", "user__profile__municipality", "decided_by").order_by(
            "created_at", "pk"
        )


class Registration(models.Model):
    """A person's place in a session. Attendance and completion sit beside the status."""

    session = models.ForeignKey(
        "courses.Session", verbose_name=_("session"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(_("status"), max_length=10, choices=RegistrationStatus.choices)
    source = models.CharField(
        _("source"), max_length=10, choices=RegistrationSource.choices, default=RegistrationSource.WEB
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True, db_index=True)
    status_changed_at = models.DateTimeField(_("status changed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.TextField(_("decision note"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    attendance_percent = models.PositiveSmallIntegerField(_("attendance, %"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_registration_per_person_per_session"),
        ]
        indexes = [
            models.Index(fields=["session", "status", "created_at"], name="registration_session_status"),
            models.Index(fields=["user", "status"], name="registration_user_status"),
            models.Index(fields=["completed_at"], name="registration_completed"),
        ]

    def __str__(self):
        return f"{self.user} — {self.session} ({self.get_status_display()})"

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    @property
    def is_completed(self):
        return self.completed_at is not None
