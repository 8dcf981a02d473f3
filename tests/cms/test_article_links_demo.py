"""courses/demo/article_links.py: the seeded courses list the seeded articles that speak of the same things; idempotent."""

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_the_demo_ties_the_tariff_and_budget_courses_to_their_articles_once(client):
    from academy import demo as academy_demo
    from cms.demo import journal, practices, site
    from courses.demo import article_links, catalogue
    from courses.models import CourseArticleLink

    context = {"now": timezone.now(), "stdout": None}
    for module in (academy_demo, site, practices, journal, catalogue, article_links):
        module.seed(context)
    tariffs = context["courses"]["municipal-service-tariffs"]
    html = client.get(tariffs.url).content.decode()
    assert "«Муниципалитет» журналында" in html
    assert "Баткенде муниципалдык кызмат көрсөтүүлөргө" in html
    budget = client.get(context["courses"]["local-budget-public-hearings"].url).content.decode()
    assert "Бишкек шаарын өнүктүрүү стратегиясы" in budget
    count = CourseArticleLink.objects.count()
    assert count >= 8
    article_links.seed(context)
    assert CourseArticleLink.objects.count() == count
