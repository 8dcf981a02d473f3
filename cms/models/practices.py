"""The LSG Best Practices Portal: one page per case, under an index filtered by place, topic and year.

A practice belongs to a municipality, so its district and oblast follow from the reference geography
(academy). Its fields are plain (text, a few lists) rather than one free body, so that a submission form
for the yearly contest can later fill a draft page that editors review in a Wagtail workflow.
"""

from django import forms
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from academy.models import Municipality
from academy.models.i18n import TranslatedNameMixin
from cms.blocks import DocumentListBlock, GalleryBlock, ResultsBlock

from .base import CachedContentPage, TextLanguageMixin

FIRST_YEAR = 1991  # local self-government as the portal knows it starts with independence
LAST_YEAR = 2100
TEXT_FEATURES = ["bold", "italic", "link", "ul", "ol"]


class PracticeTopic(TranslatedNameMixin):
    """What a practice is about (citizens' budget, women's leadership, water supply, ...).

    The portal's own list, kept apart from the course topics of the catalogue: the site-content app knows
    nothing of courses.
    """

    code = models.SlugField(_("code"), max_length=100, unique=True, help_text=_("In index links: ?topic=code"))

    panels = [FieldPanel("code"), FieldPanel("name_ky"), FieldPanel("name_ru"), FieldPanel("name_en")]

    class Meta:
        ordering = ["name_ky"]
        verbose_name = _("practice topic")
        verbose_name_plural = _("practice topics")


class PracticeIndexPage(CachedContentPage):
    """The portal's front page: practices of its language, filtered by oblast, topic, year and municipality kind."""

    intro = models.TextField(_("introduction"), blank=True)

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.PracticePage"]
    max_count_per_parent = 1
    content_panels = Page.content_panels + [FieldPanel("intro")]
    paginate_by = 12

    class Meta:
        verbose_name = _("best practices index")

    def practices(self):
        """Live practices of this index, with what a card shows, in a fixed number of queries."""
        return (
            PracticePage.objects.live()
            .public()
            .child_of(self)
            .select_related("municipality__district__region", "image")
            .prefetch_related(
                Prefetch("topics", queryset=PracticeTopic.objects.by_name()),
                "image__renditions",
            )
        )

    def get_context(self, request, *args, **kwargs):
        from cms.filters import PracticeFilter

        context = super().get_context(request, *args, **kwargs)
        practices = self.practices()
        filterset = PracticeFilter(request.GET or None, queryset=practices, request=request, index=self)
        queryset = filterset.qs.order_by("-year", "title", "pk")
        page = Paginator(queryset, self.paginate_by).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        context.update(
            filter=filterset,
            practices=page,
            filter_querystring=params.urlencode(),
            has_filters=bool(params),
            active_filters=filterset.active_count(),
        )
        return context


class PracticePage(TextLanguageMixin, CachedContentPage):
    """One case of the portal: where, when, the problem, what was done, what it changed, who helped."""

    summary = models.TextField(_("summary"), help_text=_("Two or three sentences for the index and for sharing."))
    municipality = models.ForeignKey(
        "academy.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Its district and oblast follow from it."),
    )
    topics = ParentalManyToManyField(PracticeTopic, blank=True, verbose_name=_("topics"))
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
        help_text=_("When the practice was carried out (or began)."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("main photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown on the index and when the page is shared."),
    )
    problem = RichTextField(_("the problem"), features=TEXT_FEATURES)
    what_was_done = RichTextField(_("what was done"), features=TEXT_FEATURES)
    results = StreamField(ResultsBlock(), verbose_name=_("results"), blank=True)
    partners = models.TextField(_("partners"), blank=True, help_text=_("One partner a line."))
    funding_project = models.ForeignKey(
        "academy.FundingProject",
        verbose_name=_("funding project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    photos = StreamField(GalleryBlock(), verbose_name=_("photos"), blank=True)
    documents = StreamField(DocumentListBlock(), verbose_name=_("documents"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_position = models.CharField(_("position"), max_length=200, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)

    parent_page_types = ["cms.PracticeIndexPage"]
    subpage_types = []

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("problem"),
        index.SearchField("what_was_done"),
        index.AutocompleteField("title"),
        index.FilterField("locale_id"),
        index.FilterField("year"),
        index.RelatedFields(
            "topics", [index.SearchField("name_ky"), index.SearchField("name_ru"), index.SearchField("name_en")]
        ),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("municipality"),
                FieldPanel("year"),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("funding_project"),
            ],
            heading=_("Where, when, what about"),
        ),
        FieldPanel("image"),
        FieldPanel("text_language"),
        FieldPanel("problem"),
        FieldPanel("what_was_done"),
        FieldPanel("results"),
        FieldPanel("partners"),
        FieldPanel("photos"),
        FieldPanel("documents"),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("contact_position"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_email"),
            ],
            heading=_("Contact"),
        ),
    ]

    class Meta:
        verbose_name = _("best practice")
        verbose_name_plural = _("best practices")
        indexes = [models.Index(fields=["year"], name="practicepage_year")]

    @property
    def partner_list(self):
        return [line.strip() for line in self.partners.splitlines() if line.strip()]

    @property
    def has_contact(self):
        return any((self.contact_name, self.contact_phone, self.contact_email))

    def get_context(self, request, *args, **kwargs):
        from cms.models.journal import ArticlePage

        context = super().get_context(request, *args, **kwargs)
        context["index_page"] = self.get_parent()
        # One query for the place with its district and oblast, rather than one per hop.
        context["municipality"] = Municipality.objects.select_related("district__region").get(pk=self.municipality_id)
        # A preview renders a revision, whose topics are an in-memory list with no custom QuerySet methods.
        context["topics"] = sorted(self.topics.all(), key=lambda topic: (str(topic.name), topic.pk))
        context["articles"] = ArticlePage.about_practice(self)
        return context
