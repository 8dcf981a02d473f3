from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from academy.models import FundingProject, Language, OrganizationKind


class SessionFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class SessionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for registration")
    CLOSED = "closed", _("Registration closed")
    CANCELLED = "cancelled", _("Cancelled")
    COMPLETED = "completed", _("Completed")


class SessionQuerySet(models.QuerySet):
    def published(self):
        return self.exclude(status=SessionStatus.DRAFT)

    def upcoming(self, now=None):
        return self.published().filter(ends_at__gte=now or timezone.now()).exclude(status=SessionStatus.CANCELLED)

    def past(self, now=None):
        return self.published().filter(ends_at__lt=now or timezone.now())

    def open_for_registration(self, now=None):
        now = now or timezone.now()
        return self.filter(status=SessionStatus.OPEN, starts_at__gt=now).filter(
            Q(registration_opens_at__isnull=True) | Q(registration_opens_at__lte=now),
            Q(registration_closes_at__isnull=True) | Q(registration_closes_at__gte=now),
        )

    def with_seats(self):
        """Annotate `taken_seats` and `seats_left` in the same query.

        A correlated subquery per session (index `registration_session_status`), not a JOIN + GROUP BY:
        the grouped form aggregates every registration of every matching session before ORDER BY/LIMIT
        (2 s on 300,000 registrations, see BENCHMARKS.md); this one is computed for the rows returned.
        """
        from .registrations import SEAT_STATUSES, Registration

        confirmed = (
            Registration.objects.filter(session=OuterRef("pk"), status__in=SEAT_STATUSES)
            .order_by()
            .values("session")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(
            taken_seats=Coalesce(Subquery(confirmed, output_field=models.IntegerField()), 0)
        ).annotate(seats_left=Greatest(F("capacity") - F("taken_seats"), 0))

    def for_course(self, course):
        """Sessions of a course, whichever language version of the course page is given."""
        return self.filter(course__translation_key=course.translation_key)

    def trained_by(self, user):
        return self.filter(trainers=user)

    def overlapping(self, starts_at, ends_at):
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).exclude(status=SessionStatus.CANCELLED)

    def has_free_seats(self):
        """Sessions with at least one seat left (annotates like `with_seats`)."""
        return self.with_seats().filter(seats_left__gt=0)

    def in_region(self, region):
        return self.filter(venue__municipality__district__region=region)

    def visible_to(self, user):
        """Published sessions for everyone; drafts only for their trainers and academy admins."""
        from academy.roles import is_academy_admin, is_trainer

        if is_academy_admin(user):
            return self
        if is_trainer(user):
            own = Session.trainers.through.objects.filter(user_id=user.pk).values("session_id")
            return self.filter(~Q(status=SessionStatus.DRAFT) | Q(pk__in=own))
        return self.published()

    def for_listing(self):
        """What a list of sessions shows, fetched in a fixed number of queries."""
        from django.contrib.auth import get_user_model

        trainers = get_user_model().objects.select_related("profile", "trainer_profile").order_by("pk")
        return self.select_related(
            "course", "venue__municipality__district__region", "funding_project"
        ).prefetch_related(Prefetch("trainers", queryset=trainers))


class Session(ClusterableModel):
    """One scheduled run of a course: dates, venue, trainers, capacity."""

    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions"
    )
    title = models.CharField(
        _("title"),
        max_length=255,
        blank=True,
        help_text=_("Optional, e.g. the place or cohort; the course title is shown otherwise."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    format = models.CharField(
        _("format"), max_length=10, choices=SessionFormat.choices, default=SessionFormat.IN_PERSON
    )
    venue = models.ForeignKey(
        "courses.Venue",
        verbose_name=_("venue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.KY)
    registration_opens_at = models.DateTimeField(_("registration opens at"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes at"), null=True, blank=True)
    requires_approval = models.BooleanField(_("registrations need approval"), default=False)
    requires_municipality_approval = models.BooleanField(
        _("self-registrations need the municipality's approval"),
        default=False,
        help_text=_("A person who registers themself waits until their municipality's head or HR officer approves."),
    )
    # Until then the seat quotas (SessionQuota) hold; from then their unused seats are open to everyone.
    quota_release_at = models.DateTimeField(
        _("unused quota seats open to all at"),
        null=True,
        blank=True,
        help_text=_("Leave empty to keep the quotas until the session starts."),
    )
    waitlist_offer_hours = models.PositiveSmallIntegerField(
        _("hours to accept a freed place"),
        default=0,
        help_text=_(
            "0: a freed place goes to the first person on the waitlist at once. More than 0: it is offered to them, "
            "and passes to the next person if they do not accept within this many hours."
        ),
    )
    eligible_organization_kinds = models.JSONField(
        _("eligible organisation kinds"),
        default=list,
        blank=True,
        help_text=_("Leave empty to let anyone register."),
    )
    funding_project = models.ForeignKey(
        FundingProject,
        verbose_name=_("funding project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
    )
    status = models.CharField(_("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.DRAFT)
    trainers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("trainers"), blank=True, related_name="trained_sessions"
    )
    cancellation_reason = models.TextField(_("cancellation reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The SEQUENCE of the calendar invitations sent for the session: one more each time it moves (courses/ical.py).
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="session_status_start"),
            models.Index(fields=["starts_at"], name="session_start"),
            models.Index(fields=["ends_at"], name="session_end"),
            models.Index(fields=["course", "ends_at"], name="session_course_end"),
        ]

    def __str__(self):
        label = self.title or (self.course.title if self.course_id else "")
        return f"{label} ({timezone.localtime(self.starts_at):%d.%m.%Y})" if self.starts_at else label

    def get_absolute_url(self):
        return reverse("session_detail", args=[self.pk])

    @property
    def localized_course(self):
        """The course page in the active language; lists attach it in bulk to save a query per row."""
        cached = getattr(self, "_localized_course", None)
        if cached is not None:
            return cached
        return self.course.localized

    @localized_course.setter
    def localized_course(self, page):
        self._localized_course = page

    @property
    def display_title(self):
        return self.title or self.localized_course.title

    @property
    def days(self):
        """Each calendar day of the session in Asia/Bishkek time."""
        from datetime import timedelta

        first = timezone.localtime(self.starts_at).date()
        last = timezone.localtime(self.ends_at).date()
        return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]

    def is_eligible(self, organization_kind):
        return not self.eligible_organization_kinds or organization_kind in self.eligible_organization_kinds

    @classmethod
    def organization_kind_choices(cls):
        return OrganizationKind.choices


class AgendaItem(Orderable):
    """One block of a session's programme (in the seeds: a «сессия» of the training)."""

    session = ParentalKey(Session, on_delete=models.CASCADE, related_name="agenda_items")
    day = models.DateField(_("day"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    title = models.CharField(_("title"), max_length=255)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        # Admin forms offer trainers only (the session form also adds the session's own trainers).
        limit_choices_to={"groups__name": "Trainers"},
    )
    description = models.TextField(_("description"), blank=True)

    class Meta(Orderable.Meta):
        ordering = ["day", "starts_at", "sort_order"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="agenda_item_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.day:%d.%m} {self.starts_at:%H:%M}–{self.ends_at:%H:%M} {self.title}"
