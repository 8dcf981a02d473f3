from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, OuterRef, Prefetch, Subquery, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from academy.models.i18n import TranslatedNameMixin
from cms.blocks import BaseStreamBlock


class Audience(TranslatedNameMixin):
    """Who a course is for: municipal servants, LSG heads, local council deputies, ..."""

    code = models.SlugField(unique=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("target audience")
        verbose_name_plural = _("target audiences")


class Topic(TranslatedNameMixin):
    """What a course is about (local budgets, tariffs, gender, ...): a reference list with Kyrgyz, Russian
    and English names, so a course's topics and the catalogue's topic filter read in the visitor's language."""

    code = models.SlugField(_("code"), max_length=100, unique=True, help_text=_("In catalogue links: ?topic=code"))

    panels = [FieldPanel("code"), FieldPanel("name_ky"), FieldPanel("name_ru"), FieldPanel("name_en")]

    class Meta:
        ordering = ["name_ky"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class DeliveryLanguage(TranslatedNameMixin):
    code = models.CharField(max_length=2, unique=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("delivery language")
        verbose_name_plural = _("delivery languages")


class AttendanceGranularity(models.TextChoices):
    DAY = "day", _("Per agenda day")
    BLOCK = "block", _("Per agenda block")


def annotate_next_session(queryset, now=None):
    """Add `next_session_at` (start of the next upcoming session of any language version) to course
    pages and prefetch what a course card shows, so a list costs a fixed number of queries."""
    from courses.models.sessions import Session

    upcoming = (
        Session.objects.upcoming(now or timezone.now())
        .filter(course__translation_key=OuterRef("translation_key"))
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    return queryset.annotate(next_session_at=Subquery(upcoming)).prefetch_related(
        Prefetch("topics", queryset=Topic.objects.by_name()),
        "audiences",
        Prefetch("languages", queryset=DeliveryLanguage.objects.order_by("pk"))
    )


class CachedForVisitorsPage(Page):
    """A catalogue page whose anonymous responses come from the catalogue cache (courses.services.public_pages)."""

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        from courses.services.public_pages import cached_catalogue_page, share_with_visitors

        return share_with_visitors(cached_catalogue_page(super().serve)(request, *args, **kwargs))


class CourseIndexPage(CachedForVisitorsPage):
    """The public catalogue: courses with filters, search and pagination."""

    intro = models.TextField(_("introduction"), blank=True)

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("course catalogue")

    paginate_by = 12

    def get_context(self, request, *args, **kwargs):
        from courses.filters import CourseFilter

        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        courses = CoursePage.objects.live().public().child_of(self)
        filterset = CourseFilter(request.GET or None, queryset=courses, request=request, now=now)
        queryset = filterset.qs
        query = filterset.form.cleaned_data.get("q", "") if filterset.is_bound else ""
        if query:
            found = CoursePage.objects.live().filter(locale_id=self.locale_id).search(query)
            queryset = queryset.filter(pk__in=[page.pk for page in found[:500]])
        queryset = annotate_next_session(queryset, now).order_by(
            F("next_session_at").asc(nulls_last=True), "title", "pk"
        )
        page = Paginator(queryset, self.paginate_by).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        context.update(
            filter=filterset,
            courses=page,
            query=query,
            filter_querystring=params.urlencode(),
            has_filters=bool(params),
        )
        return context


MAX_REMINDER_DAYS = 60


def reminder_offsets(text):
    """ "7,1" -> [7, 1]: whole days before the start, largest first; ValueError for anything else."""
    days = sorted({int(part) for part in str(text or "").replace(" ", "").split(",") if part}, reverse=True)
    if any(not 1 <= day <= MAX_REMINDER_DAYS for day in days):
        raise ValueError(text)
    return days


def validate_reminder_days(value):
    try:
        reminder_offsets(value)
    except ValueError:
        raise ValidationError(
            _("Give whole days between 1 and %(max)s separated by commas, e.g. 7,1."),
            code="invalid",
            params={"max": MAX_REMINDER_DAYS},
        ) from None


class CoursePage(CachedForVisitorsPage):
    """A catalogue entry. Sessions are scheduled runs of it."""

    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("description"), blank=True)
    topics = ParentalManyToManyField(Topic, blank=True, verbose_name=_("topics"))
    audiences = ParentalManyToManyField(Audience, blank=True, verbose_name=_("target audiences"))
    languages = ParentalManyToManyField(DeliveryLanguage, blank=True, verbose_name=_("delivery languages"))
    learning_outcomes = RichTextField(_("learning outcomes"), blank=True, features=["ul", "ol", "bold", "italic"])
    hours = models.PositiveSmallIntegerField(
        _("academic hours"), default=16, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance, %"), default=80, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    requires_assignment = models.BooleanField(_("requires an assignment"), default=False)
    assignment_title = models.CharField(_("assignment title"), max_length=200, blank=True)
    assignment_description = models.TextField(_("assignment description"), blank=True)
    attendance_granularity = models.CharField(
        _("attendance is taken"),
        max_length=10,
        choices=AttendanceGranularity.choices,
        default=AttendanceGranularity.DAY,
    )
    reminder_days = models.CharField(
        _("reminders, days before the start"),
        max_length=40,
        default="7,1",
        blank=True,
        validators=[validate_reminder_days],
        help_text=_("Registered participants get a reminder this many days before each session, e.g. 7,1. Empty: none."),
    )
    # Read by the certificates app when it issues (courses never import certificates).
    certificate_validity_years = models.PositiveSmallIntegerField(
        _("certificate valid for, years"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("Certificates of this course expire this many years after completion. Empty: they never expire."),
    )

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = []

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.FilterField("locale_id"),
        index.RelatedFields(
            "topics", [index.SearchField("name_ky"), index.SearchField("name_ru"), index.SearchField("name_en")]
        ),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
                FieldPanel("languages", widget=forms.CheckboxSelectMultiple),
                FieldPanel("hours"),
            ],
            heading=_("Catalogue"),
        ),
        FieldPanel("learning_outcomes"),
        MultiFieldPanel(
            [
                FieldPanel("min_attendance_percent"),
                FieldPanel("attendance_granularity"),
                FieldPanel("requires_assignment"),
                FieldPanel("assignment_title"),
                FieldPanel("assignment_description"),
            ],
            heading=_("Completion rule"),
        ),
        FieldPanel("reminder_days"),
        FieldPanel("certificate_validity_years"),
        InlinePanel(
            "practice_links", label=_("Practices this course teaches from"), heading=_("Practices from municipalities")
        ),
        InlinePanel("article_links", label=_("Journal articles this course draws on"), heading=_("Municipalitet journal")),
    ]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def upcoming_sessions(self, now=None):
        """Upcoming published sessions of this course (any language version), with seats left."""
        from courses.models.sessions import Session

        sessions = list(
            Session.objects.for_course(self).upcoming(now).with_seats().for_listing().order_by("starts_at", "pk")[:50]
        )
        for session in sessions:
            session.localized_course = self
        return sessions

    def practices(self):
        """The linked practices in this course's language (an editor may have picked another language's page,
        and linked them on another language version of the course: this page's own links come first)."""
        from cms.models import PracticePage

        links = CoursePracticeLink.objects.filter(course__translation_key=self.translation_key).order_by(
            Case(When(course_id=self.pk, then=0), default=1), "sort_order", "pk"
        )
        keys = list(links.values_list("practice__translation_key", flat=True))
        if not keys:
            return []
        pages = {
            page.translation_key: page
            for page in PracticePage.objects.live()
            .public()
            .filter(locale_id=self.locale_id, translation_key__in=keys)
            .select_related("municipality")
        }
        return [pages[key] for key in dict.fromkeys(keys) if key in pages]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sessions"] = self.upcoming_sessions()
        context["index_page"] = self.get_parent()
        context["practices"] = self.practices()
        return context


class CoursePracticeLinkManager(models.Manager):
    def teaching(self):
        """Called from a practice page as `page.course_links.teaching` (cms templates know only the reverse
        relation): the live courses in the practice's language any language version of which links any
        language version of the practice."""
        practice = getattr(self, "instance", None)
        if practice is None:
            return CoursePage.objects.none()
        linking = CoursePracticeLink.objects.filter(practice__translation_key=practice.translation_key)
        return (
            CoursePage.objects.live()
            .public()
            .filter(locale_id=practice.locale_id, translation_key__in=linking.values("course__translation_key"))
            .order_by("title", "pk")[:COURSES_PER_PRACTICE]
        )


COURSES_PER_PRACTICE = 10


class CoursePracticeLink(Orderable):
    """A best practice a course teaches from; the practice page lists the course in return.

    The relation lives in courses, which knows cms; cms never imports it (its template reads the reverse
    relation `course_links`)."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="practice_links")
    practice = models.ForeignKey(
        "cms.PracticePage", verbose_name=_("practice"), on_delete=models.CASCADE, related_name="course_links"
    )

    objects = CoursePracticeLinkManager()
    panels = [FieldPanel("practice")]

    class Meta(Orderable.Meta):
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        constraints = [models.UniqueConstraint(fields=["course", "practice"], name="unique_course_practice")]
