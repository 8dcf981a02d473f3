"""Where practice and journal pages may be created, and how editors add them in the admin."""

from datetime import date

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import (
    ArticlePage,
    HomePage,
    JournalIndexPage,
    JournalIssuePage,
    NewsIndexPage,
    PracticeIndexPage,
    PracticePage,
    StandardPage,
)
from tests.cms.conftest import make_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(admin_user)
    return client


def test_the_portal_and_the_journal_hang_under_a_home_page_once_each(homes, practice_index, journal):
    home = HomePage.objects.get(pk=homes["ky"].pk)  # the fixture's object predates its children
    assert PracticeIndexPage.can_create_at(home) is False  # max_count_per_parent = 1, and it exists
    assert JournalIndexPage.can_create_at(home) is False
    assert PracticeIndexPage.can_create_at(homes["ru"]) is True  # a language's own tree may have one
    for model in (PracticeIndexPage, JournalIndexPage):
        assert model.allowed_parent_page_models() == [HomePage]


def test_practices_live_only_in_the_portal_and_have_no_children(practice_index, practices, journal):
    assert PracticePage.allowed_parent_page_models() == [PracticeIndexPage]
    assert PracticeIndexPage.allowed_subpage_models() == [PracticePage]
    assert PracticePage.allowed_subpage_models() == []
    assert PracticePage.can_create_at(practice_index)
    for elsewhere in (journal["index"], journal["old"], practices["kyshtut"]):
        assert not PracticePage.can_create_at(elsewhere)


def test_the_journal_is_index_then_issue_then_article(journal):
    assert JournalIndexPage.allowed_subpage_models() == [JournalIssuePage]
    assert JournalIssuePage.allowed_parent_page_models() == [JournalIndexPage]
    assert JournalIssuePage.allowed_subpage_models() == [ArticlePage]
    assert ArticlePage.allowed_parent_page_models() == [JournalIssuePage]
    assert ArticlePage.allowed_subpage_models() == []
    assert ArticlePage.can_create_at(journal["old"]) and not ArticlePage.can_create_at(journal["index"])


def test_the_home_page_still_takes_general_pages(homes):
    for model in (StandardPage, NewsIndexPage, PracticeIndexPage, JournalIndexPage):
        assert model in HomePage.allowed_subpage_models()


def test_an_editor_adds_a_practice_in_the_admin(admin_client, practice_index, topics):
    from academy.models import Municipality

    photo = make_photo("works")
    url = reverse("wagtailadmin_pages:add", args=["cms", "practicepage", practice_index.pk])
    assert admin_client.get(url).status_code == 200
    data = nested_form_data(
        {
            "title": "Кашка-Суу: мониторинг тобу",
            "slug": "kashka-suu-monitoring",
            "summary": "Жумушчу топ долбоорлорго мониторинг жүргүзөт.",
            "municipality": Municipality.objects.get(code="kashka_suu").pk,
            "year": 2013,
            "image": photo.pk,
            "text_language": "ky",
            "problem": rich_text("<p>Мониторинг жок болчу.</p>"),
            "what_was_done": rich_text("<p>Топ түзүлдү.</p>"),
            "results": streamfield(
                [("figures", {"count": 1, "0": {"value": {"value": "30", "label": "мүчө"}, "deleted": "", "order": 0}})]
            ),
            "partners": "MSDSP KG\nӨнүктүрүү саясат институту",
            "photos": streamfield([("photo", {"image": photo.pk, "caption": "Жыйын"})]),
            "documents": streamfield([]),
            "contact_name": "Өмүрбек Шаншоев",
            "action-publish": "publish",
        }
    )
    data["topics"] = [topics["water"].pk]  # a multiple choice: nested_form_data would number it
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    practice = PracticePage.objects.get(slug="kashka-suu-monitoring")
    assert practice.live and practice.get_parent().pk == practice_index.pk
    assert list(practice.topics.all()) == [topics["water"]]
    assert practice.results[0].value[0]["value"] == "30" and practice.photos[0].value["caption"] == "Жыйын"


def test_a_practice_without_municipality_or_a_year_out_of_range_is_refused(admin_client, practice_index):
    url = reverse("wagtailadmin_pages:add", args=["cms", "practicepage", practice_index.pk])
    data = nested_form_data(
        {
            "title": "Тажрыйба",
            "slug": "bad-practice",
            "summary": "Кыскача.",
            "year": 1900,
            "text_language": "ky",
            "problem": rich_text("<p>Көйгөй.</p>"),
            "what_was_done": rich_text("<p>Иш.</p>"),
            "results": streamfield([]),
            "photos": streamfield([]),
            "documents": streamfield([]),
            "action-publish": "publish",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "municipality" in errors and "year" in errors
    assert not PracticePage.objects.filter(slug="bad-practice").exists()


def test_an_editor_adds_an_issue_and_an_article_linking_a_practice(admin_client, journal, practices):
    index = journal["index"]
    issue_url = reverse("wagtailadmin_pages:add", args=["cms", "journalissuepage", index.pk])
    response = admin_client.post(
        issue_url,
        nested_form_data(
            {
                "title": "№1, 2024",
                "slug": "2024-01",
                "number": 1,
                "date": "2024-01-25",
                "summary": "Баткендеги тренингдер.",
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302
    issue = JournalIssuePage.objects.get(slug="2024-01")
    article_url = reverse("wagtailadmin_pages:add", args=["cms", "articlepage", issue.pk])
    response = admin_client.post(
        article_url,
        nested_form_data(
            {
                "title": "Баткенде тренингдер өттү",
                "slug": "batken-trainings",
                "authors": "Мирлан Молдобеков",
                "rubric": journal["rubric"].pk,
                "text_language": "ky",
                "summary": "Беш айылдык аймак.",
                "body": streamfield([("paragraph", rich_text("<p>Тренинг.</p>"))]),
                "practice_links": inline_formset([{"practice": practices["kyshtut"].pk}]),
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302
    article = ArticlePage.objects.get(slug="batken-trainings")
    assert article.get_parent().pk == issue.pk and [p.pk for p in article.practices()] == [practices["kyshtut"].pk]


def test_a_second_issue_with_the_same_number_in_a_year_is_refused(admin_client, journal):
    url = reverse("wagtailadmin_pages:add", args=["cms", "journalissuepage", journal["index"].pk])
    response = admin_client.post(
        url,
        nested_form_data(
            {
                "title": "Дагы №12",
                "slug": "2013-12-bis",
                "number": 12,
                "date": "2013-12-01",
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 200
    assert "number" in response.context["form"].errors
    assert JournalIssuePage.objects.filter(date__year=2013, number=12).count() == 1
    assert JournalIssuePage.objects.get(slug="2013-12").date == date(2013, 12, 20)


def test_topics_and_rubrics_are_kept_under_portal_and_journal_in_the_admin(admin_client, topics, journal):
    for name in ("wagtailsnippets_cms_practicetopic:list", "wagtailsnippets_cms_journalrubric:list"):
        response = admin_client.get(reverse(name))
        assert response.status_code == 200
    assert "Water supply" in admin_client.get(reverse("wagtailsnippets_cms_practicetopic:list")).content.decode()


@pytest.mark.parametrize("who", ["trainer", "participant", "anonymous"])
def test_people_who_do_not_edit_content_cannot_add_practices_or_keep_the_lists(client, practice_index, topics, who):
    from cms.models import PracticeTopic
    from tests import factories

    if who != "anonymous":
        client.force_login(factories.trainer() if who == "trainer" else factories.participant())
    add = reverse("wagtailadmin_pages:add", args=["cms", "practicepage", practice_index.pk])
    response = client.post(add, {"title": "Тажрыйба", "slug": "sneaky", "action-publish": "publish"})
    assert response.status_code in (302, 403) and not PracticePage.objects.filter(slug="sneaky").exists()
    response = client.post(
        reverse("wagtailsnippets_cms_practicetopic:add"),
        {"code": "sneaky", "name_ky": "x", "name_ru": "x", "name_en": "x"},
    )
    assert response.status_code in (302, 403) and not PracticeTopic.objects.filter(code="sneaky").exists()
    assert client.get(reverse("wagtailsnippets_cms_journalrubric:list")).status_code in (302, 403)
