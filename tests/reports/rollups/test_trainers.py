"""People per trainer (reports/rollups/trainers.py, with the person × trainer rows of reports/rollups/people.py)
equal the distinct people counted from the registrations after every kind of write, and the trainers report
reads them when nothing but one trainer is asked for.

The counts are added to and subtracted from, so every path that gives or takes a trainer from a person is
tried: registrations created, cancelled, moved and deleted, sessions cancelled, reopened and deleted,
trainers added to and taken off sessions (bulk, through the through table, through the session model), a
trainer or a participant deleted.
"""

import dataclasses
import random

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from courses.models import Registration, Session
from reports.models import TrainerPersonRollup, TrainerRollup
from reports.rollups import people as person_rollups
from reports.rollups import trainers as trainer_rollups
from reports.services import trainers
from reports.services.base import ReportFilters
from tests import factories

from ..conftest import check_after_each, make_session, move_first_confirmed, person, register

pytestmark = pytest.mark.django_db

Link = Session.trainers.through


#: Every session of the tests starts after it: the same figures, counted from the registrations.
SINCE_EVER = factories.bishkek(2000, 1, 1).date()


def from_rows(filters):
    filters = dataclasses.replace(filters, date_from=SINCE_EVER)
    assert not trainers.people_from_rollup(filters)
    return trainers.by_trainer(filters)


def trainer_people():
    """{trainer id: people}: the appended changes summed per trainer, zeros left out."""
    rows = TrainerRollup.objects.values("trainer_id").annotate(total=Sum("people")).order_by()
    return {row["trainer_id"]: row["total"] for row in rows if row["total"]}


def assert_counts_equal_rows(trainer=None):
    assert person_rollups.trainer_differences() == []
    assert trainer_rollups.differences() == []
    for filters in (ReportFilters(), ReportFilters(trainer_id=trainer)):
        assert trainers.people_from_rollup(filters)
        assert trainers.by_trainer(filters) == from_rows(filters)


@pytest.fixture
def scene(clock, course):
    rng = random.Random(7)
    coaches = [person(group="trainer") for _ in range(4)]
    crowd = [person() for _ in range(12)]
    sessions = [
        make_session(
            course,
            starts_at=factories.bishkek(2025, 1 + index, 10),
            status="completed",
            trainers=rng.sample(coaches, 1 + index % 2),
        )
        for index in range(6)
    ]
    for session in sessions:
        for someone in rng.sample(crowd, 5):
            register(session, someone, rng.choice(["confirmed", "confirmed", "cancelled", "pending"]))
    return rng, coaches, crowd, sessions


def test_the_counts_are_there_after_ordinary_creates(scene):
    assert len(trainer_people()) == 4
    assert TrainerPersonRollup.objects.exists()
    assert_counts_equal_rows(scene[1][0].pk)


def test_every_write_path_keeps_the_counts_equal_to_the_rows(scene):
    rng, coaches, crowd, sessions = scene
    User = get_user_model()
    newcomer = person()

    def ids():
        return list(Registration.objects.values_list("pk", flat=True))

    def hand_over_one_link():
        link = Link.objects.filter(session=sessions[3]).order_by("pk").first()
        taken = set(Link.objects.filter(session=sessions[3]).values_list("user_id", flat=True))
        Link.objects.filter(pk=link.pk).update(user=next(coach for coach in coaches if coach.pk not in taken))

    def retrain_through_the_model():
        session = Session.objects.get(pk=sessions[1].pk)
        session.trainers.set([coaches[3], coaches[0]])
        session.save()

    steps = [
        # a newcomer, then a second session with a trainer they already had (no count moves), bulk
        lambda: register(sessions[0], newcomer),
        lambda: Registration.objects.bulk_create(
            [Registration(session=session, user=newcomer, status="confirmed") for session in sessions[1:3]]
        ),
        # statuses flipped in bulk both ways, a registration moved to another person and another session
        lambda: Registration.objects.filter(pk__in=rng.sample(ids(), 8)).update(status="cancelled"),
        lambda: Registration.objects.filter(pk__in=rng.sample(ids(), 8)).update(status="confirmed"),
        lambda: move_first_confirmed("user", crowd),
        lambda: move_first_confirmed("session", sessions),
        # trainers added and taken off: the through table in bulk, one row moved, the session model
        lambda: Link.objects.bulk_create([Link(session=sessions[2], user=coaches[3])], ignore_conflicts=True),
        lambda: Link.objects.filter(session=sessions[0]).delete(),
        hand_over_one_link,
        retrain_through_the_model,
        # sessions cancelled, drafted, reopened, deleted
        lambda: Session.objects.filter(pk__in=[sessions[1].pk, sessions[4].pk]).update(status="cancelled"),
        lambda: Session.objects.filter(pk=sessions[5].pk).update(status="draft"),
        lambda: Session.objects.filter(pk__in=[s.pk for s in sessions]).update(status="completed"),
        lambda: Session.objects.filter(pk=sessions[2].pk).delete(),
        # registrations deleted, a participant deleted, a trainer deleted
        lambda: Registration.objects.filter(pk__in=rng.sample(ids(), 4)).delete(),
        lambda: User.objects.filter(pk=crowd[0].pk).delete(),
        lambda: User.objects.filter(pk=coaches[1].pk).delete(),
        # everything recomputed with the triggers on
        lambda: person_rollups.rebuild(),
    ]
    check_after_each(steps, lambda: assert_counts_equal_rows(coaches[0].pk))


def test_a_second_session_with_the_same_trainer_counts_the_person_once(clock, course):
    coach = person(group="trainer")
    someone = person()
    first, second = (
        make_session(course, starts_at=factories.bishkek(2025, month, 3), status="completed", trainers=[coach])
        for month in (3, 4)
    )
    register(first, someone)
    register(second, someone)
    assert trainer_people()[coach.pk] == 1
    assert TrainerPersonRollup.objects.get(trainer=coach, user=someone).sessions == 2
    Registration.objects.filter(session=first).update(status="cancelled")
    assert trainer_people()[coach.pk] == 1
    Registration.objects.filter(session=second).update(status="cancelled")
    assert coach.pk not in trainer_people()
    assert trainers.by_trainer(ReportFilters())[0]["people"] == 0


def test_the_report_reads_the_counts_and_filtered_reports_the_rows(scene):
    """A count changed behind the triggers' back shows where the report reads it, and only there."""
    _rng, coaches, _crowd, _sessions = scene
    before = {row["trainer_id"]: row["people"] for row in trainers.by_trainer(ReportFilters())}
    TrainerRollup.objects.create(trainer=coaches[0], people=40)
    after = {row["trainer_id"]: row["people"] for row in trainers.by_trainer(ReportFilters())}
    assert after == {**before, coaches[0].pk: before[coaches[0].pk] + 40}
    assert trainers.by_trainer(ReportFilters(trainer_id=coaches[0].pk))[0]["people"] == before[coaches[0].pk] + 40
    assert trainer_rollups.differences() == [(coaches[0].pk, (before[coaches[0].pk] + 40,), (before[coaches[0].pk],))]
    for filters in (
        ReportFilters(date_from=factories.bishkek(2020, 1, 1).date()),
        ReportFilters(region_id=1),
        ReportFilters(trainer_id=coaches[0].pk, scope_trainer_id=coaches[1].pk),
    ):
        assert not trainers.people_from_rollup(filters)
    assert {row["trainer_id"]: row["people"] for row in from_rows(ReportFilters())} == before
    trainer_rollups.rebuild()
    assert trainer_rollups.differences() == []


def test_the_report_costs_the_same_for_more_people(clock, course):
    coach = person(group="trainer")

    def statements():
        with CaptureQueriesContext(connection) as queries:
            trainers.report(ReportFilters())
        return len(queries)

    session = make_session(course, starts_at=factories.bishkek(2025, 3, 3), status="completed", trainers=[coach])
    register(session, person())
    few = statements()
    for month in (4, 5):
        more = make_session(course, starts_at=factories.bishkek(2025, month, 3), status="completed", trainers=[coach])
        for _ in range(10):
            register(more, person())
    assert statements() == few
    assert trainers.by_trainer(ReportFilters())[0]["people"] == 21


def test_folding_leaves_one_row_per_trainer_and_the_same_people(scene):
    _rng, coaches, crowd, sessions = scene
    Registration.objects.filter(user__in=crowd[:4]).update(status="cancelled")
    before = trainer_people()
    assert TrainerRollup.objects.count() > len(before)
    trainer_rollups.fold()
    assert TrainerRollup.objects.count() == len(before)
    assert trainer_people() == before
    assert_counts_equal_rows(coaches[0].pk)
