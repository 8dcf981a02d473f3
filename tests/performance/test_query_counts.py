"""Regression guard: every list page and API list runs a bounded number of SQL queries.

Each test requests a list on little data, grows the data to ten pages (200 rows), requests it
again and asserts the same number of queries (no N+1) and at most a fixed bound. Query counts,
not timings: timings live in `python -m bench` (BENCHMARKS.md). A list whose URL does not exist
yet is skipped with the missing URL name.
"""

from datetime import timedelta

import pytest
from django.urls import reverse

from courses.models import CoursePage
from tests import factories
from tests.performance.conftest import (
    MANY,
    certificates_for,
    materials,
    people,
    registrations,
    sessions,
    url_or_skip,
)

pytestmark = pytest.mark.django_db

# Per-request overhead shared by every view: session and user (HTML), token (API), groups, site.
API_MAX = 12
PAGE_MAX = 25


# --- API lists ----------------------------------------------------------------------------------------


def test_sessions_api(api_client, course, trainer, bounded):
    url = url_or_skip("session-list")
    sessions(course, 2, trainers=[trainer])
    bounded(
        lambda: api_client.get(url),
        lambda: sessions(course, MANY, trainers=[trainer], first_day=factories.bishkek(2027, 1, 5)),
        max_queries=API_MAX,
    )


def test_sessions_api_with_filters(api_client, course, trainer, bounded):
    url = url_or_skip("session-list")
    sessions(course, 2, trainers=[trainer])
    bounded(
        lambda: api_client.get(url, {"course": course.pk, "language": "ky", "has_seats": "true", "page": 1}),
        lambda: sessions(course, MANY, trainers=[trainer], first_day=factories.bishkek(2027, 1, 5)),
        max_queries=API_MAX,
    )


def test_courses_api(api_client, course_index, bounded):
    url = url_or_skip("course-list")
    factories.make_course(course_index, title="Курс 0")
    bounded(
        lambda: api_client.get(url),
        lambda: _many_courses(course_index, MANY),
        max_queries=API_MAX,
    )


def test_my_registrations_api(api_client, course, participant, bounded):
    url = url_or_skip("api-my-registrations")
    api_client.force_authenticate(participant)
    registrations((session, participant) for session in sessions(course, 2))
    bounded(
        lambda: api_client.get(url),
        lambda: registrations(
            (session, participant) for session in sessions(course, MANY, first_day=factories.bishkek(2027, 1, 5))
        ),
        max_queries=API_MAX,
    )


def test_roster_api(api_client, course, trainer, bounded):
    session = sessions(course, 1, trainers=[trainer], capacity=MANY + 10)[0]
    url = url_or_skip("api-session-roster", session.pk)
    api_client.force_authenticate(trainer)
    registrations((session, user) for user in people(2))
    bounded(
        lambda: api_client.get(url),
        lambda: registrations((session, user) for user in people(MANY)),
        max_queries=API_MAX,
    )


def test_session_materials_api(api_client, course, trainer, participant, bounded):
    session = sessions(course, 1, trainers=[trainer])[0]
    url = url_or_skip("api-session-materials", session.pk)
    registrations([(session, participant)])
    api_client.force_authenticate(participant)
    materials(2, session=session)
    bounded(
        lambda: api_client.get(url),
        lambda: (materials(MANY, session=session, visibility="participants"), materials(MANY // 2, course=course)),
        max_queries=API_MAX,
    )


def test_course_materials_api(api_client, course, bounded):
    url = url_or_skip("api-course-materials", course.pk)
    materials(2, course=course)
    bounded(lambda: api_client.get(url), lambda: materials(MANY, course=course), max_queries=API_MAX)


def test_my_certificates_api(api_client, course, participant, bounded):
    url = url_or_skip("api-my-certificates")
    api_client.force_authenticate(participant)
    past = factories.bishkek(2025, 3, 3)
    done = {"completed_at": past + timedelta(days=3), "attendance_percent": 100}
    rows = registrations(((s, participant) for s in sessions(course, 2, status="completed", first_day=past)), **done)
    certificates_for(with_sessions(rows))

    def grow():
        more = sessions(course, MANY, status="completed", first_day=past - timedelta(days=7 * MANY))
        certificates_for(with_sessions(registrations(((s, participant) for s in more), **done)))

    bounded(lambda: api_client.get(url), grow, max_queries=API_MAX)


def test_reports_summary_api(api_client, course, trainer, admin_user, bounded):
    url = url_or_skip("api-reports-summary")
    api_client.force_authenticate(admin_user)
    past = factories.bishkek(2026, 3, 3)
    done = {"completed_at": past + timedelta(days=3), "attendance_percent": 100}
    registrations(((s, u) for s in sessions(course, 2, status="completed", first_day=past) for u in people(3)), **done)

    def grow():
        many = sessions(course, MANY, status="completed", first_day=past - timedelta(days=7 * MANY), trainers=[trainer])
        crowd = people(MANY)
        registrations(((s, u) for s in many for u in crowd[:3]), **done)
        registrations(((many[0], u) for u in crowd[3:]), **done)

    bounded(lambda: api_client.get(url), grow, max_queries=API_MAX + 8)


# --- HTML pages -----------------------------------------------------------------------------------------


def _many_courses(course_index, count):
    """Course pages through the page tree (no revisions: they only need to be live)."""
    start = CoursePage.objects.count()
    for number in range(start, start + count):
        course_index.add_child(instance=CoursePage(title=f"Курс {number}", slug=f"kurs-{number}", summary="…"))


def test_course_index_page(client, course_index, bounded):
    factories.make_course(course_index, title="Курс 0")
    url = course_index.get_url()
    bounded(lambda: client.get(url), lambda: _many_courses(course_index, 10 * 12), max_queries=PAGE_MAX)


def test_course_index_page_filtered(client, course_index, course, bounded):
    url = course_index.get_url()
    sessions(course, 2)
    bounded(
        lambda: client.get(url, {"page": 2, "language": "ky"}),
        lambda: (_many_courses(course_index, 10 * 12), sessions(course, MANY, first_day=factories.bishkek(2027, 1, 5))),
        max_queries=PAGE_MAX,
    )


def test_course_page(client, course, trainer, bounded):
    sessions(course, 2, trainers=[trainer])
    url = course.get_url()
    bounded(
        lambda: client.get(url),
        lambda: sessions(course, MANY, trainers=[trainer], first_day=factories.bishkek(2027, 1, 5)),
        max_queries=PAGE_MAX,
    )


def test_session_list_page(client, course, trainer, bounded):
    url = url_or_skip("session_list")
    sessions(course, 2, trainers=[trainer])
    bounded(
        lambda: client.get(url),
        lambda: sessions(course, MANY, trainers=[trainer], first_day=factories.bishkek(2027, 1, 5)),
        max_queries=PAGE_MAX,
    )


def test_session_page_with_full_roster(client, course, trainer, bounded):
    session = sessions(course, 1, trainers=[trainer], capacity=MANY + 10)[0]
    url = url_or_skip("session_detail", session.pk)
    registrations((session, user) for user in people(2))
    bounded(
        lambda: client.get(url),
        lambda: registrations((session, user) for user in people(MANY)),
        max_queries=PAGE_MAX,
    )


def test_my_trainings_page(client, course, participant, bounded):
    url = url_or_skip("my_trainings")
    client.force_login(participant)
    registrations((session, participant) for session in sessions(course, 2))
    bounded(
        lambda: client.get(url),
        lambda: registrations(
            (session, participant) for session in sessions(course, MANY, first_day=factories.bishkek(2027, 1, 5))
        ),
        max_queries=PAGE_MAX,
    )


def test_my_certificates_page(client, course, participant, bounded):
    url = url_or_skip("my_certificates")
    client.force_login(participant)
    past = factories.bishkek(2025, 3, 3)
    done = {"completed_at": past + timedelta(days=3), "attendance_percent": 100}
    certificates_for(
        with_sessions(
            registrations(((s, participant) for s in sessions(course, 2, status="completed", first_day=past)), **done)
        )
    )

    def grow():
        more = sessions(course, MANY, status="completed", first_day=past - timedelta(days=7 * MANY))
        certificates_for(with_sessions(registrations(((s, participant) for s in more), **done)))

    bounded(lambda: client.get(url), grow, max_queries=PAGE_MAX)


def test_session_materials_page(client, course, participant, bounded):
    session = sessions(course, 1)[0]
    url = url_or_skip("session_materials", session_id=session.pk)
    registrations([(session, participant)])
    client.force_login(participant)
    materials(2, session=session)
    bounded(
        lambda: client.get(url),
        lambda: (materials(MANY, session=session, visibility="participants"), materials(MANY // 2, course=course)),
        max_queries=PAGE_MAX,
    )


def test_trainer_dashboard(client, course, trainer, bounded):
    url = url_or_skip("trainer_dashboard")
    client.force_login(trainer)
    sessions(course, 2, trainers=[trainer])
    bounded(
        lambda: client.get(url),
        lambda: sessions(course, MANY, trainers=[trainer], first_day=factories.bishkek(2027, 1, 5)),
        max_queries=PAGE_MAX,
    )


def test_roll_call_page(client, course, trainer, bounded):
    session = sessions(course, 1, trainers=[trainer], capacity=MANY + 10, first_day=factories.bishkek(2026, 11, 30))[0]
    url = url_or_skip("attendance_roll_call", session_id=session.pk)
    client.force_login(trainer)
    registrations((session, user) for user in people(2))
    bounded(
        lambda: client.get(url),
        lambda: registrations((session, user) for user in people(MANY)),
        max_queries=PAGE_MAX,
    )


def test_reports_index(client, course, admin_user, bounded):
    try:
        url = reverse("reports_admin:index")
    except Exception:  # noqa: BLE001 - the namespace is missing until the reports hook is mounted
        pytest.skip("URL `reports_admin:index` does not exist yet")
    client.force_login(admin_user)
    past = factories.bishkek(2026, 3, 3)
    done = {"completed_at": past + timedelta(days=3), "attendance_percent": 100}
    registrations(((s, u) for s in sessions(course, 2, status="completed", first_day=past) for u in people(3)), **done)
    bounded(
        lambda: client.get(url),
        lambda: registrations(
            ((s, u) for s in sessions(course, MANY, status="completed", first_day=past) for u in people(3)), **done
        ),
        max_queries=PAGE_MAX + 10,
    )


def with_sessions(rows):
    """Registrations re-read with their session and course (bulk_create returns them without)."""
    from courses.models import Registration

    return list(Registration.objects.filter(pk__in=[row.pk for row in rows]).select_related("session__course"))


def test_guard_sees_an_n_plus_one(api_client, course, participant, bounded):
    """The guard itself: a view that queries once per row fails it."""
    from django.http import JsonResponse

    from courses.models import Registration

    def naive():
        rows = Registration.objects.filter(user=participant)
        return JsonResponse({"titles": [row.session.course.title for row in rows]})

    registrations((session, participant) for session in sessions(course, 2))
    with pytest.raises(AssertionError):
        bounded(naive, lambda: registrations((s, participant) for s in sessions(course, 20)), max_queries=100)
