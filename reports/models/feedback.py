from datetime import timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: How long after the first submission a participant may still change the answer.
FEEDBACK_EDIT_WINDOW = timedelta(days=7)

SCORE_FIELDS = ("content_score", "trainer_score", "organisation_score")


def _score_field(label):
    return models.PositiveSmallIntegerField(label, validators=[MinValueValidator(1), MaxValueValidator(5)])


class Feedback(models.Model):
    """A participant's answer to the feedback form of one session: one per registration."""

    registration = models.OneToOneField(
        "courses.Registration", verbose_name=_("registration"), on_delete=models.CASCADE, related_name="feedback"
    )
    content_score = _score_field(_("content"))
    trainer_score = _score_field(_("trainer"))
    organisation_score = _score_field(_("organisation"))
    most_useful = models.TextField(_("what was most useful"), blank=True, max_length=2000)
    comments = models.TextField(_("comments"), blank=True, max_length=4000)
    survey = models.ForeignKey(
        "reports.Survey",
        verbose_name=_("survey"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
        help_text=_("The survey answered (empty for answers given before surveys: the default questions)."),
    )
    submitted_at = models.DateTimeField(_("first submitted at"))
    updated_at = models.DateTimeField(_("last changed at"))

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(content_score__gte=1, content_score__lte=5)
                & Q(trainer_score__gte=1, trainer_score__lte=5)
                & Q(organisation_score__gte=1, organisation_score__lte=5),
                name="feedback_scores_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["submitted_at"], name="feedback_submitted")]

    def __str__(self):
        return f"{self.registration_id}: {self.content_score}/{self.trainer_score}/{self.organisation_score}"

    @property
    def editable_until(self):
        return self.submitted_at + FEEDBACK_EDIT_WINDOW

    def is_editable(self, now):
        return now <= self.editable_until
