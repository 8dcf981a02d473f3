"""Surveys the academy designs: the questions of the feedback form, per course or for all courses.

Every answer is one `Feedback` per registration. The five standard questions (three scores, two texts)
keep their answers in Feedback's own columns, so the donor figures sum three columns in one pass; the
other questions' answers are `SurveyAnswer` rows. A question that has answers is never deleted (it is
switched off), its kind never changes and its options can only be added to, so every old answer keeps
the question it answered.
"""

from django.db import models, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

LANGUAGES = ("ky", "ru", "en")
#: Longest text answer to a question of the academy's own.
TEXT_ANSWER_LIMIT = 2000


def in_language(obj, prefix, language=None):
    """`obj.<prefix>_<language>`, else the first of ky, ru, en that is filled in."""
    language = (language or translation.get_language() or "ky")[:2]
    order = [language, *[code for code in LANGUAGES if code != language]]
    for code in order:
        value = getattr(obj, f"{prefix}_{code}", "")
        if value:
            return value
    return ""


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating from 1 to 5")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    TEXT = "text", _("Text")


class StandardField(models.TextChoices):
    """The standard questions and the Feedback column keeping their answers."""

    CONTENT = "content_score", _("Content score")
    TRAINER = "trainer_score", _("Trainer score")
    ORGANISATION = "organisation_score", _("Organisation score")
    MOST_USEFUL = "most_useful", _("What was most useful")
    COMMENTS = "comments", _("Comments")


#: The standard scores every survey asks: the donor summary's satisfaction figures are made of them.
STANDARD_SCORES = (StandardField.CONTENT, StandardField.TRAINER, StandardField.ORGANISATION)
STANDARD_TEXTS = (StandardField.MOST_USEFUL, StandardField.COMMENTS)


class Survey(ClusterableModel):
    """A feedback form: the default one (no course) or one course's (in every language version)."""

    title_ky = models.CharField(_("title (ky)"), max_length=200)
    title_ru = models.CharField(_("title (ru)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (en)"), max_length=200, blank=True)
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the default survey, for every course without a survey of its own."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Participants answer the active survey of their course.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["course_id", "-is_active", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.UniqueConstraint(
                fields=["course"],
                condition=Q(is_active=True, course__isnull=False),
                name="one_active_survey_per_course",
            ),
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True, course__isnull=True), name="one_default_survey"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return in_language(self, "title")

    def save(self, *args, **kwargs):
        # An active survey replaces the active one of its scope (its course in any language version, or
        # the default), in one transaction: participants always have exactly one survey to answer.
        with transaction.atomic():
            if self.is_active:
                same_scope = (
                    Survey.objects.filter(course__translation_key=self.course.translation_key)
                    if self.course_id
                    else Survey.objects.filter(course__isnull=True)
                )
                same_scope.filter(is_active=True).exclude(pk=self.pk).update(is_active=False)
            super().save(*args, **kwargs)


class SurveyQuestion(Orderable):
    survey = ParentalKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.RATING)
    standard = models.CharField(
        _("standard question"),
        max_length=20,
        choices=StandardField.choices,
        blank=True,
        help_text=_("Which standard question this is; its answers count in the donor figures."),
    )
    text_ky = models.CharField(_("question (ky)"), max_length=300)
    text_ru = models.CharField(_("question (ru)"), max_length=300, blank=True)
    text_en = models.CharField(_("question (en)"), max_length=300, blank=True)
    choices_ky = models.TextField(_("options (ky)"), blank=True, help_text=_("One option a line."))
    choices_ru = models.TextField(_("options (ru)"), blank=True, help_text=_("One option a line, in the same order."))
    choices_en = models.TextField(_("options (en)"), blank=True, help_text=_("One option a line, in the same order."))
    required = models.BooleanField(_("required"), default=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Switch off a question that has answers instead of deleting it.")
    )

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "standard"], condition=~Q(standard=""), name="survey_standard_question_once"
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def text(self):
        return in_language(self, "text")

    @property
    def field_name(self):
        """The form field and API key: the Feedback column for a standard question, else `q<id>`."""
        return self.standard or f"q{self.pk}"

    def option_lists(self):
        return {
            code: [line.strip() for line in getattr(self, f"choices_{code}").splitlines() if line.strip()]
            for code in LANGUAGES
        }

    def options(self, language=None):
        """The options in `language` (ky where a line is missing), by their index."""
        lists = self.option_lists()
        language = (language or translation.get_language() or "ky")[:2]
        base = lists["ky"]
        wanted = lists.get(language) or []
        return [wanted[index] if index < len(wanted) else label for index, label in enumerate(base)]


class SurveyAnswer(models.Model):
    """The answer to one question of the academy's own (the standard ones live on Feedback)."""

    feedback = models.ForeignKey(
        "reports.Feedback", verbose_name=_("feedback"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        SurveyQuestion, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    #: A rating 1–5, or the index of the one option chosen.
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    #: The indexes of the options chosen (several choices).
    chosen = models.JSONField(_("options chosen"), default=list, blank=True)
    text = models.TextField(_("text"), blank=True, max_length=TEXT_ANSWER_LIMIT)

    class Meta:
        ordering = ["feedback_id", "question__sort_order", "pk"]
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(fields=["feedback", "question"], name="survey_one_answer_per_question"),
        ]

    def __str__(self):
        return f"{self.feedback_id}/{self.question_id}"
