"""Journal articles a course draws on; the article page lists the course in return (CourseArticleLink).

The relation lives in courses, which knows cms; cms never imports it: the article template reads the reverse
relation `course_links` (`page.course_links.related`). Links are edited and saved with their course (a panel
of the course page), as the course-practice links are (courses/models/catalogue.py, CoursePracticeLink).
"""

from django.db import models
from django.db.models import Case, When
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from .catalogue import CoursePage

COURSES_PER_ARTICLE = 10
ARTICLES_PER_COURSE = 10


class CourseArticleLinkManager(models.Manager):
    def related(self):
        """Called from an article page as `page.course_links.related`: the live, public courses in the article's
        language any language version of which links any language version of the article."""
        article = getattr(self, "instance", None)
        if article is None:
            return CoursePage.objects.none()
        linking = CourseArticleLink.objects.filter(article__translation_key=article.translation_key)
        return (
            CoursePage.objects.live()
            .public()
            .filter(locale_id=article.locale_id, translation_key__in=linking.values("course__translation_key"))
            .order_by("title", "pk")[:COURSES_PER_ARTICLE]
        )


class CourseArticleLink(Orderable):
    """A journal article a course draws on (an editor picks it on the course page)."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="article_links")
    article = models.ForeignKey(
        "cms.ArticlePage", verbose_name=_("journal article"), on_delete=models.CASCADE, related_name="course_links"
    )

    objects = CourseArticleLinkManager()
    panels = [FieldPanel("article")]

    class Meta(Orderable.Meta):
        verbose_name = _("journal article")
        verbose_name_plural = _("journal articles")
        constraints = [models.UniqueConstraint(fields=["course", "article"], name="unique_course_article")]


def articles_of(course):
    """The linked articles in the course's language, live and public, in the editors' order (this language
    version's own links first: an editor may have linked them on another language version)."""
    from cms.models import ArticlePage

    links = CourseArticleLink.objects.filter(course__translation_key=course.translation_key).order_by(
        Case(When(course_id=course.pk, then=0), default=1), "sort_order", "pk"
    )
    keys = list(links.values_list("article__translation_key", flat=True)[:50])
    if not keys:
        return []
    pages = {
        page.translation_key: page
        for page in ArticlePage.objects.live()
        .public()
        .filter(locale_id=course.locale_id, translation_key__in=keys)
        .select_related("rubric")
    }
    return [pages[key] for key in dict.fromkeys(keys) if key in pages][:ARTICLES_PER_COURSE]
