"""Building a session's tests from the course's question bank, and opening and closing them."""

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.errors import DomainError, PermissionDeniedError
from courses.models import Choice, KnowledgeTest, KnowledgeTestQuestion, Question, Registration, RegistrationStatus
from courses.permissions import can_manage_session

MIN_MINUTES = 1
MAX_MINUTES = 180


def check_manager(actor, session):
    if not can_manage_session(actor, session):
        raise PermissionDeniedError(_("Only the trainers of this session and academy admins can manage its tests."))


def session_tests(session):
    """The session's tests by kind ("pre", "post"); a kind not built yet is missing."""
    return {test.kind: test for test in KnowledgeTest.objects.filter(session=session)}


def ensure_test(actor, session, kind, *, questions=None):
    """The session's test of this kind, built from the course's bank (all of its questions, in order, unless
    `questions` names some) the first time. Building it twice returns the first one."""
    check_manager(actor, session)
    existing = KnowledgeTest.objects.filter(session=session, kind=kind).first()
    if existing is not None:
        return existing
    if questions is None:
        questions = list(Question.objects.filter(course_id=session.course_id).order_by("pk"))
    if not questions:
        raise DomainError(
            _("The course has no test questions yet: add them in the admin (Courses > Test questions) first."),
            code="no_questions",
        )
    try:
        with transaction.atomic():
            test = KnowledgeTest.objects.create(session=session, kind=kind)
            KnowledgeTestQuestion.objects.bulk_create(
                KnowledgeTestQuestion(test=test, question=question, position=index)
                for index, question in enumerate(questions)
            )
    except IntegrityError:
        # Another request built it in between: use theirs.
        return KnowledgeTest.objects.get(session=session, kind=kind)
    return test


def _minutes(value):
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        minutes = None
    if minutes is None or not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise DomainError(
            _("The time limit must be a whole number of minutes from %(min)s to %(max)s.")
            % {"min": MIN_MINUTES, "max": MAX_MINUTES},
            field="minutes",
            code="bad_time_limit",
        )
    return minutes


def open_test(actor, test, minutes, *, now=None):
    """Open (or open again) the test for `minutes` from now."""
    check_manager(actor, test.session)
    test.time_limit_minutes = _minutes(minutes)
    test.opened_at = now or timezone.now()
    test.closed_at = None
    test.opened_by = actor
    test.save(update_fields=["time_limit_minutes", "opened_at", "closed_at", "opened_by"])
    return test


def open_kind(actor, session, kind, minutes, *, now=None):
    """Open the session's pre-test or post-test for `minutes`, building it from the bank the first time: one step
    for a trainer's app. A bad time limit or an empty bank changes nothing (not even the build)."""
    check_manager(actor, session)
    _minutes(minutes)
    with transaction.atomic():
        test = ensure_test(actor, session, kind)
        return open_test(actor, test, minutes, now=now)


def close_test(actor, test, *, now=None):
    check_manager(actor, test.session)
    if test.opened_at is None:
        raise DomainError(_("This test has not been opened yet."), code="not_opened")
    if test.closed_at is None:
        test.closed_at = now or timezone.now()
        test.save(update_fields=["closed_at"])
    return test


def load_questions(test):
    """The test's questions in order, each with its choices: two queries."""
    links = (
        KnowledgeTestQuestion.objects.filter(test=test)
        .select_related("question__image")
        .prefetch_related(Prefetch("question__choices", queryset=Choice.objects.order_by("sort_order", "pk")))
        .order_by("position", "pk")
    )
    return [link.question for link in links]


def participant_registration(user, session):
    """The user's confirmed registration for the session, or PermissionDeniedError."""
    registration = None
    if user.is_authenticated:
        registration = Registration.objects.filter(
            session=session, user=user, status=RegistrationStatus.CONFIRMED
        ).first()
    if registration is None:
        raise PermissionDeniedError(_("Only confirmed participants of this session can take its tests."))
    return registration
