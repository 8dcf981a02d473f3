from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.models import Orderable


class CostKind(models.TextChoices):
    """The budget lines donors ask for (issue 19.4)."""

    VENUE = "venue", _("Venue")
    TRAINER_FEES = "trainer_fees", _("Trainers' fees")
    TRAVEL = "travel", _("Participants' travel")
    PER_DIEM = "per_diem", _("Per diem")
    MATERIALS = "materials", _("Materials")
    OTHER = "other", _("Other")


class SessionCost(Orderable):
    """One budget line of a session, in KGS. Reports add them up per session, course and funding project
    (reports/services/costs.py); a session without lines has *no costs entered*, which is not zero."""

    session = ParentalKey("courses.Session", on_delete=models.CASCADE, related_name="costs")
    kind = models.CharField(_("budget line"), max_length=20, choices=CostKind.choices)
    amount = models.DecimalField(_("amount, KGS"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("cost")
        verbose_name_plural = _("costs")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="session_cost_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["session", "kind"], name="session_cost_session_kind")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.amount} KGS"
