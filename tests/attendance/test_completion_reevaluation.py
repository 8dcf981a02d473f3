"""Completion follows changes to a started session's dates, agenda and course rule."""

from datetime import timedelta

from courses.models import AgendaItem
from courses.services import attendance as attendance_service
from courses.tasks.attendance import evaluate_session_completion
from tests import factories

from .conftest import mark_slots

AFTER = factories.bishkek(2026, 12, 17, 10)



def reevaluations(callbacks):
    """The completion re-evaluations among the after-commit callbacks (others, e.g. the site search index, may follow
    a session save too)."""
    return [
        callback
        for callback in callbacks
        if getattr(callback, "args", ()) and "evaluate_session_completion" in str(callback.args[0])
    ]

def test_shortening_a_started_session_recomputes_completion(
    session, registration, trainer, clock, django_capture_on_commit_callbacks
):
    clock.move_to(AFTER)
    session.course.min_attendance_percent = 100
    session.course.save()
    mark_slots(session, registration, trainer, ["present", "absent"])
    assert (registration.attendance_percent, registration.completed_at) == (50, None)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        session.ends_at -= timedelta(days=1)  # the second day was called off
        session.save()
    assert len(reevaluations(callbacks)) == 1
    registration.refresh_from_db()
    assert registration.attendance_percent == 100 and registration.completed_at is not None


def test_deleting_an_agenda_block_recomputes_the_percentage(
    block_session, block_registration, trainer, clock, django_capture_on_commit_callbacks
):
    clock.move_to(AFTER)
    mark_slots(block_session, block_registration, trainer, ["present", "present", "present", "absent"])
    assert block_registration.attendance_percent == 75
    missed = attendance_service.session_slots(block_session)[3].agenda_item
    with django_capture_on_commit_callbacks(execute=True):
        missed.delete()
    block_registration.refresh_from_db()
    assert block_registration.attendance_percent == 100


def test_changing_the_course_rule_recomputes_its_started_sessions(
    session, registration, trainer, clock, django_capture_on_commit_callbacks
):
    course = session.course
    course.min_attendance_percent = 100
    course.save_revision().publish()  # before the session started: nothing to re-evaluate yet
    clock.move_to(AFTER)
    mark_slots(session, registration, trainer, ["present", "absent"])
    assert registration.completed_at is None
    course.min_attendance_percent = 50
    with django_capture_on_commit_callbacks(execute=True):
        course.save_revision().publish()
    registration.refresh_from_db()
    assert registration.completed_at is not None


def test_one_reevaluation_per_session_however_many_rows_a_form_saves(
    session, registration, trainer, clock, django_capture_on_commit_callbacks
):
    clock.move_to(AFTER)
    with django_capture_on_commit_callbacks() as callbacks:
        for day in session.days:
            AgendaItem.objects.create(session=session, day=day, starts_at="09:00", ends_at="10:30", title="Сессия")
        session.save()
    assert len(reevaluations(callbacks)) == 1


def test_a_session_that_has_not_started_is_not_reevaluated(
    session, registration, clock, django_capture_on_commit_callbacks
):
    clock.move_to(session.starts_at - timedelta(days=3))
    with django_capture_on_commit_callbacks() as callbacks:
        session.capacity += 5
        session.save()
        AgendaItem.objects.create(session=session, day=session.days[0], starts_at="09:00", ends_at="10:30", title="1")
    assert reevaluations(callbacks) == []


def test_the_reevaluation_task_run_twice_changes_nothing_more(session, registration, trainer, clock):
    clock.move_to(AFTER)
    mark_slots(session, registration, trainer, ["present", "present"])
    registration.attendance_percent, registration.completed_at = None, None
    registration.save()
    assert evaluate_session_completion.apply(args=[session.pk]).get() == 1
    registration.refresh_from_db()
    first = (registration.attendance_percent, registration.completed_at)
    clock.shift(3600)
    assert evaluate_session_completion.apply(args=[session.pk]).get() == 1
    registration.refresh_from_db()
    assert (registration.attendance_percent, registration.completed_at) == first == (100, AFTER)
    assert evaluate_session_completion.apply(args=[0]).get() == 0  # a deleted session is not an error


def test_a_finalised_session_keeps_its_results_until_finalised_again(
    session, registration, trainer, clock, django_capture_on_commit_callbacks
):
    clock.move_to(AFTER)
    mark_slots(session, registration, trainer, ["present", "present"])
    session.status = "completed"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        session.save()
        session.agenda_items.create(day=session.days[0], starts_at="09:00", ends_at="10:30", title="Сессия")
    assert reevaluations(callbacks) == []
    registration.refresh_from_db()
    assert registration.completed_at == AFTER
