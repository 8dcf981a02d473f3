"""The site content's providers: best practices, journal articles and news (cms knows only academy)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from cms.search.registry import PageProvider, register
from cms.search.text import join_text


class PracticeProvider(PageProvider):
    kind = "practice"
    label = _("Best practice")
    label_plural = _("Best practices")
    boost = 1.2
    order = 20

    @property
    def model(self):
        from cms.models import PracticePage

        return PracticePage

    def queryset(self):
        from cms.models import PracticeTopic

        return (
            super()
            .queryset()
            .select_related("municipality__district")
            .prefetch_related(Prefetch("topics", queryset=PracticeTopic.objects.order_by("pk")))
        )

    def body(self, page):
        topics = [f"{topic.name_ky} {topic.name_ru} {topic.name_en}" for topic in page.topics.all()]
        place = page.municipality
        return join_text(
            page.summary,
            " ".join(topics),
            f"{place.name_ky} {place.name_ru}",
            page.problem,
            page.what_was_done,
            page.results,
            page.partners,
        )

    def region_id(self, page):
        return page.municipality.district.region_id

    def year(self, page):
        return page.year


class ArticleProvider(PageProvider):
    kind = "article"
    label = _("Journal article")
    label_plural = _("Journal articles")
    boost = 1.1
    order = 30

    @property
    def model(self):
        from cms.models import ArticlePage

        return ArticlePage

    def queryset(self):
        return super().queryset().select_related("rubric")

    def body(self, page):
        rubric = page.rubric
        return join_text(page.authors, page.summary, rubric and f"{rubric.name_ky} {rubric.name_ru}", page.body)

    def region_id(self, page):
        # The oblast of the first practice the article tells of, so "Batken" also finds articles about it.
        link = page.practice_links.order_by("sort_order").values_list(
            "practice__municipality__district__region_id", flat=True
        )
        return link.first()

    def year(self, page):
        from cms.models import JournalIssuePage

        issue_date = (
            JournalIssuePage.objects.filter(path=page.path[: -page.steplen]).values_list("date", flat=True).first()
        )
        return issue_date.year if issue_date else None


class NewsProvider(PageProvider):
    kind = "news"
    label = _("News")
    label_plural = _("News")
    boost = 0.9
    order = 50

    @property
    def model(self):
        from cms.models import NewsPage

        return NewsPage

    def body(self, page):
        return join_text(page.intro, page.body)

    def year(self, page):
        return page.date.year if page.date else None


def register_site_content():
    for provider in (PracticeProvider(), ArticleProvider(), NewsProvider()):
        register(provider)
