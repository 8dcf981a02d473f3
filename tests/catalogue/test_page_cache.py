"""Anonymous catalogue pages come from the cache until something they show changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.services import catalogue as catalogue_service
from courses.services import public_pages
from courses.services import registration as registration_service
from tests import factories

pytestmark = pytest.mark.django_db


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(queries)


def test_a_session_page_is_served_from_the_cache_without_queries(client, session):
    url = f"/en/sessions/{session.pk}/"
    first, first_queries = _get(client, url)
    again, queries = _get(client, url)
    assert again == first and first_queries > 5
    assert queries == 0
    assert "no-store" not in client.get(url).get("Cache-Control", "")


def test_a_registration_changes_the_seats_shown_at_once(client, session, participant):
    session.capacity = 2
    session.save()
    url = f"/en/sessions/{session.pk}/"
    assert "2 seats left" in _get(client, url)[0]
    registration_service.register(session, participant)
    assert "1 seat left" in _get(client, url)[0]


def test_a_published_course_change_shows_on_the_index_and_course_page(client, course, course_index, session):
    index_before, _ = _get(client, course_index.url)
    page_before, _ = _get(client, course.url)
    assert _get(client, course_index.url)[1] < 10  # the second visit is cached (Wagtail's routing only)
    course.title = "Жергиликтүү бюджет жана ачык-айкындуулук"
    course.save_revision().publish()
    index_after, _ = _get(client, course_index.url)
    page_after, _ = _get(client, course.url)
    assert "ачык-айкындуулук" not in index_before + page_before
    assert "ачык-айкындуулук" in index_after and "ачык-айкындуулук" in page_after


def test_cancelling_a_session_removes_it_from_the_cached_course_page(client, course, session, admin_user):
    assert f"/sessions/{session.pk}/" in _get(client, course.url)[0]
    catalogue_service.cancel_session(session, user=admin_user, reason="Жол жабык")
    assert f"/sessions/{session.pk}/" not in _get(client, course.url)[0]


def test_signed_in_visitors_never_get_or_fill_the_shared_copy(client, session, participant):
    url = f"/en/sessions/{session.pk}/"
    client.force_login(participant)
    registration_service.register(session, participant)
    mine, _ = _get(client, url)
    _mine_again, queries = _get(client, url)
    assert queries > 0  # rendered for her every time
    client.logout()
    public, _ = _get(client, url)
    assert public != mine


def test_each_language_has_its_own_copy(client, translated_course, course_index):
    from wagtail.models import Locale

    russian = translated_course.get_translation(Locale.objects.get(language_code="ru"))
    assert "Муниципальные услуги" in _get(client, russian.url)[0]
    assert "Муниципальные услуги" not in _get(client, translated_course.url)[0]


def test_many_changes_in_one_transaction_invalidate_once_after_commit(django_capture_on_commit_callbacks):
    from academy import caching

    before = caching.version("a-namespace")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for _row in range(3):  # e.g. an import registering three people
            caching.invalidate_on_commit("a-namespace")
    assert len(callbacks) == 1
    assert caching.version("a-namespace") == before + 4  # three at once, one more after the commit


def test_an_unchanged_catalogue_keeps_its_cache_between_visits(client, course_index, session):
    from academy import caching

    version = caching.version(public_pages.NAMESPACE)
    _get(client, course_index.url)
    _get(client, f"/en/sessions/{session.pk}/")
    assert caching.version(public_pages.NAMESPACE) == version
    factories.participant()  # a new account shows on no catalogue page
    assert caching.version(public_pages.NAMESPACE) == version


def test_anonymous_api_lists_are_cached_per_representation(client, session, participant):
    url = "/api/v1/sessions/?language=ky"
    first = client.get(url, HTTP_ACCEPT="application/json")
    assert first.status_code == 200 and first.json()["results"][0]["seats_left"] == 25
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, HTTP_ACCEPT="application/json")
    assert again.json() == first.json() and len(queries) == 0
    browsable = client.get(url, HTTP_ACCEPT="text/html")
    assert browsable["Content-Type"].startswith("text/html")  # not the cached JSON
    registration_service.register(session, participant)
    assert client.get(url, HTTP_ACCEPT="application/json").json()["results"][0]["seats_left"] == 24


def test_api_reads_with_credentials_are_never_shared(client, session, trainer):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=trainer)
    url = f"/api/v1/sessions/{session.pk}/"
    client.get(url, HTTP_ACCEPT="application/json")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_ACCEPT="application/json", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200 and len(queries) > 0
