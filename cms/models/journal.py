"""The Municipalitet journal: issues (number, date, cover, PDF of the whole issue) made of article pages.

The tree is index -> issue -> article, so an issue's table of contents is its children in the editors'
order, and the archive is the index's issues grouped by year.
"""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from academy.models.i18n import TranslatedNameMixin
from cms.blocks import ArticleStreamBlock
from cms.forms import JournalIssueForm

from .base import CachedContentPage, TextLanguageMixin
from .practices import PracticePage

ARTICLE_PRACTICES_SHOWN = 10


class JournalRubric(TranslatedNameMixin):
    """A standing section of the journal (Editorial, Government strategies, Local development strategies, ...)."""

    code = models.SlugField(_("code"), max_length=100, unique=True)

    panels = [FieldPanel("code"), FieldPanel("name_ky"), FieldPanel("name_ru"), FieldPanel("name_en")]

    class Meta:
        ordering = ["name_ky"]
        verbose_name = _("journal rubric")
        verbose_name_plural = _("journal rubrics")


class ArchiveForm(forms.Form):
    """?year= on the archive: one of the years that have issues."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Latest"))] + [(year, year) for year in years]


class JournalIndexPage(CachedContentPage):
    """The journal's archive: its issues, one year at a time (the latest year first)."""

    intro = models.TextField(_("introduction"), blank=True)

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.JournalIssuePage"]
    max_count_per_parent = 1
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("journal archive")

    def issues(self):
        return JournalIssuePage.objects.live().public().child_of(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        years = list(self.issues().dates("date", "year", order="DESC"))
        years = [day.year for day in years]
        form = ArchiveForm(request.GET or None, years=years)
        year = form.cleaned_data.get("year") if form.is_bound and form.is_valid() else None
        year = year or (years[0] if years else None)
        issues = (
            self.issues()
            .filter(date__year=year)
            .select_related("image", "pdf")
            .prefetch_related("image__renditions")
            .order_by("-date", "-number")
            if year
            else JournalIssuePage.objects.none()
        )
        context.update(form=form, years=years, year=year, issues=issues)
        return context


class JournalIssuePage(CachedContentPage):
    """One issue: its number, date, cover and the PDF of the whole issue; its articles are its children."""

    number = models.PositiveSmallIntegerField(
        _("number in the year"), validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    overall_number = models.PositiveIntegerField(
        _("running number"), null=True, blank=True, help_text=_("Counted since the first issue; printed in brackets.")
    )
    date = models.DateField(_("date of issue"))
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pdf = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("PDF of the whole issue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(_("in this issue"), blank=True)

    parent_page_types = ["cms.JournalIndexPage"]
    subpage_types = ["cms.ArticlePage"]
    base_form_class = JournalIssueForm

    search_fields = Page.search_fields + [index.SearchField("summary"), index.FilterField("date")]
    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("number"), FieldPanel("overall_number"), FieldPanel("date")], heading=_("Issue")),
        FieldPanel("image"),
        FieldPanel("pdf"),
        FieldPanel("summary"),
    ]

    class Meta:
        verbose_name = _("journal issue")
        verbose_name_plural = _("journal issues")
        indexes = [models.Index(fields=["date"], name="journalissuepage_date")]

    def articles(self):
        return ArticlePage.objects.live().public().child_of(self).select_related("rubric").order_by("path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = self.articles()
        context["index_page"] = self.get_parent()
        return context


class ArticlePage(TextLanguageMixin, CachedContentPage):
    """An article of an issue: authors, rubric, the language it is written in, its body, the practices it tells of."""

    authors = models.CharField(_("authors"), max_length=255, blank=True, help_text=_("Names separated by commas."))
    rubric = models.ForeignKey(
        JournalRubric, verbose_name=_("rubric"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.TextField(_("summary"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(ArticleStreamBlock(), verbose_name=_("body"), blank=True)

    parent_page_types = ["cms.JournalIssuePage"]
    subpage_types = []

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("authors"),
        index.AutocompleteField("title"),
        index.FilterField("locale_id"),
    ]
    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("authors"), FieldPanel("rubric"), FieldPanel("text_language")], heading=_("Article")
        ),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
        InlinePanel("practice_links", label=_("Practices this article tells of"), heading=_("Best practices")),
    ]

    class Meta:
        verbose_name = _("journal article")
        verbose_name_plural = _("journal articles")

    @property
    def author_list(self):
        return [name.strip() for name in self.authors.split(",") if name.strip()]

    def practices(self):
        """The linked practices in this article's language (an editor may have chosen another language's page)."""
        keys = list(self.practice_links.order_by("sort_order").values_list("practice__translation_key", flat=True))
        if not keys:
            return []
        pages = {
            page.translation_key: page
            for page in PracticePage.objects.live().public().filter(locale_id=self.locale_id, translation_key__in=keys)
        }
        return [pages[key] for key in dict.fromkeys(keys) if key in pages]

    @classmethod
    def about_practice(cls, practice):
        """Live articles, in the practice's language, that tell of it (whichever translation they link)."""
        return list(
            cls.objects.live()
            .public()
            .filter(locale_id=practice.locale_id, practice_links__practice__translation_key=practice.translation_key)
            .select_related("rubric")
            .distinct()
            .order_by("-first_published_at", "pk")[:ARTICLE_PRACTICES_SHOWN]
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["issue"] = self.get_parent().specific
        context["practices"] = self.practices()
        return context


class ArticlePracticeLink(Orderable):
    """A practice an article tells of; the practice page lists the article in return."""

    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="practice_links")
    practice = models.ForeignKey(
        PracticePage, verbose_name=_("practice"), on_delete=models.CASCADE, related_name="article_links"
    )

    panels = [FieldPanel("practice")]

    class Meta(Orderable.Meta):
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        constraints = [models.UniqueConstraint(fields=["article", "practice"], name="unique_article_practice")]
