"""The yearly best-practice contest: a round with the criteria the academy sets and its jury, the municipalities'
submissions (each a draft practice page reviewed in a Wagtail workflow) and the jury's scores.

A round is one row (a snippet) rather than a page, so the ky, ru and en contest pages show the same round, the
same criteria and the same scores. The public side (rules, the submission form, "my submissions", results) is
one routable page per language (cms/contest/views.py); the logic is in cms/services/contest.py.
"""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page

from academy.models.i18n import TranslatedNameMixin, active_language

from .practices import FIRST_YEAR, LAST_YEAR

JURY_GROUP = "Contest jury"


class ContestRoundForm(WagtailAdminModelForm):
    """The jury is picked among the Contest jury group, not from every account of the site (thousands)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "jury" in self.fields:
            jury = self.fields["jury"]
            jury.widget = forms.CheckboxSelectMultiple()
            # Assigning the queryset also gives the new widget its choices.
            jury.queryset = jury.queryset.model.objects.filter(groups__name=JURY_GROUP).order_by("email")


class ContestRound(ClusterableModel):
    """One year's contest: until when municipalities submit, on what the jury scores, who is on the jury."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    title_ky = models.CharField(_("title in Kyrgyz"), max_length=200)
    title_ru = models.CharField(_("title in Russian"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200)
    deadline = models.DateTimeField(_("submissions until"))
    winners_count = models.PositiveSmallIntegerField(
        _("number of winners"), default=3, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    jury = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("jury members"),
        blank=True,
        related_name="contest_rounds_judged",
        help_text=_(
            "They score accepted submissions under Jury scores in the admin (put them in the Contest jury group)."
        ),
    )
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True, editable=False)

    base_form_class = ContestRoundForm
    panels = [
        FieldPanel("year"),
        MultiFieldPanel([FieldPanel("title_ky"), FieldPanel("title_ru"), FieldPanel("title_en")], heading=_("Title")),
        FieldPanel("deadline"),
        FieldPanel("winners_count"),
        InlinePanel("criteria", heading=_("Criteria"), label=_("criterion"), min_num=1),
        FieldPanel("jury"),
    ]

    class Meta:
        ordering = ["-year"]
        verbose_name = _("contest round")
        verbose_name_plural = _("contest rounds")

    def __str__(self):
        return self.title

    @property
    def title(self):
        return getattr(self, f"title_{active_language()}", None) or self.title_ky

    @property
    def is_open(self):
        return timezone.now() <= self.deadline

    @property
    def results_published(self):
        return self.results_published_at is not None


class ContestCriterion(TranslatedNameMixin, Orderable):
    """What the jury scores, from 0 to `max_points`; `weight` says how much it counts in the total."""

    round = ParentalKey(ContestRound, on_delete=models.CASCADE, related_name="criteria")
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_points = models.PositiveSmallIntegerField(
        _("maximum points"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    panels = [
        FieldPanel("name_ky"),
        FieldPanel("name_ru"),
        FieldPanel("name_en"),
        FieldPanel("weight"),
        FieldPanel("max_points"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("contest criterion")
        verbose_name_plural = _("contest criteria")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")
    SCORED = "scored", _("Scored")
    WINNER = "winner", _("Winner")


class ContestSubmission(models.Model):
    """A municipality's entry: its practice page (a draft until editors approve it) and where it stands."""

    round = models.ForeignKey(
        ContestRound, verbose_name=_("contest round"), on_delete=models.PROTECT, related_name="submissions"
    )
    practice = models.OneToOneField(
        "cms.PracticePage",
        verbose_name=_("practice"),
        on_delete=models.CASCADE,
        related_name="contest_submission",
    )
    municipality = models.ForeignKey(
        "academy.Municipality", verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="contest_submissions",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("contest submission")
        verbose_name_plural = _("contest submissions")
        indexes = [models.Index(fields=["round", "municipality"], name="contest_sub_round_mun")]

    def __str__(self):
        return self.practice.title


class JuryScore(models.Model):
    """One juror's points for one submission on one criterion."""

    submission = models.ForeignKey(ContestSubmission, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ContestCriterion, on_delete=models.CASCADE, related_name="scores")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contest_scores")
    points = models.PositiveSmallIntegerField(_("points"))
    scored_at = models.DateTimeField(_("scored at"), auto_now=True)

    class Meta:
        verbose_name = _("jury score")
        verbose_name_plural = _("jury scores")
        constraints = [
            models.UniqueConstraint(fields=["juror", "submission", "criterion"], name="jury_score_once"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.points}"


class ContestPage(RoutablePageMixin, Page):
    """The contest on the public site (one per language): rules and criteria of the current round, the
    submission form, the municipality's own submissions, and each round's results once published."""

    intro = models.TextField(_("introduction"), blank=True)

    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    content_panels = Page.content_panels + [FieldPanel("intro")]
    template = "cms/contest/contest_page.html"

    class Meta:
        verbose_name = _("contest page")

    def get_context(self, request, *args, **kwargs):
        from cms.services import contest

        context = super().get_context(request, *args, **kwargs)
        context["round"] = contest.current_round()
        context["past_rounds"] = [
            (past, self.url + self.reverse_subpage("results", args=[past.year])) for past in contest.published_rounds()
        ]
        context["submit_url"] = self.url + self.reverse_subpage("submit")
        context["my_url"] = self.url + self.reverse_subpage("my_submissions")
        return context

    @path("")
    def index(self, request):
        return self.render(request)

    @path("submit/")
    def submit(self, request):
        from cms.contest import views

        return views.submit(self, request)

    @path("my/")
    def my_submissions(self, request):
        from cms.contest import views

        return views.my_submissions(self, request)

    @path("my/<int:pk>/")
    def edit_submission(self, request, pk):
        from cms.contest import views

        return views.edit_submission(self, request, pk)

    @path("results/<int:year>/")
    def results(self, request, year):
        from cms.contest import views

        return views.results(self, request, year)
