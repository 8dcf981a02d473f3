"""PostgreSQL: a bulk statement over many people keeps the rollups without running out of locks.

The triggers serialise recomputations with advisory locks. One lock per person id made a statement
touching 30,000 people take 30,000 locks in one transaction, over ``max_locks_per_transaction``
(64 per connection, times the connections): "out of shared memory". They lock id buckets now
(reports.person_rollups.BUCKETS per kind), whatever the size of the statement.
"""

import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Sum

from courses.models import Registration
from reports.models import PersonRollup, SessionRollup, SurveyAnswer, SurveyRollup
from reports.rollups import people as person_rollups
from reports.rollups import sessions as session_rollups
from tests import factories

from ..conftest import make_session

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

PEOPLE = 30_000
#: Participants answering the survey at the same moment.
HALL = 12


def advisory_locks():
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
        return cursor.fetchone()[0]


def test_one_statement_for_30000_people_takes_bounded_locks(course):
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_locks_per_transaction")
        assert int(cursor.fetchone()[0]) * 100 < PEOPLE  # a lock per person would not fit
    sessions = [make_session(course, starts_at=factories.bishkek(2025, month, 3)) for month in (2, 3, 4)]
    User = get_user_model()
    with transaction.atomic():
        users = User.objects.bulk_create(
            [User(email=f"bulk-{number}@example.kg") for number in range(PEOPLE)],
            batch_size=None,
        )
        Registration.objects.bulk_create(
            [
                Registration(session=sessions[number % 3], user=user, status="confirmed")
                for number, user in enumerate(users)
            ],
            batch_size=None,  # one INSERT statement, one firing of each statement trigger
        )
        assert advisory_locks() <= 2 * person_rollups.BUCKETS
        # and the recomputation happened inside the same statement
        assert PersonRollup.objects.count() == PEOPLE
        Registration.objects.filter(user__in=users[:10_000]).update(status="cancelled")
        assert advisory_locks() <= 2 * person_rollups.BUCKETS
    assert PersonRollup.objects.count() == PEOPLE - 10_000
    assert sum(SessionRollup.objects.values_list("participants", flat=True)) == PEOPLE - 10_000
    assert person_rollups.differences() == []
    assert session_rollups.differences() == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_answers_written_at_once_in_one_session_are_all_tallied(course):
    """A hall's answers land in the same moment (here written straight to the table, as an import
    would: the services' feedback row already takes the session's lock): each recomputation of the
    session's tallies waits for the one before (the advisory lock) and counts its rows; without the
    lock a later one misses the other's rows, or both insert the same row and one fails."""
    from reports.rollups import surveys as survey_rollups
    from tests.registration.test_concurrency import run_in_threads

    from ..conftest import answer, person, register
    from ..test_surveys import make_survey

    survey = make_survey(course)
    session = make_session(course, status="completed")
    hall = [answer(register(session, person()), 4, 5, 3) for _ in range(HALL)]

    def answers_of(feedback):
        def write():
            with transaction.atomic():
                SurveyAnswer.objects.bulk_create(
                    [
                        SurveyAnswer(feedback=feedback, question=survey.rating, number=4),
                        SurveyAnswer(feedback=feedback, question=survey.several, chosen=[0, 2]),
                    ]
                )
                time.sleep(0.05)  # still open while the others recompute

        return write

    _results, errors, _seconds = run_in_threads([answers_of(feedback) for feedback in hall])
    assert errors == []
    assert survey_rollups.differences() == []
    tally = SurveyRollup.objects.get(session=session, question=survey.rating, option=survey_rollups.QUESTION)
    assert (tally.answers, tally.total) == (HALL, 4 * HALL)
    assert SurveyRollup.objects.get(session=session, question=survey.several, option=2).answers == HALL


def test_a_large_statement_after_small_ones_keeps_every_rollup(course):
    """PL/pgSQL caches a trigger's plans for the connection, made for the first statement's transition tables (one
    row): over hundreds of rows they joined the tables in a nested loop. Past `rollup_tables.BULK` rows the triggers
    plan anew: the same figures, from the other branch."""
    from reports.rollups import surveys as survey_rollups
    from reports.rollups import tables as rollup_tables

    from ..conftest import answer, person, register
    from ..test_surveys import make_survey

    survey = make_survey(course)
    session, other = make_session(course, status="completed"), make_session(course, status="completed")
    hall = [register(session, person()) for _ in range(rollup_tables.BULK + 20)]
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(feedback=answer(registration, 4, 5, 3), question=survey.rating, number=4) for registration in hall
    )
    one = hall[0]
    Registration.objects.filter(pk=one.pk).update(status="cancelled")  # small statements first: plans cached
    Registration.objects.filter(pk=one.pk).update(status="confirmed", attendance_percent=50)
    Registration.objects.filter(session=session).update(attendance_percent=90)
    Registration.objects.filter(pk__in=[r.pk for r in hall[: rollup_tables.BULK + 10]]).update(status="cancelled")
    Registration.objects.filter(pk__in=[r.pk for r in hall[:60]]).update(status="confirmed", session=other)
    assert person_rollups.differences() == []
    assert session_rollups.differences() == []
    assert survey_rollups.differences() == []
    rating = {
        row.session_id: row.answers
        for row in SurveyRollup.objects.filter(question=survey.rating, option=survey_rollups.QUESTION)
    }
    assert rating == {session.pk: 10, other.pk: 60}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("first", ["registration", "profile edit"])
def test_a_profile_edited_while_a_registration_is_open_moves_what_it_committed(course, first):
    """The groups' triggers move a person's counts when their profile changes, reading their per-person row.
    A registration still open holds that row's new version: the edit waits for the person's lock and moves
    the committed row (2 registrations). Without the lock it moved the old one (1), and the group left behind
    kept a registration nobody has. Either order: the one that runs second reads what the first committed."""
    import threading

    from academy.models import Profile
    from reports.models import PeopleGroupRollup
    from reports.rollups import groups as group_rollups
    from tests.registration.test_concurrency import run_in_threads

    from ..conftest import person, register

    someone = person(gender="female", year=1980)
    register(make_session(course, status="completed", starts_at=factories.bishkek(2025, 3, 3)), someone)
    second = make_session(course, status="completed", starts_at=factories.bishkek(2026, 3, 3))
    went_first = threading.Event()

    def registration():
        if first != "registration":
            went_first.wait(10)
        with transaction.atomic():
            register(second, someone)
            went_first.set()
            time.sleep(0.5)  # still open while the other waits

    def edit():
        if first != "profile edit":
            went_first.wait(10)
        with transaction.atomic():
            Profile.objects.filter(user=someone).update(gender="male")
            went_first.set()
            time.sleep(0.5)

    _results, errors, _seconds = run_in_threads([registration, edit])
    assert errors == []
    assert group_rollups.differences() == []
    summed = PeopleGroupRollup.objects.values("gender").annotate(
        people_=Sum("people"), registrations_=Sum("registrations")
    )
    assert [(row["gender"], row["people_"], row["registrations_"]) for row in summed if row["people_"]] == [
        ("male", 1, 2)
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_people_registering_at_once_with_one_trainer_are_all_counted(course):
    """Twelve people register at the same moment for four sessions of one trainer: each adds one to the same
    count (an upsert adding to the row, not a read then a write), and none is lost."""
    from reports.models import TrainerRollup
    from reports.rollups import trainers as trainer_rollups
    from tests.registration.test_concurrency import run_in_threads

    from ..conftest import person, register

    coach = person(group="trainer")
    sessions = [
        make_session(course, status="completed", starts_at=factories.bishkek(2025, month, 3), trainers=[coach])
        for month in (3, 4, 5, 6)
    ]
    hall = [person() for _ in range(HALL)]

    def registration(index):
        def write():
            with transaction.atomic():
                register(sessions[index % len(sessions)], hall[index])
                time.sleep(0.05)  # still open while the others add theirs

        return write

    _results, errors, _seconds = run_in_threads([registration(index) for index in range(HALL)])
    assert errors == []
    assert trainer_rollups.differences() == []
    assert TrainerRollup.objects.filter(trainer=coach).aggregate(people=Sum("people"))["people"] == HALL


def test_a_second_session_with_a_trainer_leaves_their_count_untouched(course):
    """The person × trainer row is updated, not deleted and inserted again: nothing is appended to the trainer's
    count."""
    from reports.models import TrainerRollup

    from ..conftest import person, register

    coach, someone = person(group="trainer"), person()
    first, second = (
        make_session(course, status="completed", starts_at=factories.bishkek(2025, month, 3), trainers=[coach])
        for month in (3, 4)
    )
    register(first, someone)
    rows = TrainerRollup.objects.filter(trainer=coach).count()
    register(second, someone)
    assert TrainerRollup.objects.filter(trainer=coach).count() == rows
    assert TrainerRollup.objects.filter(trainer=coach).aggregate(people=Sum("people"))["people"] == 1


def test_a_registration_writes_its_persons_group_once(course):
    """A person's row is updated in place (not deleted and inserted again), so the group they stay in gains one
    row per registration (two, one down and one up, before)."""
    from ..conftest import person, register

    someone = person()
    first, second = (make_session(course, status="completed", starts_at=factories.bishkek(2025, m, 3)) for m in (3, 4))
    register(first, someone)

    def group_writes():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_stat_get_xact_tuples_updated(c.oid) + pg_stat_get_xact_tuples_inserted(c.oid) "
                "FROM pg_class c WHERE c.relname = 'reports_peoplegrouprollup'"
            )
            return cursor.fetchone()[0]

    before = group_writes()
    register(second, someone)
    assert group_writes() - before == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_transactions_writing_the_same_groups_in_opposite_orders_both_commit(course):
    """An officer approving people one statement at a time while another does the same on another session: each
    touches the groups of women and of men, in opposite orders. Counters written into one row per group held
    each row until commit: the second write of each waited for the other (a deadlock, one of them failing).
    Appended changes take no lock on a shared row."""
    import threading

    from reports.rollups import groups as group_rollups
    from reports.rollups import trainers as trainer_rollups
    from tests.registration.test_concurrency import run_in_threads

    from ..conftest import person, register

    coach = person(group="trainer")
    first, second = (
        make_session(course, status="completed", starts_at=factories.bishkek(2025, month, 3), trainers=[coach])
        for month in (3, 4)
    )
    women, men = [person(gender="female") for _ in range(2)], [person(gender="male") for _ in range(2)]
    both_wrote_once = threading.Barrier(2, timeout=10)

    def approve(session, people):
        def write():
            with transaction.atomic():
                register(session, people[0])
                both_wrote_once.wait()
                register(session, people[1])

        return write

    _results, errors, _seconds = run_in_threads(
        [approve(first, [women[0], men[0]]), approve(second, [men[1], women[1]])]
    )
    assert errors == []
    assert group_rollups.differences() == []
    assert trainer_rollups.differences() == []
