"""Knowledge tests before and after a session (issue 19.1).

A course keeps a bank of questions (Kyrgyz and Russian, English optional; single or multiple choice or
true/false, with an optional picture). A session's pre-test and post-test each take questions from the bank in
order. The trainer opens a test with a time limit and closes it; each confirmed participant makes one attempt
(the unique constraint keeps it to one even when forty phones submit at once), on the phone or on paper typed in
by the trainer. Scoring is in courses.services.assessments.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from academy.models.i18n import active_language


def _localized(obj, field):
    return getattr(obj, f"{field}_{active_language()}", "") or getattr(obj, f"{field}_ky", "")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")


class KnowledgeTestKind(models.TextChoices):
    PRE = "pre", _("Pre-test")
    POST = "post", _("Post-test")


class AttemptMethod(models.TextChoices):
    PHONE = "phone", _("On the phone")
    PAPER = "paper", _("Paper copy entered by the trainer")


class Question(ClusterableModel):
    """One question of a course's bank, with its choices (one or more marked correct)."""

    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="questions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    text_ky = models.TextField(_("question in Kyrgyz"))
    text_ru = models.TextField(_("question in Russian"))
    text_en = models.TextField(_("question in English"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("picture"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("course"),
        FieldPanel("kind"),
        FieldPanel("text_ky"),
        FieldPanel("text_ru"),
        FieldPanel("text_en"),
        FieldPanel("image"),
        InlinePanel("choices", label=_("Choices"), min_num=2),
    ]

    class Meta:
        ordering = ["course", "pk"]
        verbose_name = _("test question")
        verbose_name_plural = _("test questions")

    def __str__(self):
        return self.text[:80]

    @property
    def text(self):
        return _localized(self, "text")


class Choice(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text_ky = models.CharField(_("choice in Kyrgyz"), max_length=500)
    text_ru = models.CharField(_("choice in Russian"), max_length=500)
    text_en = models.CharField(_("choice in English"), max_length=500, blank=True)
    is_correct = models.BooleanField(_("correct"), default=False)

    panels = [FieldPanel("text_ky"), FieldPanel("text_ru"), FieldPanel("text_en"), FieldPanel("is_correct")]

    class Meta(Orderable.Meta):
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self):
        return self.text

    @property
    def text(self):
        return _localized(self, "text")


class KnowledgeTest(models.Model):
    """A session's pre-test or post-test: its questions, and when the trainer opened and closed it."""

    session = models.ForeignKey(
        "courses.Session", verbose_name=_("session"), on_delete=models.CASCADE, related_name="knowledge_tests"
    )
    kind = models.CharField(_("kind"), max_length=4, choices=KnowledgeTestKind.choices)
    questions = models.ManyToManyField(Question, through="KnowledgeTestQuestion", related_name="+")
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit, minutes"), default=15)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["session", "kind"]
        verbose_name = _("knowledge test")
        verbose_name_plural = _("knowledge tests")
        constraints = [models.UniqueConstraint(fields=["session", "kind"], name="one_knowledge_test_per_kind")]

    def __str__(self):
        return f"{self.session_id} {self.kind}"

    @property
    def expires_at(self):
        if self.opened_at is None:
            return None
        return self.opened_at + timedelta(minutes=self.time_limit_minutes)

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opened_at is not None and self.closed_at is None and now <= self.expires_at


class KnowledgeTestQuestion(models.Model):
    test = models.ForeignKey(KnowledgeTest, on_delete=models.CASCADE, related_name="test_questions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["test", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["test", "question"], name="knowledge_test_question_once")]

    def __str__(self):
        return f"{self.test_id} #{self.position} {self.question_id}"


class Attempt(models.Model):
    """One person's answers to one test; `score` counts the questions answered fully right."""

    test = models.ForeignKey(KnowledgeTest, verbose_name=_("test"), on_delete=models.CASCADE, related_name="attempts")
    registration = models.ForeignKey(
        "courses.Registration", verbose_name=_("participant"), on_delete=models.CASCADE, related_name="test_attempts"
    )
    method = models.CharField(_("method"), max_length=5, choices=AttemptMethod.choices, default=AttemptMethod.PHONE)
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    max_score = models.PositiveSmallIntegerField(_("out of"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["test", "pk"]
        verbose_name = _("test attempt")
        verbose_name_plural = _("test attempts")
        constraints = [models.UniqueConstraint(fields=["test", "registration"], name="one_attempt_per_person")]

    def __str__(self):
        return f"{self.test_id} {self.registration_id} {self.score}/{self.max_score}"

    @property
    def percent(self):
        return round(100 * self.score / self.max_score) if self.max_score else 0


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    # The chosen choice ids, sorted; a list, because a multiple-choice question takes several.
    selected = models.JSONField(default=list)
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["attempt", "pk"]
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question")]

    def __str__(self):
        return f"{self.attempt_id} {self.question_id} {self.selected}"
