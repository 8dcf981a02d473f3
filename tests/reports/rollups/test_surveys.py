"""The per-session tallies of the academy's own questions (reports/rollups/surveys.py) equal the answers.

On random answers to a rating, a single choice, a multiple choice and a text question, every write path
that bypasses the services is tried — answers bulk-created, changed and deleted, a feedback moved to
another registration or deleted, registrations cancelled, moved to another session or deleted, a whole
session deleted — and after each step the table must equal a recomputation from the answers, and the
feedback report's table of the questions (and its count of written answers), read from the tallies,
must equal the same table counted from the answers. Run on SQLite by ``make test`` and on PostgreSQL
by ``make test-services``.
"""

import random

import pytest
from django.db import connection

from courses.models import Registration, Session
from reports.models import Feedback, SurveyAnswer, SurveyRollup
from reports.rollups import surveys as survey_rollups
from reports.services import feedback as service
from reports.services import session_sums
from reports.services.base import ReportFilters
from reports.services.surveys import report as survey_report
from tests import factories

from ..conftest import answer, check_after_each, make_session, person, register
from ..test_surveys import SCORES, good_answers, make_survey

pytestmark = pytest.mark.django_db

STATUSES = ["confirmed", "confirmed", "confirmed", "cancelled", "waitlisted"]
TEXTS = ["", "Сатып алуулар", "Тарифтер жөнүндө көбүрөөк", "Бюджет"]


def random_answer(rng, survey, feedback):
    """An answer to one of the survey's own questions, as the services would save it."""
    question = rng.choice([survey.choice, survey.several, survey.rating, survey.text])
    if question == survey.choice:
        return SurveyAnswer(feedback=feedback, question=question, number=rng.randrange(3))
    if question == survey.several:
        return SurveyAnswer(
            feedback=feedback, question=question, chosen=sorted(rng.sample(range(3), rng.randint(1, 3)))
        )
    if question == survey.rating:
        return SurveyAnswer(feedback=feedback, question=question, number=rng.randint(1, 5))
    return SurveyAnswer(feedback=feedback, question=question, text=rng.choice(TEXTS[1:]))


def from_answers(filters):
    """The questions' table and the written answers' count, counted from the answers (the place-filter path)."""
    original = session_sums.usable
    session_sums.usable = lambda filters: False
    try:
        return survey_report.question_rows(filters), len(survey_report.text_rows(filters))
    finally:
        session_sums.usable = original


def assert_tallies_equal_answers(course):
    assert survey_rollups.differences() == []
    for filters in (ReportFilters(), ReportFilters(course_key=course.translation_key)):
        assert session_sums.usable(filters)
        rows = survey_report.question_rows(filters)
        assert (rows, len(survey_report.text_rows(filters))) == from_answers(filters)


@pytest.fixture
def scene(clock, course):
    rng = random.Random(17)
    survey = make_survey(course)
    crowd = [person(municipality="kyshtut" if index % 2 else None) for index in range(10)]
    sessions = [
        make_session(course, starts_at=factories.bishkek(2025, 1 + index, 10), status="completed") for index in range(4)
    ]
    for session in sessions:
        for someone in rng.sample(crowd, 6):
            registration = register(session, someone, rng.choice(STATUSES))
            if rng.random() < 0.8:
                feedback = answer(registration, rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 5))
                Feedback.objects.filter(pk=feedback.pk).update(survey=survey)
                given = {}
                for _ in range(3):
                    one = random_answer(rng, survey, feedback)
                    given[one.question_id] = one
                SurveyAnswer.objects.bulk_create(given.values())
    return rng, survey, crowd, sessions


def test_the_tallies_are_there_after_ordinary_creates(scene, course):
    assert SurveyRollup.objects.filter(option=survey_rollups.QUESTION).exists()
    assert SurveyRollup.objects.exclude(option=survey_rollups.QUESTION).exists()
    assert_tallies_equal_answers(course)
    rows = survey_report.question_rows(ReportFilters())
    assert {row["kind"] for row in rows} == {"One choice", "Several choices", "Rating from 1 to 5", "Text"}


def test_every_write_path_keeps_the_tallies_equal_to_the_answers(scene, course):
    rng, survey, crowd, sessions = scene

    def answer_ids(**kwargs):
        return list(SurveyAnswer.objects.filter(**kwargs).values_list("pk", flat=True))

    def registration_ids():
        return list(Registration.objects.filter(feedback__isnull=False).values_list("pk", flat=True))

    def move_feedback():
        feedback = Feedback.objects.filter(answers__isnull=False).order_by("pk").first()
        target = (
            Registration.objects.filter(feedback__isnull=True, status="confirmed")
            .exclude(session=feedback.registration.session)
            .order_by("pk")
            .first()
        )
        Feedback.objects.filter(pk=feedback.pk).update(registration=target)

    def move_registration():
        registration = Registration.objects.filter(feedback__answers__isnull=False, status="confirmed").first()
        mine = set(Registration.objects.filter(user=registration.user).values_list("session_id", flat=True))
        target = next(session for session in sessions if session.pk not in mine)
        Registration.objects.filter(pk=registration.pk).update(session=target)

    def add_answers():
        unanswered = Feedback.objects.filter(answers__isnull=True)[:4]
        SurveyAnswer.objects.bulk_create(random_answer(rng, survey, feedback) for feedback in unanswered)

    steps = [
        add_answers,
        lambda: SurveyAnswer.objects.filter(pk__in=answer_ids(question=survey.rating)[:3]).update(number=1),
        lambda: SurveyAnswer.objects.filter(pk__in=answer_ids(question=survey.several)[:3]).update(chosen=[2]),
        lambda: SurveyAnswer.objects.filter(pk__in=answer_ids(question=survey.text)[:2]).update(text=""),
        lambda: SurveyAnswer.objects.filter(pk__in=rng.sample(answer_ids(), 3)).delete(),
        move_feedback,
        lambda: Registration.objects.filter(pk__in=rng.sample(registration_ids(), 4)).update(status="cancelled"),
        lambda: Registration.objects.filter(status="cancelled").update(status="confirmed"),
        move_registration,
        # attendance and completion change no tally (and must not break one)
        lambda: Registration.objects.filter(pk__in=registration_ids()[:5]).update(attendance_percent=80),
        lambda: Feedback.objects.filter(
            pk__in=rng.sample(list(Feedback.objects.values_list("pk", flat=True)), 2)
        ).delete(),
        lambda: Registration.objects.filter(pk__in=rng.sample(registration_ids(), 2)).delete(),
        lambda: Session.objects.filter(pk=sessions[3].pk).delete(),
    ]
    check_after_each(steps, lambda: assert_tallies_equal_answers(course))


def test_the_report_reads_the_tallies_unless_a_place_cuts_inside_sessions(scene, course):
    """A tally changed behind the triggers' back shows in the session-filtered table only: it is read."""
    rating = scene[1].rating
    before = {row["question"]: row["answers"] for row in survey_report.question_rows(ReportFilters())}
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {survey_rollups.TABLE} SET answers = answers + 100 WHERE question_id = %s AND option = %s",
            [rating.pk, survey_rollups.QUESTION],
        )
    raised = SurveyRollup.objects.filter(question=rating, option=survey_rollups.QUESTION).count()
    after = {row["question"]: row["answers"] for row in survey_report.question_rows(ReportFilters())}
    assert after[rating.text] == before[rating.text] + 100 * raised
    assert survey_rollups.differences()
    survey_rollups.rebuild()
    assert survey_rollups.differences() == []
    assert {row["question"]: row["answers"] for row in survey_report.question_rows(ReportFilters())} == before


def test_a_place_filter_counts_the_answers_of_that_places_people(scene, course):
    region = factories.municipality("kyshtut").district.region
    filters = ReportFilters(region_id=region.pk)
    assert not session_sums.usable(filters)
    theirs = SurveyAnswer.objects.filter(
        feedback__registration__status="confirmed",
        feedback__registration__session__status="completed",
        feedback__registration__user__profile__municipality__district__region=region,
    )
    everyone = sum(row["answers"] for row in survey_report.question_rows(ReportFilters()))
    in_region = sum(row["answers"] for row in survey_report.question_rows(filters))
    assert 0 < in_region == theirs.count() < everyone


def test_an_answer_saved_by_the_service_is_tallied_at_once_and_replaced(world):
    survey = make_survey(world.course)
    feedback, _created = service.submit_feedback(world.c, world.c1.pk, **SCORES, answers=good_answers(survey))
    session = feedback.registration.session_id

    def tally():
        return {
            (row.question_id, row.option): (row.answers, row.total, row.written)
            for row in SurveyRollup.objects.filter(session=session)
        }

    question = survey_rollups.QUESTION
    assert tally() == {
        (survey.choice.pk, question): (1, 2, 0),
        (survey.choice.pk, 2): (1, 0, 0),
        (survey.several.pk, question): (1, 0, 0),
        (survey.several.pk, 0): (1, 0, 0),
        (survey.several.pk, 2): (1, 0, 0),
        (survey.rating.pk, question): (1, 4, 0),
        (survey.rating.pk, 4): (1, 0, 0),
        (survey.text.pk, question): (1, 0, 1),
    }
    service.submit_feedback(world.c, world.c1.pk, **SCORES, answers={survey.choice.pk: 0, survey.rating.pk: 5})
    assert tally() == {
        (survey.choice.pk, question): (1, 0, 0),
        (survey.choice.pk, 0): (1, 0, 0),
        (survey.rating.pk, question): (1, 5, 0),
        (survey.rating.pk, 5): (1, 0, 0),
    }
    assert survey_rollups.differences() == []
