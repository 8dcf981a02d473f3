"""Services of knowledge tests: building, opening and closing, one attempt, bad input saves nothing, scoring,
paper entry, and the results figures checked against the rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from academy.errors import DomainError, PermissionDeniedError
from courses.models import Answer, Attempt, KnowledgeTest
from courses.services import assessments as service
from courses.services.assessments.attempts import AlreadySubmittedError
from tests import factories

from .factories import answers_with, make_question, register, right_answers

pytestmark = pytest.mark.django_db


def test_ensure_test_takes_the_course_bank_in_order_once(session, bank, trainer):
    test = service.ensure_test(trainer, session, "pre")
    assert [q.pk for q in service.load_questions(test)] == [q.pk for q in bank]
    assert service.ensure_test(trainer, session, "pre") == test
    assert KnowledgeTest.objects.count() == 1


def test_ensure_test_without_questions_is_refused(session, trainer):
    with pytest.raises(DomainError) as error:
        service.ensure_test(trainer, session, "pre")
    assert error.value.code == "no_questions"
    assert not KnowledgeTest.objects.exists()


@pytest.mark.parametrize("who", ["participant", "other_trainer"])
def test_only_the_sessions_trainers_and_admins_manage_tests(request, session, bank, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDeniedError):
        service.ensure_test(user, session, "pre")


def test_admin_may_manage_any_session(session, bank, admin_user):
    test = service.ensure_test(admin_user, session, "post")
    service.open_test(admin_user, test, 10)
    assert test.is_open()
    service.close_test(admin_user, test)
    assert not test.is_open()


@pytest.mark.parametrize("minutes", [None, "", "abc", 0, 181, "-5"])
def test_bad_time_limit_is_refused_and_changes_nothing(pre_test, trainer, minutes):
    with pytest.raises(DomainError) as error:
        service.open_test(trainer, pre_test, minutes)
    assert error.value.field == "minutes"
    pre_test.refresh_from_db()
    assert pre_test.opened_at is None


def test_close_before_open_is_refused(pre_test, trainer):
    with pytest.raises(DomainError):
        service.close_test(trainer, pre_test)


def test_submit_scores_single_multiple_and_true_false(open_pre, bank, registration, participant):
    attempt = service.submit(participant, open_pre, right_answers(bank))
    assert (attempt.score, attempt.max_score, attempt.percent) == (4, 4, 100)
    assert Answer.objects.filter(attempt=attempt, is_correct=True).count() == 4


def test_half_right_multiple_choice_is_wrong(open_pre, bank, registration, participant):
    answers = right_answers(bank)
    multiple = bank[1]
    answers[multiple.pk] = answers[multiple.pk][:1]
    attempt = service.submit(participant, open_pre, answers)
    assert attempt.score == 3


def test_unanswered_questions_count_as_wrong(open_pre, bank, registration, participant):
    attempt = service.submit(participant, open_pre, {bank[0].pk: right_answers(bank)[bank[0].pk]})
    assert (attempt.score, attempt.max_score) == (1, 4)


def test_second_submission_changes_nothing(open_pre, bank, registration, participant):
    first = service.submit(participant, open_pre, answers_with(bank, 1))
    with pytest.raises(AlreadySubmittedError):
        service.submit(participant, open_pre, right_answers(bank))
    assert Attempt.objects.get() == first
    first.refresh_from_db()
    assert first.score == 1
    assert Answer.objects.count() == 4


def test_answer_to_a_question_not_in_the_test_saves_nothing(open_pre, bank, registration, participant, course):
    stranger = make_question(course, "Башка суроо")  # in the bank, but added after the test was built
    answers = right_answers(bank) | {stranger.pk: [stranger.choices.first().pk]}
    with pytest.raises(DomainError) as error:
        service.submit(participant, open_pre, answers)
    assert error.value.code == "question_not_in_test"
    assert not Attempt.objects.exists() and not Answer.objects.exists()


def test_choice_of_another_question_saves_nothing(open_pre, bank, registration, participant):
    answers = right_answers(bank)
    answers[bank[0].pk] = [bank[3].choices.first().pk]
    with pytest.raises(DomainError) as error:
        service.submit(participant, open_pre, answers)
    assert error.value.code == "choice_not_in_question"
    assert not Attempt.objects.exists()


def test_two_choices_on_a_single_choice_question_are_refused(open_pre, bank, registration, participant):
    answers = {bank[0].pk: [c.pk for c in bank[0].choices.all()][:2]}
    with pytest.raises(DomainError) as error:
        service.submit(participant, open_pre, answers)
    assert error.value.code == "one_answer_only"
    assert not Attempt.objects.exists()


def test_test_not_opened_closed_or_expired_is_refused(pre_test, bank, registration, participant, trainer):
    with pytest.raises(DomainError) as error:
        service.submit(participant, pre_test, right_answers(bank))
    assert error.value.code == "not_opened"
    service.open_test(trainer, pre_test, 5)
    late = timezone.now() + timedelta(minutes=6)
    with pytest.raises(DomainError) as error:
        service.submit(participant, pre_test, right_answers(bank), now=late)
    assert error.value.code == "closed"
    service.close_test(trainer, pre_test)
    with pytest.raises(DomainError) as error:
        service.submit(participant, pre_test, right_answers(bank))
    assert error.value.code == "closed"
    assert not Attempt.objects.exists()


def test_a_phone_just_after_the_limit_is_still_accepted(open_pre, bank, registration, participant):
    just_late = open_pre.expires_at + timedelta(seconds=20)
    assert service.submit(participant, open_pre, right_answers(bank), now=just_late).score == 4


def test_closed_message_is_translated(pre_test, bank, registration, participant, trainer):
    from django.utils import translation

    service.open_test(trainer, pre_test, 5)
    service.close_test(trainer, pre_test)
    with translation.override("ru"), pytest.raises(DomainError) as error:
        service.submit(participant, pre_test, right_answers(bank))
    assert "закрыт" in str(error.value.message)


@pytest.mark.parametrize("status", ["waitlisted", "cancelled", None])
def test_only_confirmed_participants_submit(open_pre, bank, session, participant, status):
    if status:
        register(session, participant, status=status)
    with pytest.raises(PermissionDeniedError):
        service.submit(participant, open_pre, right_answers(bank))


def test_parse_answers_reads_form_fields_and_refuses_garbage():
    from django.http import QueryDict

    data = QueryDict("q5=7&q5=8&q6=9&csrfmiddlewaretoken=x&q7=")
    assert service.parse_answers(data) == {5: [7, 8], 6: [9], 7: []}
    with pytest.raises(DomainError):
        service.parse_answers(QueryDict("q5=abc"))
    with pytest.raises(DomainError):
        service.parse_answers(QueryDict("qx=1"))


def test_paper_entry_by_trainer_even_when_closed(pre_test, bank, registration, trainer):
    service.open_test(trainer, pre_test, 5)
    service.close_test(trainer, pre_test)
    attempt = service.enter_paper(trainer, pre_test, registration.pk, answers_with(bank, 2))
    assert (attempt.method, attempt.score, attempt.entered_by) == ("paper", 2, trainer)
    with pytest.raises(AlreadySubmittedError):
        service.enter_paper(trainer, pre_test, registration.pk, right_answers(bank))


def test_paper_entry_denied_and_bad_person(pre_test, bank, registration, participant, other_trainer, trainer, course):
    with pytest.raises(PermissionDeniedError):
        service.enter_paper(other_trainer, pre_test, registration.pk, right_answers(bank))
    with pytest.raises(PermissionDeniedError):
        service.enter_paper(participant, pre_test, registration.pk, right_answers(bank))
    elsewhere = register(factories.make_session(course), factories.participant())
    for bad in (elsewhere.pk, "abc", None, 999999):
        with pytest.raises(DomainError):
            service.enter_paper(trainer, pre_test, bad, right_answers(bank))
    assert not Attempt.objects.exists()


def test_results_figures_match_the_rows(session, bank, trainer, pre_test, post_test):
    service.open_test(trainer, pre_test, 15)
    service.open_test(trainer, post_test, 15)
    people = [register(session, factories.participant()) for _ in range(4)]
    # (pre right, post right) per person: +2, +1, 0 (no gain), and one who took only the pre-test.
    plan = [(1, 3), (2, 3), (2, 2), (0, None)]
    for registration, (pre, post) in zip(people, plan, strict=True):
        service.submit(registration.user, pre_test, answers_with(bank, pre))
        if post is not None:
            service.submit(registration.user, post_test, answers_with(bank, post))
    results = service.session_results(trainer, session)
    rows = {row.registration.pk: row for row in results.people}
    assert [rows[r.pk].gain for r in people] == [50, 25, 0, None]
    assert results.average_gain == 25.0  # (50 + 25 + 0) / 3
    assert results.improved_share == 67  # 2 of the 3 who took both
    assert (results.taken_pre, results.taken_post) == (4, 3)
    by_question = {row.question.pk: (row.right_pre, row.right_post) for row in results.questions}
    # answers_with(bank, n) gets the first n questions right.
    assert by_question == {bank[0].pk: (3, 3), bank[1].pk: (2, 3), bank[2].pk: (0, 2), bank[3].pk: (0, 0)}
    assert [row.question.pk for row in results.questions] == [q.pk for q in bank]


def test_results_denied_to_participants_and_other_trainers(session, participant, other_trainer):
    for user in (participant, other_trainer):
        with pytest.raises(PermissionDeniedError):
            service.session_results(user, session)


def test_results_queries_are_bounded(session, bank, trainer, open_pre, django_assert_max_num_queries):
    for _ in range(15):
        registration = register(session, factories.participant())
        service.submit(registration.user, open_pre, answers_with(bank, 2))
    with django_assert_max_num_queries(6):
        results = service.session_results(trainer, session)
        assert len(results.people) == 15
