"""Demo: tie seeded courses to the seeded journal articles that speak of the same things (courses.models.article_links).

Runs after the catalogue (30) and the journal (cms, 26). A course that has article links keeps them (editors may
have changed them), so running it again changes nothing.
"""

ORDER = 31

#: The demo journal articles (cms/data/journal.py) each course draws on, by slug.
COURSE_ARTICLES = {
    "municipal-service-tariffs": ["batken-municipal-services-trainings", "union-of-lsg-projects"],
    "local-budget-public-hearings": ["conference-better-living-conditions", "bishkek-city-and-citizens"],
    "inclusive-development-planning": [
        "mountain-municipalities-strategies",
        "belovodsk-new-strategy",
        "new-strategies-editorial",
    ],
    "social-accountability-municipal-services": ["batken-municipal-services-trainings", "dpi-2021-review"],
    "joint-monitoring-evaluation": ["dpi-2021-review"],
}


def seed(context):
    from cms.models import ArticlePage
    from courses.models import CourseArticleLink, CoursePage

    courses = context.get("courses") or {}
    articles = {page.slug: page for page in ArticlePage.objects.filter(locale__language_code="ky")}
    linked = 0
    for slug, wanted in COURSE_ARTICLES.items():
        course = courses.get(slug)
        if course is None or CourseArticleLink.objects.filter(course__translation_key=course.translation_key).exists():
            continue
        course = CoursePage.objects.get(pk=course.pk)
        course.article_links = [
            CourseArticleLink(article=articles[name], sort_order=order)
            for order, name in enumerate(wanted)
            if name in articles
        ]
        if not course.article_links.all():
            continue
        course.save_revision().publish()
        linked += len(course.article_links.all())
    return f"{linked} course-article links"
