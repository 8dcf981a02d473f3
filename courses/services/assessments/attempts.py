"""Attempts: a participant submits once from the phone, or the trainer types in a paper copy; both are scored
the same way. One attempt per person and test is kept by a unique constraint, so forty phones submitting at the
same moment each insert their own row, and a second submission changes nothing. Each phone submission holds a
shared lock on the test's row while it saves (they do not wait for one another; closing the test waits for them).
"""

from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.errors import DomainError, PermissionDeniedError
from courses.models import (
    Answer,
    Attempt,
    AttemptMethod,
    KnowledgeTest,
    QuestionKind,
    Registration,
    RegistrationStatus,
)

from .lifecycle import check_manager, load_questions, participant_registration

# A phone that pressed "Submit" just before the time ran out may arrive a little late.
GRACE_SECONDS = 30


class AlreadySubmittedError(DomainError):
    code = "already_submitted"


def already_submitted():
    return AlreadySubmittedError(_("You have already submitted this test; your first answers count."))


def parse_answers(data):
    """{question id: [choice ids]} from form fields named `q<question id>` (several values for several choices)."""
    answers = {}
    for key in data:
        if not key.startswith("q"):
            continue
        values = data.getlist(key) if hasattr(data, "getlist") else data[key]
        if not isinstance(values, list | tuple):
            values = [values]
        try:
            answers[int(key[1:])] = [int(value) for value in values if str(value).strip()]
        except ValueError:
            raise DomainError(_("An answer could not be read; please submit the form again."), code="bad_answer")
    return answers


def _score(questions, answers):
    """Check every answer against the test's questions and score it; raise before anything is saved."""
    by_id = {question.pk: question for question in questions}
    unknown = set(answers) - set(by_id)
    if unknown:
        raise DomainError(_("An answer names a question that is not in this test."), code="question_not_in_test")
    rows, score = [], 0
    for number, question in enumerate(questions, start=1):
        selected = sorted(set(answers.get(question.pk) or []))
        if not selected:
            continue  # unanswered: counts as wrong, nothing to keep
        choices = list(question.choices.all())
        if set(selected) - {choice.pk for choice in choices}:
            raise DomainError(
                _("An answer to question %(number)s names a choice it does not have.") % {"number": number},
                code="choice_not_in_question",
            )
        if question.kind != QuestionKind.MULTIPLE and len(selected) > 1:
            raise DomainError(
                _("Question %(number)s takes one answer only.") % {"number": number}, code="one_answer_only"
            )
        correct = selected == sorted(choice.pk for choice in choices if choice.is_correct)
        score += correct
        rows.append(Answer(question=question, selected=selected, is_correct=correct))
    return rows, score, len(questions)


def _check_open(test, now):
    if test.opened_at is None:
        raise DomainError(_("The trainer has not opened this test yet."), code="not_opened")
    if test.closed_at is not None or now > test.expires_at + timedelta(seconds=GRACE_SECONDS):
        raise DomainError(_("This test is closed; answers are no longer accepted."), code="closed")


def _hold_open(test, now):
    """Inside the attempt's transaction: a shared lock on the test's row (PostgreSQL FOR SHARE), then its state
    read again. Submissions share the lock, so they do not wait for one another; the trainer's "Close now" (an
    UPDATE) waits for the submissions in flight, and a submission that comes after the close sees it."""
    if connection.vendor != "postgresql":
        return  # SQLite runs one writer at a time: the state read before is still the state
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT opened_at, closed_at, time_limit_minutes FROM courses_knowledgetest WHERE id = %s FOR SHARE",
            [test.pk],
        )
        row = cursor.fetchone()
    current = KnowledgeTest(pk=test.pk, opened_at=row[0], closed_at=row[1], time_limit_minutes=row[2])
    _check_open(current, now)


def _save(test, registration, answers, *, method, entered_by=None, now=None):
    questions = load_questions(test)
    rows, score, max_score = _score(questions, answers)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            if method == AttemptMethod.PHONE:
                _hold_open(test, now)
            attempt = Attempt.objects.create(
                test=test,
                registration=registration,
                method=method,
                score=score,
                max_score=max_score,
                submitted_at=now,
                entered_by=entered_by,
            )
            for row in rows:
                row.attempt = attempt
            Answer.objects.bulk_create(rows)
    except IntegrityError:
        raise already_submitted() from None
    return attempt


def submit(user, test, answers, *, now=None):
    """The participant's one attempt at an open test; returns the scored Attempt."""
    now = now or timezone.now()
    registration = participant_registration(user, test.session)
    if Attempt.objects.filter(test=test, registration=registration).exists():
        raise already_submitted()
    _check_open(test, now)
    return _save(test, registration, answers, method=AttemptMethod.PHONE, now=now)


def enter_paper(actor, test, registration_id, answers, *, now=None):
    """The trainer types in the paper copy of a participant without a phone (open or closed test alike)."""
    check_manager(actor, test.session)
    try:
        registration_id = int(registration_id)
    except (TypeError, ValueError):
        registration_id = None
    registration = Registration.objects.filter(
        pk=registration_id, session_id=test.session_id, status=RegistrationStatus.CONFIRMED
    ).first()
    if registration is None:
        raise DomainError(_("Choose a confirmed participant of this session."), field="registration", code="bad_person")
    return _save(test, registration, answers, method=AttemptMethod.PAPER, entered_by=actor, now=now)


def own_attempt(user, test):
    """The user's own attempt (with its score) or None; nobody reads another person's score here."""
    if not user.is_authenticated:
        raise PermissionDeniedError(_("Only confirmed participants of this session can take its tests."))
    return Attempt.objects.filter(test=test, registration__user=user).first()
