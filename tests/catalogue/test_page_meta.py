"""Every public page describes itself to search engines and link previews (templates/includes/meta.html)."""

import datetime
import html
import re

import pytest
from django.utils import translation

from cms.models import NewsIndexPage, NewsPage, StandardPage
from tests import factories
from tests.certificates.conftest import wagtail_image

pytestmark = pytest.mark.django_db


def meta(body):
    head = body.split("</head>", 1)[0]
    tags = {}
    for name, content in re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"', head):
        tags.setdefault(name, []).append(html.unescape(content))
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', head))
    return {name: values[0] if len(values) == 1 else values for name, values in tags.items()}, alternates


def check(client, path, *, title, description, kind="website", image=False):
    response = client.get(path)
    assert response.status_code == 200, path
    tags, alternates = meta(response.content.decode())
    language = path.split("/")[1] if path.split("/")[1] in ("ky", "ru", "en") else "ky"
    assert tags["og:title"] == title
    assert tags["description"] == tags["og:description"] and description in tags["description"]
    assert tags["og:type"] == kind
    assert tags["og:url"].startswith("http://testserver/")
    assert tags["og:locale"] == {"ky": "ky_KG", "ru": "ru_RU", "en": "en_US"}[language]
    assert sorted(tags["og:locale:alternate"]) == sorted({"ky_KG", "ru_RU", "en_US"} - {tags["og:locale"]})
    assert set(alternates) == {"ky", "ru", "en", "x-default"}
    assert alternates["x-default"] == alternates["ky"]
    assert all(url.startswith("http://testserver/") for url in alternates.values())
    if image:
        assert re.match(r"http://testserver/.+\.(png|jpg|jpeg|webp)$", tags["og:image"]), tags["og:image"]
    else:
        assert "og:image" not in tags
    return tags, alternates


def test_home_pages_in_each_language_point_at_each_other(client, homes):
    homes["ru"].intro = "Академия для муниципальных служащих"
    homes["ru"].save_revision().publish()
    tags, alternates = check(client, "/ru/", title="Академия", description="Академия для муниципальных служащих")
    assert tags["og:url"] == alternates["ru"] == "http://testserver/ru/"
    assert alternates["en"] == "http://testserver/en/" and alternates["ky"] == "http://testserver/ky/"


def test_home_page_without_an_intro_still_has_a_description(client, homes):
    with translation.override("ky"):
        fallback = translation.gettext(
            "Trainings for municipal servants, local council deputies and activists of Kyrgyzstan, with certificates."
        )
    check(client, "/ky/", title="Академия", description=fallback)


def test_standard_page_prefers_its_search_description(client, homes):
    page = StandardPage(title="Биз жөнүндө", slug="about", intro="Киришүү", search_description="Академия жөнүндө")
    homes["ky"].add_child(instance=page)
    page.save_revision().publish()
    tags, _alternates = check(client, "/ky/about/", title="Биз жөнүндө", description="Академия жөнүндө")
    assert "Киришүү" not in tags["description"]


def test_news_page_is_an_article_with_its_image(client, homes):
    index = NewsIndexPage(title="Жаңылыктар", slug="news", intro="Академиянын жаңылыктары")
    homes["ky"].add_child(instance=index)
    index.save_revision().publish()
    news = NewsPage(
        title="Жаңы курс",
        slug="new-course",
        date=datetime.date(2026, 12, 1),
        intro="Баткенде жаңы курс башталды.",
        image=wagtail_image("news.png", size=(1600, 900)),
    )
    index.add_child(instance=news)
    news.save_revision().publish()
    check(client, "/ky/news/", title="Жаңылыктар", description="Академиянын жаңылыктары")
    check(
        client, "/ky/news/new-course/", title="Жаңы курс", description="Баткенде жаңы курс", kind="article", image=True
    )


def test_course_index_course_and_session_pages(client, course, trainer):
    course.summary = "Кызмат көрсөтүүлөрдүн сапаты жөнүндө курс."
    course.save_revision().publish()
    check(client, "/ky/courses/", title="Курстар", description="")
    check(client, course.url, title=course.title, description="Кызмат көрсөтүүлөрдүн сапаты")
    session = factories.make_session(course, trainers=[trainer])
    session.save()
    tags, alternates = check(
        client, f"/ky/sessions/{session.pk}/", title=course.title, description="Кызмат көрсөтүүлөрдүн сапаты"
    )
    assert "2026" in tags["description"]  # when it takes place
    assert alternates["ru"] == f"http://testserver/ru/sessions/{session.pk}/"


def test_a_long_description_is_cut_for_previews(client, homes):
    homes["en"].intro = "word " * 200
    homes["en"].save_revision().publish()
    tags, _alternates = check(client, "/en/", title="Academy", description="word word")
    assert len(tags["description"]) <= 200
