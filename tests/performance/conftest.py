"""Bulk data for the query-count guards: ten times a page of everything, written with bulk_create."""

import itertools
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from academy.models import Profile, User
from academy.roles import PARTICIPANTS
from courses.models import Material, Registration, Session, ShortLink
from tests import factories

PAGE = 20  # REST_FRAMEWORK["PAGE_SIZE"]; HTML lists paginate by this or less
MANY = 10 * PAGE
_numbers = itertools.count(1)


def url_or_skip(name, *args, **kwargs):
    """reverse(), or skip the test while the URL is not there yet (features land in parallel)."""
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        pytest.skip(f"URL `{name}` does not exist yet")


def people(count, *, group=PARTICIPANTS):
    """`count` participants with complete profiles, in three queries."""
    start = next(_numbers) * 100_000
    municipality = factories.municipality()
    users = User.objects.bulk_create(
        [User(email=f"bulk{start + number}@example.org", password="!") for number in range(count)]
    )
    Profile.objects.bulk_create(
        [
            Profile(
                user=user,
                full_name=f"Катышуучу {user.pk}",
                gender="female" if user.pk % 2 else "male",
                organization_kind="ayil_okmotu",
                municipality=municipality,
                consent_given_at=factories.bishkek(2026, 1, 10),
                consent_version="2026-01",
            )
            for user in users
        ]
    )
    role = Group.objects.get_or_create(name=group)[0]
    User.groups.through.objects.bulk_create([User.groups.through(user_id=user.pk, group_id=role.pk) for user in users])
    return users


def sessions(course, count, *, trainers=(), status="open", first_day=None, capacity=25):
    """`count` two-day sessions of `course`, one a week from `first_day`, with their trainers."""
    first_day = first_day or factories.bishkek(2026, 12, 15)
    rows = Session.objects.bulk_create(
        [
            Session(
                course=course,
                starts_at=first_day + timedelta(days=7 * number),
                ends_at=first_day + timedelta(days=7 * number + 1, hours=8),
                capacity=capacity,
                status=status,
                format="online",
                online_url="https://meet.example.org/x",
            )
            for number in range(count)
        ]
    )
    through = Session.trainers.through
    through.objects.bulk_create([through(session_id=s.pk, user_id=t.pk) for s in rows for t in trainers])
    return rows


def registrations(pairs, status="confirmed", **fields):
    """Registrations for (session, user) pairs."""
    return Registration.objects.bulk_create(
        [Registration(session=session, user=user, status=status, **fields) for session, user in pairs]
    )


def materials(count, *, course=None, session=None, visibility="public", links=True):
    rows = Material.objects.bulk_create(
        [
            Material(
                course=course or session.course,
                session=session,
                title=f"Материал {number}",
                kind="link",
                url=f"https://example.org/m/{number}",
                visibility=visibility,
                sort_order=number,
            )
            for number in range(count)
        ]
    )
    if links:
        start = next(_numbers) * 100_000
        ShortLink.objects.bulk_create([ShortLink(code=f"t{start + m.pk}", material=m) for m in rows])
    return rows


def certificates_for(registration_rows):
    """Certificates of completed registrations, when the certificates app has its table (else skip)."""
    from bench.scale import certificate_model

    model = certificate_model()
    if model is None:
        pytest.skip("the certificates app has no Certificate table yet")
    from certificates.models import CertificateTemplate

    template = CertificateTemplate.objects.filter(is_default=True).first() or CertificateTemplate.objects.create(
        name="Performance", is_default=True
    )
    year = 2026
    last = model.objects.filter(year=year).order_by("-sequence").values_list("sequence", flat=True).first() or 0
    rows = []
    for number, registration in enumerate(registration_rows, start=last + 1):
        session = registration.session
        rows.append(
            model(
                registration=registration,
                user_id=registration.user_id,
                session=session,
                template=template,
                number=f"PERF-{year}-{number:06d}",
                year=year,
                sequence=number,
                code=f"PERF{registration.pk:016d}",
                holder_name=f"Катышуучу {registration.user_id}",
                course_title=session.course.title,
                course_hours=session.course.hours,
                starts_on=session.starts_at.date(),
                ends_on=session.ends_at.date(),
                issued_on=session.ends_at.date(),
                languages=template.languages,
            )
        )
    return model.objects.bulk_create(rows)


class Bounded:
    """Run a request on little data, grow the data to ten pages, run it again: same queries, and few."""

    def __init__(self, assert_max):
        self.assert_max = assert_max

    def __call__(self, do_request, grow, *, max_queries, status=200):
        with CaptureQueriesContext(connection) as small:
            response = do_request()
        assert response.status_code == status, getattr(response, "content", b"")[:500]
        grow()
        with self.assert_max(max_queries), CaptureQueriesContext(connection) as large:
            response = do_request()
        assert response.status_code == status, getattr(response, "content", b"")[:500]
        extra = len(large.captured_queries) - len(small.captured_queries)
        assert extra <= 0, "queries grow with the data:\n" + "\n".join(
            query["sql"][:200] for query in large.captured_queries
        )
        return response


@pytest.fixture
def bounded(django_assert_max_num_queries):
    return Bounded(django_assert_max_num_queries)
