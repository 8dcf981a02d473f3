"""The demo knowledge tests of the Batken training: seven questions in ky and ru, pre and post attempts for every
confirmed participant with a gain, one paper copy; running the demo twice creates nothing new."""

import pytest

from courses.demo import assessments as demo
from courses.models import Answer, Attempt, KnowledgeTest, Question
from courses.services import assessments as service
from tests import factories

from .factories import register

pytestmark = pytest.mark.django_db

NOW = factories.bishkek(2026, 12, 1, 10)


def test_demo_tests_show_a_gain_and_are_idempotent(course, trainer):
    session = factories.make_session(
        course, trainers=[trainer], starts_at=factories.bishkek(2026, 9, 15), status="completed"
    )
    people = [register(session, factories.participant()) for _ in range(8)]
    register(session, factories.participant(), status="cancelled")
    context = {"now": NOW, "sessions": {"batken_past": session}}

    assert demo.seed(context) == "7 questions, 16 new attempts"
    counts = (Question.objects.count(), KnowledgeTest.objects.count(), Attempt.objects.count(), Answer.objects.count())
    assert demo.seed(context) == "7 questions, 0 new attempts"
    assert (
        Question.objects.count(),
        KnowledgeTest.objects.count(),
        Attempt.objects.count(),
        Answer.objects.count(),
    ) == counts

    assert all(q.text_ky and q.text_ru for q in Question.objects.all())
    assert {q.kind for q in Question.objects.all()} == {"single", "multiple", "true_false"}
    assert all(test.closed_at is not None for test in KnowledgeTest.objects.all())
    results = service.session_results(trainer, session)
    assert len(results.people) == 8 and (results.taken_pre, results.taken_post) == (8, 8)
    assert results.average_gain > 20
    assert results.improved_share == 88  # 7 of 8: the last does no better
    assert Attempt.objects.filter(method="paper", registration=people[-1]).count() == 2
    assert any(row.right_post > row.right_pre for row in results.questions)


def test_demo_without_a_past_session_does_nothing(db):
    assert demo.seed({"now": NOW, "sessions": {}}) == "no past session"
    assert not Question.objects.exists()
