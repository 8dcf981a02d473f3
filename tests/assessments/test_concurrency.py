"""The promise of issue 19: "40 participants submitting a post-test in the same 30 seconds all succeed".

Forty threads, each on its own PostgreSQL connection, submit at the same moment (a barrier), and each one twice
more at once to try a duplicate: 40 attempts, no errors, no duplicates.
Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/pytest tests/assessments -m postgres
"""

import time

import pytest
from django.db import connection

from courses.models import Answer, Attempt
from courses.services import assessments as service
from courses.services.assessments.attempts import AlreadySubmittedError
from tests import factories
from tests.registration.test_concurrency import run_in_threads, wagtail_root  # noqa: F401 (a fixture)

from .factories import answers_with, make_bank, register

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PEOPLE = 40


def test_forty_post_tests_submitted_at_once_all_succeed_once(course, trainer, capsys):
    assert connection.vendor == "postgresql"
    session = factories.make_session(course, trainers=[trainer])
    bank = make_bank(course)
    test = service.ensure_test(trainer, session, "post")
    service.open_test(trainer, test, 10)
    people = [register(session, factories.participant()).user for _ in range(PEOPLE)]
    answers = answers_with(bank, 3)

    def submit(person):
        started = time.perf_counter()
        attempt = service.submit(person, test, answers)
        return attempt.pk, time.perf_counter() - started

    results, errors, wall = run_in_threads([lambda person=person: submit(person) for person in people])
    assert errors == []
    assert len({pk for pk, _seconds in results}) == PEOPLE
    assert Attempt.objects.filter(test=test).count() == PEOPLE
    assert set(Attempt.objects.values_list("score", flat=True)) == {3}
    assert Answer.objects.filter(attempt__test=test).count() == PEOPLE * len(bank)
    assert wall < 30
    slowest = max(seconds for _pk, seconds in results)
    with capsys.disabled():
        print(f"\n40 simultaneous post-test submissions: wall {wall:.2f} s, slowest {slowest * 1000:.0f} ms")

    # The same people pressing "Submit" again, all at once: every one refused, nothing added.
    _results, errors, _wall = run_in_threads([lambda person=person: submit(person) for person in people])
    assert len(errors) == PEOPLE and all(isinstance(error, AlreadySubmittedError) for error in errors)
    assert Attempt.objects.filter(test=test).count() == PEOPLE


def test_one_person_submitting_twice_at_once_keeps_one_attempt(course, trainer):
    session = factories.make_session(course, trainers=[trainer])
    bank = make_bank(course)
    test = service.ensure_test(trainer, session, "pre")
    service.open_test(trainer, test, 10)
    person = register(session, factories.participant()).user
    results, errors, _wall = run_in_threads(
        [lambda right=right: service.submit(person, test, answers_with(bank, right)).score for right in range(8)]
    )
    assert len([r for r in results if r is not None]) == 1
    assert len(errors) == 7 and all(isinstance(error, AlreadySubmittedError) for error in errors)
    assert Attempt.objects.filter(test=test).count() == 1
    assert Answer.objects.filter(attempt__test=test).count() == len(bank)


def test_a_submission_that_arrives_after_the_close_is_refused(course, trainer):
    """The phone read the test while it was open; the trainer closed it before the answers arrived. The attempt's
    shared lock on the test's row reads it again: refused, nothing saved (a closing trainer waits for the
    submissions already in flight)."""
    from academy.errors import DomainError
    from courses.models import KnowledgeTest

    session = factories.make_session(course, trainers=[trainer])
    bank = make_bank(course)
    test = service.ensure_test(trainer, session, "post")
    service.open_test(trainer, test, 10)
    person = register(session, factories.participant()).user
    as_the_phone_read_it = KnowledgeTest.objects.get(pk=test.pk)
    service.close_test(trainer, KnowledgeTest.objects.get(pk=test.pk))
    with pytest.raises(DomainError) as refused:
        service.submit(person, as_the_phone_read_it, answers_with(bank, 2))
    assert refused.value.code == "closed"
    assert not Attempt.objects.filter(test=test).exists()
