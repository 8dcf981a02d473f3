"""Filters offer choices a visitor can read: one option per course in the page's language, yes/no as a
choice, and a named "any" option instead of Django's "---------"."""

import re

import pytest
from django.utils import translation

from tests.catalogue.conftest import make_session


def _options(html, name):
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no <select name={name}>"
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))


@pytest.fixture
def translated_session(translated_course, trainer, clock):
    return make_session(translated_course, trainers=[trainer])


@pytest.mark.parametrize(("language", "title"), [("ky", None), ("ru", "Муниципальные услуги"), ("en", "Municipal services")])
def test_the_course_filter_offers_each_course_once_in_the_page_language(
    client, translated_course, translated_session, language, title
):
    html = client.get(f"/{language}/sessions/").content.decode()
    courses = _options(html, "course")[1:]
    assert [label for _value, label in courses] == [title or translated_course.title]


def test_a_course_without_a_version_in_the_language_is_offered_in_its_own(client, course, trainer, clock):
    make_session(course, trainers=[trainer])
    html = client.get("/en/sessions/").content.decode()
    assert [label for _value, label in _options(html, "course")[1:]] == [course.title]


def test_any_language_version_of_a_course_filters_its_sessions(client, translated_course, translated_session):
    from courses.models import CoursePage

    for page in CoursePage.objects.filter(translation_key=translated_course.translation_key):
        response = client.get(f"/en/sessions/?course={page.pk}")
        assert [session.pk for session in response.context["sessions"]] == [translated_session.pk]


def test_has_free_seats_is_a_yes_no_choice(client, session):
    html = client.get("/ky/sessions/?has_seats=true").content.decode()
    with translation.override("ky"):
        expected = [("", translation.pgettext("yes/no filter", "Any")), ("true", translation.gettext("Yes")), ("false", translation.gettext("No"))]
    assert _options(html, "has_seats") == expected
    assert re.search(r'<option value="true"[^>]*selected', html)
    assert 'name="has_seats" type="text"' not in html and 'type="text" name="has_seats"' not in html


@pytest.mark.parametrize(("value", "count"), [("", 1), ("true", 1), ("false", 0), ("yes", 1)])
def test_has_free_seats_choices_filter(client, session, value, count):
    response = client.get(f"/en/sessions/?has_seats={value}")
    assert not response.context["filter"].errors
    assert len(response.context["sessions"]) == count


def test_a_has_free_seats_value_that_is_neither_is_still_an_error(client, session, api_client):
    assert "has_seats" in client.get("/en/sessions/?has_seats=maybe").context["filter"].errors
    assert api_client.get("/api/v1/sessions/?has_seats=maybe").status_code == 400


@pytest.mark.parametrize("path", ["/ky/sessions/", "/ru/sessions/", "/en/sessions/", "/ky/courses/"])
def test_no_dropdown_shows_dashes(client, session, path):
    response = client.get(path, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<select" in html
    assert "---------" not in html


def test_the_empty_choices_are_named_in_the_language(client, session):
    html = client.get("/ru/sessions/").content.decode()
    with translation.override("ru"):
        assert _options(html, "course")[0] == ("", translation.gettext("Any course"))
        assert _options(html, "oblast")[0] == ("", translation.gettext("Anywhere"))
        assert _options(html, "municipality")[0] == ("", translation.gettext("Any municipality"))


def test_report_filters_name_their_empty_choices(db):
    from reports.filters import ReportFilterSet

    form = ReportFilterSet({}).form
    for name in ("region", "district", "course", "funding_project", "trainer"):
        first_label = list(form.fields[name].choices)[0][1]
        assert str(first_label) != "---------" and str(first_label), name
