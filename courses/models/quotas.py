from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.models import Orderable

from academy.models import Municipality, Region


class SessionQuota(Orderable):
    """Seats of a session kept for the people of one oblast or one municipality (courses/services/quotas.py).

    Until the session's `quota_release_at` a quota is both a promise and a limit: its seats are kept for
    its people, and its people take no other seats. A person counts against their municipality's quota
    when the session has one, else against their oblast's.
    """

    session = ParentalKey("courses.Session", on_delete=models.CASCADE, related_name="quotas")
    region = models.ForeignKey(
        Region, verbose_name=_("oblast"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    seats = models.PositiveIntegerField(_("seats"), validators=[MinValueValidator(1)])

    class Meta(Orderable.Meta):
        verbose_name = _("seat quota")
        verbose_name_plural = _("seat quotas")
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=True, municipality__isnull=False)
                | Q(region__isnull=False, municipality__isnull=True),
                name="session_quota_one_place",
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="session_quota_seats_positive"),
            models.UniqueConstraint(
                fields=["session", "region"], condition=Q(region__isnull=False), name="session_quota_one_per_region"
            ),
            models.UniqueConstraint(
                fields=["session", "municipality"],
                condition=Q(municipality__isnull=False),
                name="session_quota_one_per_municipality",
            ),
        ]

    def __str__(self):
        return f"{self.municipality or self.region}: {self.seats}"
