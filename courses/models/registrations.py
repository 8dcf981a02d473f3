from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waitlisted")
    # A freed place offered to the first person waiting, held for them until `offer_expires_at`.
    OFFERED = "offered", _("Place offered")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Rejected")


class RegistrationSource(models.TextChoices):
    WEB = "web", _("Public site")
    API = "api", _("API")
    IMPORT = "import", _("Imported list")
    ADMIN = "admin", _("Admin")
    NOMINATION = "nomination", _("Nominated by the municipality")


ACTIVE_STATUSES = (
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.OFFERED,
)
# The statuses that hold a seat: an offered place is kept for its person until they answer or the offer expires.
SEAT_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def confirmed(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def holding_seats(self):
        return self.filter(status__in=SEAT_STATUSES)

    def offered(self):
        return self.filter(status=RegistrationStatus.OFFERED)

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
    # The municipality's yes (courses/services/nominations.py): a nomination, or an officer's approval.
    municipality_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by the municipality's officer"),
    )
    municipality_approved_at = models.DateTimeField(_("approved by the municipality at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    attendance_percent = models.PositiveSmallIntegerField(_("attendance, %"), null=True, blank=True)
    # Set when a place is offered (courses/services/waitlist_offers.py); kept afterwards to tell an expired offer.
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)

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
            models.Index(
                fields=["offer_expires_at"],
                name="registration_offer_expiry",
                condition=models.Q(status="offered"),
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.session} ({self.get_status_display()})"

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    @property
    def is_offered(self):
        return self.status == RegistrationStatus.OFFERED

    @property
    def offer_expired(self):
        """An offered place that passed on unanswered (expiry leaves no decider and stamps the change at or after
        the deadline; a decline is stamped before it by its person)."""
        return (
            self.status == RegistrationStatus.CANCELLED
            and self.offer_expires_at is not None
            and self.decided_by_id is None
            and self.status_changed_at >= self.offer_expires_at
        )

    @property
    def is_completed(self):
        return self.completed_at is not None
