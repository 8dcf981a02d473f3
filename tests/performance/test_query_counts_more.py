"""Regression guard, continued: the admin's lists, the remaining API lists and the public catalogue page.

Same method as test_query_counts.py: request on little data, grow to ten pages (200 rows), request
again; the count must not grow and must stay under a fixed bound.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from academy.models import FundingProject, Organization, User
from courses.models import Attendance, TrainerProfile, Venue
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
from tests.performance.test_query_counts import API_MAX, with_sessions

pytestmark = pytest.mark.django_db

YEARS = {"starts_on": date(2026, 1, 1), "ends_on": date(2027, 12, 31)}
# The Wagtail admin adds its menu, the user's permissions and page-tree lookups to every screen.
ADMIN_MAX = 45


def admin_url(name, *args):
    try:
        return reverse(name, args=args or None)
    except Exception:  # noqa: BLE001 - NoReverseMatch, or a namespace that is not mounted yet
        pytest.skip(f"URL `{name}` does not exist yet")


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="perf-admin@example.org", password="x")


# --- public page and API lists ------------------------------------------------------------------------------


def test_session_attendance_api(api_client, course, trainer, bounded):
    first_day = factories.bishkek(2026, 11, 30)
    session = sessions(course, 1, trainers=[trainer], capacity=MANY + 10, first_day=first_day)[0]
    url = url_or_skip("api-session-attendance", session.pk)
    api_client.force_authenticate(trainer)

    def add(count):
        rows = registrations((session, user) for user in people(count))
        Attendance.objects.bulk_create(
            [Attendance(registration=row, day=first_day.date(), status="present", method="roll_call") for row in rows]
        )

    add(2)
    bounded(lambda: api_client.get(url), lambda: add(MANY), max_queries=API_MAX)


def test_material_stats_api(api_client, course, admin_user, bounded):
    url = url_or_skip("api-material-stats")
    api_client.force_authenticate(admin_user)
    session = sessions(course, 1)[0]
    materials(2, session=session)
    bounded(
        lambda: api_client.get(url, {"session": session.pk}),
        lambda: (materials(MANY, session=session), materials(MANY // 2, course=course)),
        max_queries=API_MAX,
    )


def test_certificate_status_list_api(api_client, course, participant, bounded):
    url = url_or_skip("api-certificate-status-list")
    past = factories.bishkek(2025, 3, 3)
    done = {"completed_at": past + timedelta(days=3), "attendance_percent": 100}

    def issue(count):
        crowd = people(count)
        session = sessions(course, 1, status="completed", first_day=past, capacity=count + 1)[0]
        certificates_for(with_sessions(registrations(((session, user) for user in crowd), **done)))

    issue(2)
    bounded(lambda: api_client.get(url), lambda: issue(MANY), max_queries=API_MAX)


@pytest.mark.parametrize("name", ["region-list", "district-list", "municipality-list"])
def test_reference_lists_api(api_client, name, django_assert_max_num_queries):
    """Shipped reference data (hundreds of municipalities): fetched in a fixed number of queries."""
    url = url_or_skip(name)
    with django_assert_max_num_queries(API_MAX):
        response = api_client.get(url)
    assert response.status_code == 200


def test_funding_projects_api(api_client, bounded):
    url = url_or_skip("funding-project-list")
    factories.FundingProjectFactory.create_batch(2)
    bounded(
        lambda: api_client.get(url), lambda: factories.FundingProjectFactory.create_batch(MANY), max_queries=API_MAX
    )


# --- the admin's lists ----------------------------------------------------------------------------------------


def test_admin_session_snippets(client, superuser, course, trainer, bounded):
    url = admin_url("wagtailsnippets_courses_session:list")
    client.force_login(superuser)
    sessions(course, 2, trainers=[trainer])
    bounded(
        lambda: client.get(url),
        lambda: sessions(course, MANY, trainers=[trainer], first_day=factories.bishkek(2027, 1, 5)),
        max_queries=ADMIN_MAX,
    )


def test_admin_registrations_index(client, superuser, course, bounded):
    url = admin_url("registrations_admin:index")
    client.force_login(superuser)
    crowd = people(3)

    def add(count, first_day):
        registrations((session, user) for session in sessions(course, count, first_day=first_day) for user in crowd)

    add(2, factories.bishkek(2026, 12, 15))
    bounded(lambda: client.get(url), lambda: add(MANY, factories.bishkek(2027, 1, 5)), max_queries=ADMIN_MAX)


def test_admin_registrations_roster(client, superuser, course, bounded):
    session = sessions(course, 1, capacity=MANY + 10)[0]
    url = admin_url("registrations_admin:roster", session.pk)
    client.force_login(superuser)
    registrations((session, user) for user in people(2))
    bounded(
        lambda: client.get(url),
        lambda: registrations((session, user) for user in people(MANY)),
        max_queries=ADMIN_MAX,
    )


def test_admin_materials_index(client, superuser, course, bounded):
    url = admin_url("course_materials:index")
    client.force_login(superuser)
    session = sessions(course, 1)[0]
    materials(2, course=course)
    bounded(
        lambda: client.get(url),
        lambda: (materials(MANY // 2, course=course), materials(MANY // 2, session=session)),
        max_queries=ADMIN_MAX,
    )


def test_admin_material_packs(client, superuser, course, bounded):
    url = admin_url("material_packs")
    client.force_login(superuser)
    sessions(course, 2)
    bounded(
        lambda: client.get(url),
        lambda: [materials(1, session=s) for s in sessions(course, MANY // 4, first_day=factories.bishkek(2027, 1, 5))],
        max_queries=ADMIN_MAX,
    )


def test_admin_certificate_registry(client, superuser, course, bounded):
    url = admin_url("certificate_registry:index")
    client.force_login(superuser)
    past = factories.bishkek(2025, 3, 3)
    done = {"completed_at": past + timedelta(days=3), "attendance_percent": 100}

    def issue(count):
        session = sessions(course, 1, status="completed", first_day=past, capacity=count + 1)[0]
        certificates_for(with_sessions(registrations(((session, user) for user in people(count)), **done)))

    issue(2)
    bounded(lambda: client.get(url), lambda: issue(MANY), max_queries=ADMIN_MAX)


def test_admin_certificate_batches(client, superuser, course, bounded):
    url = admin_url("certificate_batches:index")
    client.force_login(superuser)
    from certificates.models import CertificateTemplate, IssuanceBatch

    template = CertificateTemplate.objects.create(name="Performance", is_default=True)

    def add(count):
        rows = sessions(course, count, status="completed", first_day=factories.bishkek(2025, 3, 3))
        IssuanceBatch.objects.bulk_create(
            [IssuanceBatch(session=row, template=template, created_by=superuser, total=5) for row in rows]
        )

    add(2)
    bounded(lambda: client.get(url), lambda: add(MANY), max_queries=ADMIN_MAX)


def test_admin_organizations(client, superuser, bounded):
    url = admin_url("wagtailsnippets_academy_organization:list")
    client.force_login(superuser)
    municipality = factories.municipality()

    def add(count, start):
        Organization.objects.bulk_create(
            [
                Organization(name=f"Уюм {number}", kind="ngo", municipality=municipality)
                for number in range(start, start + count)
            ]
        )

    add(2, 0)
    bounded(lambda: client.get(url), lambda: add(MANY, 100), max_queries=ADMIN_MAX)


def test_admin_venues(client, superuser, bounded):
    url = admin_url("wagtailsnippets_courses_venue:list")
    client.force_login(superuser)
    municipality = factories.municipality()

    def add(count, start):
        Venue.objects.bulk_create(
            [
                Venue(name=f"Окуу борбору {number}", municipality=municipality, capacity=30)
                for number in range(start, start + count)
            ]
        )

    add(2, 0)
    bounded(lambda: client.get(url), lambda: add(MANY, 100), max_queries=ADMIN_MAX)


def test_admin_trainer_profiles(client, superuser, bounded):
    url = admin_url("wagtailsnippets_courses_trainerprofile:list")
    client.force_login(superuser)

    def add(count):
        from academy.roles import TRAINERS

        TrainerProfile.objects.bulk_create(
            [TrainerProfile(user=user, topics="budget") for user in people(count, group=TRAINERS)]
        )

    add(2)
    bounded(lambda: client.get(url), lambda: add(MANY), max_queries=ADMIN_MAX)


def test_admin_funding_projects(client, superuser, bounded):
    url = admin_url("wagtailsnippets_academy_fundingproject:list")
    client.force_login(superuser)
    FundingProject.objects.bulk_create(
        [FundingProject(code=f"perf-{n}", name_ky=f"Долбоор {n}", donor="Donor", **YEARS) for n in range(2)]
    )
    bounded(
        lambda: client.get(url),
        lambda: FundingProject.objects.bulk_create(
            [
                FundingProject(code=f"perf-{n}", name_ky=f"Долбоор {n}", donor="Donor", **YEARS)
                for n in range(100, 100 + MANY)
            ]
        ),
        max_queries=ADMIN_MAX,
    )


def test_admin_participant_list_report(client, superuser, course, bounded):
    url = admin_url("reports_admin:participant_list")
    client.force_login(superuser)
    past = factories.bishkek(2026, 3, 3)
    done = {"completed_at": past + timedelta(days=3), "attendance_percent": 100}
    session = sessions(course, 1, status="completed", first_day=past, capacity=MANY + 10)[0]
    registrations(((session, user) for user in people(2)), **done)
    bounded(
        lambda: client.get(url),
        lambda: registrations(((session, user) for user in people(MANY)), **done),
        max_queries=ADMIN_MAX,
    )
