"""The per-person rollups (reports/person_rollups.py) equal the registrations after every kind of write.

The triggers recompute a person's row from the registrations whenever a registration or a session
changes; here every write path that bypasses the services is tried on random data — bulk_create,
QuerySet.update() of statuses, completions and sessions, deletes, a registration moved to another
person or session, a session cancelled and reopened or moved to another year, a user deleted — and
after each step the table must equal the rows, and the people figures read from it must equal those
summed from the registrations.
"""

import random
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from academy.models import Municipality, Profile, Region
from courses.models import Registration, Session
from reports.models import Feedback, PersonRollup, SessionRollup
from reports.rollups import people as person_rollups
from reports.rollups import sessions as session_rollups
from reports.services import participants, people
from reports.services.base import ReportFilters
from tests import factories

from ..conftest import answer, check_after_each, make_session, move_first_confirmed, person, register

pytestmark = pytest.mark.django_db

KEYS = ["municipality_id", *participants.FIGURE_KEYS, "organization_kind", "position"]
STATUSES = ["confirmed", "confirmed", "confirmed", "cancelled", "pending", "waitlisted", "rejected"]


def from_rows(filters, keys):
    """The same groups, summed from the registrations (the path every filtered report takes)."""
    original = people.from_rollup
    people.from_rollup = lambda filters: False
    try:
        return people.group_people(filters, keys)
    finally:
        people.from_rollup = original


def assert_rollups_equal_rows(region=None):
    assert person_rollups.differences() == []
    assert session_rollups.differences() == []
    for filters in (ReportFilters(), ReportFilters(region_id=region)):
        assert people.from_rollup(filters)
        rolled = sorted(map(repr, people.group_people(filters, KEYS)))
        assert rolled == sorted(map(repr, from_rows(filters, KEYS)))


@pytest.fixture
def scene(clock, course, course_index):
    rng = random.Random(11)
    places = list(Municipality.objects.order_by("pk")[:8]) + [None]
    crowd = [
        factories.participant(
            profile__gender=rng.choice(["female", "male", ""]),
            profile__year_of_birth=rng.choice([None, 1970, 1990, 1995, 2001]),
            profile__municipality=rng.choice(places),
        )
        for _ in range(12)
    ]
    sessions = [
        make_session(
            course,
            starts_at=factories.bishkek(2024 + index % 3, 1 + index, 10),
            status=rng.choice(["open", "completed", "closed", "draft", "cancelled"]),
        )
        for index in range(6)
    ]
    for session in sessions:
        for someone in rng.sample(crowd, 5):
            registration = register(
                session,
                someone,
                rng.choice(STATUSES),
                completed=rng.random() < 0.4,
                attendance=rng.choice([None, 50, 100]),
            )
            if rng.random() < 0.5:
                answer(registration, rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 5))
    return rng, crowd, sessions, Region.objects.get(code="batken").pk


def test_rows_are_there_after_ordinary_creates(scene):
    assert PersonRollup.objects.exists()
    assert SessionRollup.objects.exists()
    assert_rollups_equal_rows(scene[3])


def test_every_write_path_keeps_the_rollups_equal_to_the_rows(scene, course_index):
    rng, crowd, sessions, region = scene
    other_course = factories.make_course(course_index, title="Жергиликтүү бюджет", hours=8)
    newcomers = [person(gender="female", year=2000, municipality="kyshtut") for _ in range(3)]
    steps = [
        # bulk_create: no save(), no signal
        lambda: Registration.objects.bulk_create(
            [Registration(session=sessions[0], user=someone, status="confirmed") for someone in newcomers]
        ),
        # statuses flipped in bulk, both ways
        lambda: Registration.objects.filter(pk__in=rng.sample(ids(), 6)).update(status="cancelled"),
        lambda: Registration.objects.filter(pk__in=rng.sample(ids(), 6)).update(status="confirmed"),
        # completion set and cleared in bulk
        lambda: Registration.objects.filter(pk__in=rng.sample(ids(), 5)).update(completed_at=sessions[1].ends_at),
        lambda: Registration.objects.filter(pk__in=rng.sample(ids(), 5)).update(completed_at=None),
        # attendance and answers changed in bulk, an answer deleted
        lambda: Registration.objects.filter(pk__in=rng.sample(ids(), 5)).update(attendance_percent=75),
        lambda: Feedback.objects.filter(pk__in=rng.sample(answers(), 3)).update(content_score=1, trainer_score=2),
        lambda: Feedback.objects.filter(pk__in=rng.sample(answers(), 2)).delete(),
        lambda: Feedback.objects.bulk_create(
            [
                Feedback(
                    registration=registration,
                    content_score=5,
                    trainer_score=5,
                    organisation_score=5,
                    submitted_at=sessions[0].ends_at,
                    updated_at=sessions[0].ends_at,
                )
                for registration in Registration.objects.filter(feedback__isnull=True)[:3]
            ]
        ),
        # sessions moved to another course and another month, cancelled, drafted, reopened, moved to another year (the first session changes)
        lambda: Session.objects.filter(pk=sessions[0].pk).update(course=other_course),
        lambda: Session.objects.filter(pk=sessions[2].pk).update(starts_at=sessions[3].starts_at),
        lambda: Session.objects.filter(pk__in=[sessions[1].pk, sessions[2].pk]).update(status="cancelled"),
        lambda: Session.objects.filter(pk=sessions[3].pk).update(status="draft"),
        lambda: Session.objects.filter(pk__in=[s.pk for s in sessions]).update(status="open"),
        lambda: Session.objects.filter(pk=sessions[4].pk).update(starts_at=factories.bishkek(2019, 2, 2)),
        # a registration moved to another person, and to another session
        lambda: move_first_confirmed("user", crowd),
        lambda: move_first_confirmed("session", sessions),
        # deletes: some registrations, a whole session, a person
        lambda: Registration.objects.filter(pk__in=rng.sample(ids(), 3)).delete(),
        lambda: Session.objects.filter(pk=sessions[5].pk).delete(),
        lambda: get_user_model().objects.filter(pk=crowd[0].pk).delete(),
    ]

    def ids():
        return list(Registration.objects.values_list("pk", flat=True))

    def answers():
        return list(Feedback.objects.values_list("pk", flat=True))

    check_after_each(steps, lambda: assert_rollups_equal_rows(region))


def test_profile_edits_show_at_once_because_the_profile_is_joined(scene):
    _rng, crowd, _sessions, region = scene
    counted = PersonRollup.objects.values_list("user_id", flat=True)
    someone = next(user for user in crowd if user.pk in set(counted))
    Profile.objects.filter(user=someone).update(
        gender="female", year_of_birth=None, municipality=factories.municipality("kyshtut")
    )
    assert_rollups_equal_rows(region)


def test_unfiltered_reports_read_the_rollups_and_filtered_ones_the_rows(scene):
    """A row changed behind the triggers' back shows in the unfiltered figures only: they do read it."""
    before = participants.totals(ReportFilters())
    row = PersonRollup.objects.order_by("pk").first()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {person_rollups.TABLE} SET registrations = registrations + 100 WHERE user_id = %s", [row.pk]
        )
    assert participants.totals(ReportFilters())["registrations"] == before["registrations"] + 100
    assert [(person, stored[0], computed[0]) for person, stored, computed in person_rollups.differences()] == [
        (row.pk, row.registrations + 100, row.registrations)
    ]
    wide = ReportFilters(date_from=factories.bishkek(2000, 1, 1).date())
    assert not people.from_rollup(wide)
    assert participants.totals(wide)["registrations"] == before["registrations"]
    person_rollups.rebuild()
    assert person_rollups.differences() == []
    assert participants.totals(ReportFilters()) == before


def test_a_filter_added_later_is_not_answered_from_the_rollups():
    assert people.from_rollup(ReportFilters(region_id=1, district_id=2))
    for name in ("date_from", "date_to", "course_key", "funding_project_id", "trainer_id", "scope_trainer_id"):
        assert not people.from_rollup(ReportFilters(**{name: 1}))


def test_cancelling_a_session_through_the_model_updates_its_people(world):
    assert_rollups_equal_rows(world.batken.pk)
    world.s1.status = "cancelled"
    world.s1.save()
    assert not PersonRollup.objects.filter(user=world.b).exists()  # B's only session
    assert PersonRollup.objects.get(user=world.a).registrations == 1
    assert_rollups_equal_rows(world.batken.pk)
    shifted = timedelta(days=-400)
    Session.objects.filter(pk=world.s2.pk).update(starts_at=world.s2.starts_at + shifted)
    assert PersonRollup.objects.get(user=world.a).first_start == world.s2.starts_at + shifted
    assert_rollups_equal_rows(world.batken.pk)
