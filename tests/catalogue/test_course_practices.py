"""Course pages show the practices they teach from; practice pages list the courses that teach them
(CoursePracticeLink, on courses: cms never imports courses). Both sides cached, both sides dropped."""

import pytest

from cms.services.site import ensure_child, translate_page
from courses.models.catalogue import CoursePracticeLink
from tests import factories
from tests.cms.conftest import make_practice
from tests.page_queries import get_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice_index(homes):
    from cms.models import PracticeIndexPage

    index = ensure_child(homes["ky"], PracticeIndexPage, "practices", title="Мыкты тажрыйбалар")
    translate_page(index, "ru", title="Лучшие практики")
    return index


@pytest.fixture
def practices(practice_index):
    return {
        "kyshtut": make_practice(practice_index, "kyshtut-water", year=2024),
        "chet_nura": make_practice(practice_index, "chet-nura-water", municipality="chet_nura", year=2013),
        "bishkek": make_practice(practice_index, "bishkek-budget", municipality="bishkek_city", year=2021),
    }


@pytest.fixture
def tariff_course(course_index):
    course = factories.make_course(course_index, title="Тарифтик саясат")
    return course


def link(course, *pages):
    course.practice_links = [CoursePracticeLink(practice=page) for page in pages]
    course.save_revision().publish()


def test_a_course_lists_its_practices_and_each_practice_the_course(client, tariff_course, practices):
    link(tariff_course, practices["kyshtut"], practices["chet_nura"])
    html = client.get(tariff_course.url).content.decode()
    assert "Практики муниципалитетов" not in html
    assert "Муниципалитеттердин тажрыйбалары" in html
    assert html.index(practices["kyshtut"].title) < html.index(practices["chet_nura"].title)  # the editor's order
    assert f'href="{practices["kyshtut"].url}"' in html
    assert practices["bishkek"].title not in html
    for key in ("kyshtut", "chet_nura"):
        page = client.get(practices[key].url).content.decode()
        assert "Бул тажрыйбаны үйрөткөн курстар" in page
        assert f'href="{tariff_course.url}"' in page
    assert "Бул тажрыйбаны үйрөткөн курстар" not in client.get(practices["bishkek"].url).content.decode()


def test_each_language_shows_the_other_side_in_its_own_language(client, tariff_course, practices):
    link(tariff_course, practices["kyshtut"])  # the Kyrgyz practice, picked once
    course_ru = translate_page(tariff_course, "ru", title="Тарифная политика")
    practice_ru = translate_page(practices["kyshtut"], "ru", title="Кыштут: вода")
    html = client.get(course_ru.url).content.decode()
    assert "Практики муниципалитетов" in html
    assert f'href="{practice_ru.url}"' in html and practices["kyshtut"].url not in html
    page = client.get(practice_ru.url).content.decode()
    assert "Курсы, где этому учат" in page
    assert f'href="{course_ru.url}"' in page and f'href="{tariff_course.url}"' not in page


def test_links_made_on_one_language_version_show_on_all(client, tariff_course, practices):
    course_ru = translate_page(tariff_course, "ru", title="Тарифная политика")  # translated before the links
    practice_ru = translate_page(practices["chet_nura"], "ru", title="Чет-Нура: детсад")
    link(tariff_course, practices["chet_nura"])
    assert f'href="{practice_ru.url}"' in client.get(course_ru.url).content.decode()
    assert f'href="{course_ru.url}"' in client.get(practice_ru.url).content.decode()


def test_drafts_and_private_pages_are_not_listed(client, tariff_course, practices):
    from wagtail.models import PageViewRestriction

    link(tariff_course, practices["kyshtut"], practices["chet_nura"])
    practices["chet_nura"].unpublish()
    PageViewRestriction.objects.create(page=practices["kyshtut"], restriction_type=PageViewRestriction.LOGIN)
    assert "Муниципалитеттердин тажрыйбалары" not in client.get(tariff_course.url).content.decode()
    other = factories.make_course(tariff_course.get_parent(), title="Жашыруун курс")
    link(other, practices["bishkek"])
    other.unpublish()
    assert "Жашыруун курс" not in client.get(practices["bishkek"].url).content.decode()


def test_the_course_admin_edits_the_links(client, tariff_course, practices, admin_user):
    client.force_login(admin_user)
    html = client.get(f"/admin/pages/{tariff_course.pk}/edit/").content.decode()
    assert 'id="id_practice_links-TOTAL_FORMS"' in html
    assert "Practices from municipalities" in html or "Практики муниципалитетов" in html


def test_the_relation_may_not_be_edited_by_visitors_or_participants(client, tariff_course, participant):
    edit = f"/admin/pages/{tariff_course.pk}/edit/"
    assert client.get(edit).status_code == 302  # to the sign-in page
    client.force_login(participant)
    assert client.get(edit).status_code in (302, 403)


def test_publishing_either_side_drops_the_other_sides_cache(
    client, tariff_course, practices, django_capture_on_commit_callbacks
):
    practice = practices["kyshtut"]
    link(tariff_course, practice)
    get_page(client, tariff_course.url)
    get_page(client, practice.url)
    assert get_page(client, tariff_course.url)[1] < 10 and get_page(client, practice.url)[1] < 10  # served from the cache
    with django_capture_on_commit_callbacks(execute=True):
        practice.title = "Кыштут: жаңы суу түтүгү"
        practice.save_revision().publish()
    assert "Кыштут: жаңы суу түтүгү" in get_page(client, tariff_course.url)[0]
    with django_capture_on_commit_callbacks(execute=True):
        tariff_course.title = "Тарифтер жана акылар"
        tariff_course.save_revision().publish()
    assert "Тарифтер жана акылар" in get_page(client, practice.url)[0]


def test_bounded_queries_whatever_the_number_of_links(client, tariff_course, practice_index, practices, participant):
    client.force_login(participant)  # signed in: never served from the cache
    link(tariff_course, practices["kyshtut"])
    client.get(tariff_course.url)
    few = get_page(client, tariff_course.url)[1]
    many = [make_practice(practice_index, f"many-{number}", title=f"Тажрыйба {number}") for number in range(12)]
    link(tariff_course, practices["kyshtut"], *many)
    html, queries = get_page(client, tariff_course.url)
    assert html.count("Тажрыйба ") >= 12
    assert queries <= few
    client.get(many[0].url)
    first = get_page(client, many[0].url)[1]
    for number in range(5):
        link(factories.make_course(tariff_course.get_parent(), title=f"Курс {number}"), many[0])
    html, queries = get_page(client, many[0].url)
    assert html.count("Курс ") >= 5
    assert queries <= first


def test_the_demo_links_courses_to_fitting_practices_once(client, tariff_course, practice_index):
    from courses.demo.catalogue import _link_practices

    practice = make_practice(practice_index, "suu-bashy-tariffs", title="Суу-Башы: тарифтер")
    courses = {"municipal-service-tariffs": tariff_course}
    assert _link_practices(courses, practice_index) == 1
    assert _link_practices(courses, practice_index) == 0  # a second run changes nothing
    assert f'href="{practice.url}"' in client.get(tariff_course.url).content.decode()
