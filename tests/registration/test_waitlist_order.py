"""The waitlist is served in order: a freed seat goes to the first waiting person in the same transaction,
and a newcomer never gets a seat while anyone is waiting (issue 15, item 7).

The Celery worker is "stopped": tasks are published to the broker and nobody runs them, so nothing but
the registration services themselves can hand out a seat.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/registration CELERY_BROKER_URL=redis://127.0.0.1:6379/3 \
     .venv/bin/pytest tests/registration/test_waitlist_order.py
"""

import contextlib
from datetime import timedelta

import pytest
from django.utils import timezone

from courses.models import Registration
from courses.services import registration as service
from tests import factories
from tests.registration.test_concurrency import run_in_threads

pytestmark = pytest.mark.postgres


@pytest.fixture
def wagtail_root(transactional_db):
    """Transactional tests empty every table afterwards, the Wagtail root page included: put it back."""
    from wagtail.models import Locale, Page

    if not Page.objects.filter(depth=1).exists():
        locale, _created = Locale.objects.get_or_create(language_code="ky")
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))


@contextlib.contextmanager
def worker_stopped():
    """Tasks go to the broker (or kombu's memory transport) and no worker picks them up; they are purged after."""
    from academy.celery import app

    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = True
        with contextlib.suppress(Exception), app.connection_for_write() as connection:
            app.control.purge(connection=connection)


def full_session(course, *, seats, waiting, **fields):
    """A session with every seat confirmed and `waiting` people on its waitlist, one second apart."""
    session = factories.make_session(course, starts_at=timezone.now() + timedelta(days=30), capacity=seats, **fields)
    people = [factories.participant() for _ in range(seats + waiting)]
    for person in people:
        service.enrol(session, person, actor=None, trusted=True, notify=False)
    confirmed = list(session.registrations.confirmed().order_by("created_at", "pk"))
    waitlist = list(session.registrations.waitlist())
    assert (len(confirmed), len(waitlist)) == (seats, waiting)
    return session, confirmed, waitlist


@pytest.mark.django_db
def test_a_newcomer_after_a_cancellation_is_waitlisted_behind_and_the_first_waiter_gets_the_seat(
    course, django_capture_on_commit_callbacks
):
    session, confirmed, waitlist = full_session(course, seats=3, waiting=2)
    newcomer = factories.participant()
    with worker_stopped(), django_capture_on_commit_callbacks(execute=True):
        service.cancel(confirmed[0], actor=confirmed[0].user)
        registration = service.register(session, newcomer)
    assert registration.status == "waitlisted"
    statuses = dict(session.registrations.values_list("pk", "status"))
    assert statuses[waitlist[0].pk] == "confirmed"
    assert statuses[waitlist[1].pk] == "waitlisted"
    assert session.registrations.confirmed().count() == 3
    assert list(session.registrations.waitlist().values_list("pk", flat=True)) == [waitlist[1].pk, registration.pk]
    # The catch-up task, when the worker is back, finds nothing to do.
    assert service.promote_waitlist(session.pk) == []


@pytest.mark.django_db
def test_seats_freed_without_a_promotion_are_held_for_the_waitlist(course, django_capture_on_commit_callbacks):
    """A capacity raised (the promotion task not run yet): the first registration served afterwards hands the
    new seats to the people waiting, in order, and waitlists the newcomer."""
    session, _confirmed, waitlist = full_session(course, seats=2, waiting=3)
    with worker_stopped(), django_capture_on_commit_callbacks(execute=True):
        session.capacity = 4
        session.save(update_fields=["capacity"])
        registration = service.register(session, factories.participant())
    assert registration.status == "waitlisted"
    assert Registration.objects.get(pk=waitlist[0].pk).status == "confirmed"
    assert Registration.objects.get(pk=waitlist[1].pk).status == "confirmed"
    assert list(session.registrations.waitlist().values_list("pk", flat=True)) == [waitlist[2].pk, registration.pk]


@pytest.mark.django_db
def test_approval_does_not_confirm_ahead_of_the_waitlist(course, admin_user, django_capture_on_commit_callbacks):
    """In a session that needs approval, "approved" means confirmed only when nobody approved earlier is waiting."""
    session, confirmed, waitlist = full_session(course, seats=2, waiting=1, requires_approval=True)
    pending = service.register(session, factories.participant())
    assert pending.status == "pending"
    with worker_stopped(), django_capture_on_commit_callbacks(execute=True):
        service.cancel(confirmed[0], actor=admin_user)
        approved = service.approve_one(pending, actor=admin_user)
    assert approved.status == "waitlisted"
    assert Registration.objects.get(pk=waitlist[0].pk).status == "confirmed"
    assert session.registrations.confirmed().count() == 2


@pytest.mark.django_db
def test_an_organiser_cancelling_several_promotes_as_many_in_order(course, admin_user):
    session, confirmed, waitlist = full_session(course, seats=3, waiting=4)
    ids = [confirmed[0].pk, confirmed[1].pk, waitlist[0].pk]
    with worker_stopped():
        decision = service.cancel_many(session, ids, actor=admin_user)
    assert len(decision.changed) == 3
    statuses = dict(session.registrations.values_list("pk", "status"))
    assert [statuses[r.pk] for r in waitlist] == ["cancelled", "confirmed", "confirmed", "waitlisted"]
    assert session.registrations.confirmed().count() == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_cancellations_and_registrations_never_overbook_or_jump_the_queue(wagtail_root, course, capsys):
    seats, waiting, cancelling, newcomers = 6, 5, 4, 12
    session, confirmed, waitlist = full_session(course, seats=seats, waiting=waiting)
    people = [factories.participant() for _ in range(newcomers)]
    jobs = [lambda r=registration: service.cancel(r, actor=r.user).status for registration in confirmed[:cancelling]]
    jobs += [lambda person=person: service.register(session, person).status for person in people]
    with worker_stopped():
        results, errors, wall = run_in_threads(jobs)
    assert errors == []
    assert results[cancelling:] == ["waitlisted"] * newcomers  # every newcomer queued behind the waiting people
    assert session.registrations.confirmed().count() == seats
    promoted = [registration.pk for registration in waitlist[:cancelling]]
    assert set(session.registrations.confirmed().values_list("pk", flat=True)) == {
        registration.pk for registration in confirmed[cancelling:]
    } | set(promoted)
    queue = list(session.registrations.waitlist().values_list("pk", flat=True))
    assert queue[: waiting - cancelling] == [registration.pk for registration in waitlist[cancelling:]]
    assert sorted(queue[waiting - cancelling :]) == sorted(
        Registration.objects.filter(user__in=people).values_list("pk", flat=True)
    )
    with capsys.disabled():
        print(
            f"\n[waitlist order] {cancelling} cancellations + {newcomers} registrations at once: "
            f"confirmed={seats}/{seats} promoted in order, newcomers waitlisted, wall={wall:.2f}s"
        )
