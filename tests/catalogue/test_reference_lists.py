"""Reference lists (course topics, audiences, organisation kinds) read in the page's language."""

import re

import pytest
from django.utils import translation

from academy.models import OrganizationKind, Region
from courses.models import Audience, Topic
from tests import factories

pytestmark = pytest.mark.django_db

LATIN = re.compile(r"[A-Za-z]")


def test_topics_ship_with_three_names():
    topics = Topic.objects.all()
    assert topics.count() >= 26
    for topic in topics:
        assert topic.name_ky and topic.name_ru and topic.name_en, topic.code
        assert not LATIN.search(topic.name_ky + topic.name_ru), topic.code
    procurement = Topic.objects.get(code="public-procurement")
    with translation.override("ky"):
        assert str(procurement) == "Мамлекеттик сатып алуулар"
    with translation.override("ru"):
        assert str(procurement) == "Государственные закупки"


@pytest.fixture
def course_with_topics(course):
    from cms.services.site import translate_page

    course.topics.set(Topic.objects.filter(code__in=["tariffs", "local-budgets"]))
    course.save_revision().publish()
    translate_page(course, "ru", title="Муниципальные услуги")
    translate_page(course, "en", title="Municipal services")
    return course


@pytest.mark.parametrize(
    ("language", "expected", "foreign"),
    [
        ("ky", ["Жергиликтүү бюджет", "Тарифтер"], ["Tariffs", "Тарифы"]),
        ("ru", ["Местный бюджет", "Тарифы"], ["Tariffs", "Тарифтер"]),
        ("en", ["Local budgets", "Tariffs"], ["Тарифы", "Тарифтер"]),
    ],
)
def test_course_page_card_and_filter_name_topics_in_the_page_language(
    client, course_with_topics, language, expected, foreign
):
    from wagtail.models import Locale

    page = course_with_topics.get_translation(Locale.objects.get(language_code=language))
    course_page = client.get(page.url).content.decode()
    catalogue_page = client.get(page.get_parent().url).content.decode()
    for body in (course_page, catalogue_page):
        for name in expected:
            assert name in body
        for name in foreign:
            assert name not in body
    options = re.search(r'<select name="topic"[^>]*>(.*?)</select>', catalogue_page, re.S).group(1)
    labels = re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', options)
    assert [label for _code, label in labels] == sorted(expected)
    assert {code for code, _label in labels} == {"tariffs", "local-budgets"}


def test_the_topic_filter_keeps_its_codes(client, course_with_topics, course_index):
    body = client.get(course_index.url + "?topic=tariffs").content.decode()
    assert course_with_topics.title in body
    other = factories.make_course(course_index, title="Башка курс")
    assert other.title not in client.get(course_index.url + "?topic=tariffs").content.decode()


def test_the_api_names_topics_in_the_requested_language(api_client, course_with_topics):
    rows = api_client.get("/api/v1/courses/?locale=ru", HTTP_ACCEPT_LANGUAGE="ru").json()["results"]
    assert rows[0]["topics"] == [
        {"code": "local-budgets", "name": "Местный бюджет"},
        {"code": "tariffs", "name": "Тарифы"},
    ]
    kyrgyz = api_client.get("/api/v1/courses/?locale=ky&topic=tariffs", HTTP_ACCEPT_LANGUAGE="ky").json()
    assert [row["id"] for row in kyrgyz["results"]] == [course_with_topics.pk]
    assert {topic["name"] for topic in kyrgyz["results"][0]["topics"]} == {"Жергиликтүү бюджет", "Тарифтер"}


def test_reference_lists_order_by_the_reader_language():
    with translation.override("ky"):
        kyrgyz = [region.name for region in Region.objects.filter(kind="oblast").by_name()]
    # By the English names Chui would come second.
    assert kyrgyz[:2] == ["Баткен облусу", "Жалал-Абад облусу"]
    with translation.override("en"):
        english = [topic.name for topic in Topic.objects.by_name()]
    assert (english[0], english[-1]) == ("Access to information", "Women's leadership")


def test_organisation_kinds_and_audiences_are_translated():
    with translation.override("ky"):
        assert OrganizationKind.AYIL_OKMOTU.label == "Айыл өкмөтү"
        assert Audience.objects.get(code="lsg_heads").name == "ЖӨБ органдарынын башчылары"
    with translation.override("ru"):
        assert str(OrganizationKind.LOCAL_COUNCIL.label) == "Местный кенеш"


def test_academy_admins_keep_the_topic_list_and_trainers_do_not(client, admin_user, trainer):
    client.force_login(admin_user)
    assert client.get("/admin/snippets/courses/topic/").status_code == 200
    response = client.post(
        "/admin/snippets/courses/topic/add/",
        {"code": "water-supply", "name_ky": "Суу менен камсыздоо", "name_ru": "Водоснабжение", "name_en": "Water supply"},
    )
    assert response.status_code == 302
    assert Topic.objects.filter(code="water-supply").exists()
    client.force_login(trainer)
    assert client.get("/admin/snippets/courses/topic/").status_code in (302, 403)
