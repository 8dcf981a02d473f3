"""What people do signed in, held to the queries it takes today (issue #17): registering, "my registrations",
"My trainings", checking in, and the `/q/` links.

Fixed bounds, measured with the token in the Authorization header (its lookup counts). A new query on one of
these paths fails here: if it is needed, raise the bound and say why. The registration API answers from a
direct builder (`registration_data`); tests below hold it equal to RegistrationSerializer.
"""

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academy.services import api_tokens
from courses.api.registration import RegistrationSerializer, registration_data, registrations_data
from courses.models import Registration
from courses.services import attendance as attendance_service
from courses.services import checkin
from courses.services import registration as service
from tests import factories
from tests.performance.conftest import materials, people, registrations, sessions, url_or_skip

pytestmark = pytest.mark.django_db

# token + user + last use, profile, the lock with the course title, seat counts with the person's earlier
# registration, insert (+ the savepoint of the test's transaction and the promotion query when seats free up)
REGISTER_MAX = 8
MY_REGISTRATIONS_MAX = 2  # token + user + last use; the page of registrations with its total and course titles
MY_TRAININGS_MAX = (
    6  # session, user, the page of rows with its total and course titles, the officer check, site, settings
)
CHECKIN_MAX = 6  # token + user, registration + session + course rules (+ EXISTS override, assignment), agenda, INSERT ... ON CONFLICT, marks, update


def _token_headers(user):
    return {"HTTP_AUTHORIZATION": f"Token {api_tokens.issue(user).key}"}


def test_registration_post(client, course, django_assert_max_num_queries):
    session = sessions(course, 1, capacity=1)[0]
    first, second = factories.participant(), factories.participant()
    url = reverse("api-session-register", args=[session.pk])
    for person, status, position in ((first, "confirmed", None), (second, "waitlisted", 1)):
        headers = _token_headers(person)
        with django_assert_max_num_queries(REGISTER_MAX):
            response = client.post(url, data="{}", content_type="application/json", **headers)
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["status"], body["waitlist_position"]) == (status, position)


def test_registration_post_unknown_session_is_404(client, participant):
    url = reverse("api-session-register", args=[999999])
    response = client.post(url, data="{}", content_type="application/json", **_token_headers(participant))
    assert response.status_code == 404


def test_my_registrations_api(client, course, participant, django_assert_max_num_queries):
    url = url_or_skip("api-my-registrations")
    registrations((session, participant) for session in sessions(course, 5))
    headers = _token_headers(participant)
    with django_assert_max_num_queries(MY_REGISTRATIONS_MAX):
        response = client.get(url, **headers)
    assert response.status_code == 200
    assert response.json()["count"] == 5
    # More than a page: the total still comes with the rows, and stays right.
    registrations((session, participant) for session in sessions(course, 20, first_day=factories.bishkek(2027, 1, 5)))
    body = client.get(url, **headers).json()
    assert body["count"] == 25 and len(body["results"]) == 20 and body["next"]
    assert len(client.get(url + "?page=2", **headers).json()["results"]) == 5


def test_my_trainings_page(client, course, participant, django_assert_max_num_queries):
    url = url_or_skip("my_trainings")
    registrations((session, participant) for session in sessions(course, 5))
    client.force_login(participant)
    client.get(url)  # the site settings and the like, read once per process
    with django_assert_max_num_queries(MY_TRAININGS_MAX):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["registrations"]) == 5
    assert response.context["page"].paginator.count == 5


def test_checkin_post(client, course, trainer, participant, clock, django_assert_max_num_queries):
    session = sessions(course, 1, trainers=[trainer])[0]
    registrations([(session, participant)])
    slot = attendance_service.session_slots(session)[0]
    clock.move_to(factories.bishkek(slot.day.year, slot.day.month, slot.day.day, 9, 5))
    code = checkin.issue_code(session, slot, by=trainer).code
    headers = _token_headers(participant)
    url = url_or_skip("api-check-in")
    with django_assert_max_num_queries(CHECKIN_MAX):
        response = client.post(url, data=json.dumps({"code": code}), content_type="application/json", **headers)
    assert response.status_code == 200, response.content
    assert response.json()["already_checked_in"] is False


def test_checkin_by_someone_not_registered_is_refused(client, course, trainer, participant, clock):
    session = sessions(course, 1, trainers=[trainer])[0]
    slot = attendance_service.session_slots(session)[0]
    clock.move_to(factories.bishkek(slot.day.year, slot.day.month, slot.day.day, 9, 5))
    code = checkin.issue_code(session, slot, by=trainer).code
    url = url_or_skip("api-check-in")
    response = client.post(
        url, data=json.dumps({"code": code}), content_type="application/json", **_token_headers(participant)
    )
    assert response.status_code == 403


def test_short_link(client, course, django_assert_max_num_queries):
    link = materials(1, course=course)[0].short_link
    url = reverse("short_link", kwargs={"code": link.code})
    client.get(url)  # the first visit fills the cache
    with django_assert_max_num_queries(1):  # the scan counter's UPDATE
        response = client.get(url)
    assert response.status_code == 302


def test_short_link_lookup_is_one_cache_entry_dropped_when_its_material_changes(client, course):
    from django.core.cache import cache

    from courses.services import shortlinks

    material = materials(1, course=course)[0]
    link = material.short_link
    url = reverse("short_link", kwargs={"code": link.code})
    assert client.get(url)["Location"] == "https://example.org/m/0"
    cached_link = cache.get(shortlinks._cache_key(link.code))
    assert cached_link is not None and cached_link.material.pk == material.pk
    # What the redirect never reads stays out of the cached entry (a course page is a wide row).
    assert "course" not in cached_link.material._state.fields_cache
    material.url = "https://example.org/m/new"
    material.save()
    assert cache.get(shortlinks._cache_key(link.code)) is None
    assert client.get(url)["Location"] == "https://example.org/m/new"


def test_short_link_to_a_participants_material_asks_an_anonymous_visitor_to_log_in(client, course):
    link = materials(1, course=course, visibility="participants")[0].short_link
    url = reverse("short_link", kwargs={"code": link.code})
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert len(queries) == 0  # no scan counted before the visitor comes back signed in, no access query
    link.refresh_from_db()
    assert link.scan_count == 0


# --- the direct builder is the serializer ------------------------------------------------------------------


def _both(registration_ids):
    rows = list(
        Registration.objects.filter(pk__in=registration_ids)
        .select_related("session__course")
        .with_waitlist_position()
        .order_by("pk")
    )
    service.attach_localized_courses(row.session for row in rows)
    return [RegistrationSerializer(row).data for row in rows], registrations_data(rows)


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_registration_data_equals_the_serializer(course, language, settings):
    from django.utils import translation

    from cms.services.site import translate_page

    translate_page(course, "ru", title="Курс по-русски")
    session = sessions(course, 1, capacity=1)[0]
    session.title = ""
    session.save(update_fields=["title"])
    rows = registrations([(session, person) for person in people(1)])
    rows += registrations([(session, person) for person in people(2)], status="waitlisted")
    rows += registrations([(session, person) for person in people(1)], status="cancelled", decision_note="Кат")
    with translation.override(language):
        expected, built = _both([row.pk for row in rows])
    assert [dict(item) for item in expected] == built
    assert [item["waitlist_position"] for item in built] == [None, 1, 2, None]
    assert built[0]["session"]["course_title"] == ("Курс по-русски" if language == "ru" else course.title)


def test_register_returns_the_waitlist_position_the_query_gives(course):
    session = sessions(course, 1, capacity=1)[0]
    positions = []
    for person in people(4):
        registration = service.register(session, person, notify=False)
        reread = Registration.objects.with_waitlist_position().get(pk=registration.pk)
        positions.append((registration.waitlist_position, reread.waitlist_position))
        assert registration_data(registration, "x")["waitlist_position"] == reread.waitlist_position
    assert positions == [(None, None), (1, 1), (2, 2), (3, 3)]


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_my_registrations_api_answers_what_the_serializer_gives(client, course, participant, language):
    """The API builds its rows from one query (`courses.services.my_registrations`): the same body as
    RegistrationSerializer over the model instances, in the page's language, on the first page and the next."""
    from cms.services.site import translate_page

    translate_page(course, "ru", title="Курс по-русски")
    url = url_or_skip("api-my-registrations")
    rows = registrations((session, participant) for session in sessions(course, 3))
    rows += registrations([(session, participant) for session in sessions(course, 1, capacity=1)], status="waitlisted")
    rows += registrations([(session, participant) for session in sessions(course, 1)], status="cancelled")
    headers = {**_token_headers(participant), "HTTP_ACCEPT_LANGUAGE": language}
    ordered = sorted(rows, key=lambda row: (row.session.starts_at, row.pk), reverse=True)
    from django.utils import translation

    with translation.override(language):
        expected, _built = _both([row.pk for row in ordered])
    by_id = {item["id"]: dict(item) for item in expected}
    expected = [by_id[row.pk] for row in ordered]
    assert expected[0]["session"]["course_title"] == ("Курс по-русски" if language == "ru" else course.title)
    assert client.get(url, **headers).json()["results"] == expected
    assert client.get(url + "?page_size=2&page=2", **headers).json()["results"] == expected[2:4]
    assert client.get(url + "?status=waitlisted", **headers).json()["results"] == [
        item for item in expected if item["status"] == "waitlisted"
    ]


def test_registration_post_answers_the_course_title_in_the_request_language(client, course):
    """The title comes with the session lock (a subquery: no join, nothing else locked)."""
    from cms.services.site import translate_page

    translate_page(course, "ru", title="Курс по-русски")
    session = sessions(course, 1, capacity=5)[0]
    session.title = ""
    session.save(update_fields=["title"])
    url = reverse("api-session-register", args=[session.pk])
    for language, title in (("ru", "Курс по-русски"), ("ky", course.title)):
        headers = {**_token_headers(factories.participant()), "HTTP_ACCEPT_LANGUAGE": language}
        body = client.post(url, data="{}", content_type="application/json", **headers).json()
        assert (body["session"]["title"], body["session"]["course_title"]) == (title, title)


def test_the_prepared_lock_reads_the_session_the_model_reads(course):
    """`_lock_session` builds the session from one compiled query: every field, the quota flag and the title
    equal what the ORM reads; the seat counts equal a count of the rows."""
    from courses.models import Session, SessionQuota

    session, other = sessions(course, 2, capacity=3)
    SessionQuota.objects.create(session=other, region=factories.municipality().district.region, seats=1)
    first, second, third, fourth = people(4)
    registrations([(session, first), (session, second)])
    registrations([(session, third)], status="waitlisted")
    registrations([(session, fourth)], status="cancelled")
    for target, quotas in ((session, False), (other, True)):
        with transaction.atomic():
            locked = service._lock_session(target.pk, with_title=True)
            plain = service._lock_session(target.pk)
        expected = Session.objects.get(pk=target.pk)
        for field in Session._meta.concrete_fields:
            assert getattr(locked, field.attname) == getattr(plain, field.attname) == getattr(expected, field.attname)
        assert (locked.has_quotas, plain.has_quotas, locked.localized_course_title) == (quotas, quotas, course.title)
        assert not locked._state.adding
    mine = Registration.objects.get(session=session, user=second).pk
    assert service._counts(session, second.pk) == {"confirmed": 2, "waiting": 1, "mine": mine}
    assert service._counts(session, fourth.pk)["mine"] == Registration.objects.get(session=session, user=fourth).pk
    assert service._counts(session) == {"confirmed": 2, "waiting": 1, "mine": None}
    assert service._counts(other, first.pk) == {"confirmed": 0, "waiting": 0, "mine": None}
