"""The site's general pages: a home page per language, standard pages and news."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import BaseStreamBlock


class HomePage(Page):
    """The root of each language's tree; one per locale."""

    intro = models.TextField(_("introduction"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    call_to_action = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("call to action page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("For example the course catalogue."),
    )
    call_to_action_text = models.CharField(_("call to action text"), max_length=100, blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        MultiFieldPanel([FieldPanel("call_to_action"), FieldPanel("call_to_action_text")], heading=_("Call to action")),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = NewsPage.objects.live().public().filter(locale=self.locale).order_by("-date")[:3]
        context["content_sections"] = self.content_sections()
        return context

    def content_sections(self):
        """The best-practice portal, the journal archive and the contest under this home page, for its links."""
        from cms.models.contest import ContestPage
        from cms.models.journal import JournalIndexPage
        from cms.models.practices import PracticeIndexPage

        sections = Page.objects.live().public().child_of(self).type(PracticeIndexPage, JournalIndexPage, ContestPage)
        return list(sections.specific().order_by("path"))


class StandardPage(Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("standard page")


class NewsIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    subpage_types = ["cms.NewsPage"]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("news index page")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.live().public().child_of(self).order_by("-date", "-pk")
        context["news"] = Paginator(news, 10).get_page(request.GET.get("page"))
        return context


class NewsPage(Page):
    date = models.DateField(_("date"))
    intro = models.TextField(_("introduction"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("news page")
        indexes = [models.Index(fields=["date"], name="newspage_date")]
