"""The front cache: catalogue pages answered before Wagtail's routing, for visitors without a session only."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from academy.caching import cacheable_response
from courses.services import registration as registration_service

pytestmark = pytest.mark.django_db


def _get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


def test_the_course_index_and_course_page_answer_without_a_query_the_second_time(client, course_index, course):
    for url in (course_index.url, course_index.url + "?page=1", course.url):
        first, first_queries = _get(client, url)
        again, queries = _get(client, url)
        assert first.status_code == again.status_code == 200
        assert again.content == first.content and first_queries > 10
        assert queries == 0, url  # Wagtail's routing is skipped too


def test_a_registration_shows_at_once_on_the_course_page(client, course, session, participant):
    session.capacity = 2
    session.save()
    before = client.get(course.url).content
    assert _get(client, course.url)[1] == 0
    registration_service.register(session, participant)
    after, queries = _get(client, course.url)
    assert queries > 0 and after.content != before  # the seats left changed


def test_a_visitor_with_a_session_is_routed_as_usual(client, course, participant):
    client.get(course.url)
    client.cookies[settings.SESSION_COOKIE_NAME] = "some-session"  # e.g. a passed page password lives there
    response, queries = _get(client, course.url)
    assert response.status_code == 200 and queries > 0
    client.force_login(participant)
    response, queries = _get(client, course.url)
    assert response.status_code == 200 and queries > 0


def test_restricting_a_cached_page_takes_it_out_of_the_front_cache(client, course):
    assert client.get(course.url).status_code == 200
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.PASSWORD, password="bajba")
    response = client.get(course.url)
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()  # Wagtail's password form, not the course


def test_a_page_seen_after_passing_its_password_is_not_shared(client, course):
    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.PASSWORD, password="bajba"
    )
    form = client.post(
        f"/en/_util/authenticate_with_password/{restriction.pk}/{course.pk}/",
        {"password": "bajba", "return_url": course.url},
    )
    assert form.status_code == 302
    passed = client.get(course.url)
    assert 'name="password"' not in passed.content.decode() and course.title in passed.content.decode()
    client.cookies.clear()  # another visitor, without the password
    assert 'name="password"' in client.get(course.url).content.decode()


def test_pages_that_do_not_opt_in_are_routed_every_time(client, homes):
    client.get("/en/")
    response, queries = _get(client, "/en/")
    assert response.status_code == 200 and queries > 0


def test_a_response_holding_the_visitors_csrf_token_is_never_shared():
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    request = RequestFactory().get("/")
    assert cacheable_response(request, HttpResponse("ok"))
    get_token(request)
    assert not cacheable_response(request, HttpResponse("ok"))


def test_each_scheme_and_host_has_its_own_copy(client, course, settings):
    settings.ALLOWED_HOSTS = ["testserver", "academy.example.org"]
    client.get(course.url)
    assert _get(client, course.url)[1] == 0
    assert _get(client, course.url, secure=True)[1] > 0
    assert _get(client, course.url, HTTP_HOST="academy.example.org")[1] > 0
