"""Real concurrency on PostgreSQL: threads, each with its own connection, race for the seats.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/registration .venv/bin/pytest tests/registration -m postgres
"""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from academy.errors import DomainError
from academy.models import OutboxEmail
from courses.models import Registration
from courses.services import registration as service
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ATTEMPTS = 60
SEATS = 10


@pytest.fixture(autouse=True)
def wagtail_root(transactional_db):
    """Transactional tests empty every table afterwards, the Wagtail root page included: put it back."""
    from wagtail.models import Locale, Page

    if not Page.objects.filter(depth=1).exists():
        locale, _created = Locale.objects.get_or_create(language_code="ky")
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))


def run_in_threads(functions):
    """Start every function at the same moment (a barrier), each thread on its own DB connection."""
    barrier = threading.Barrier(len(functions))
    results, errors = [None] * len(functions), []

    def work(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # collected and asserted by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(index, function)) for index, function in enumerate(functions)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors, time.perf_counter() - started


@pytest.fixture
def future_session(course):
    return factories.make_session(course, starts_at=timezone.now() + timedelta(days=30), capacity=SEATS)


def test_concurrent_registrations_never_overbook_and_waitlist_in_arrival_order(future_session, capsys):
    assert connection.vendor == "postgresql"
    people = [factories.participant() for _ in range(ATTEMPTS)]
    mail.outbox = []
    results, errors, wall = run_in_threads(
        [lambda person=person: service.register(future_session, person).status for person in people]
    )
    assert errors == []
    registrations = future_session.registrations.all()
    confirmed = registrations.filter(status="confirmed").count()
    waitlisted = registrations.filter(status="waitlisted").count()
    assert (confirmed, waitlisted) == (SEATS, ATTEMPTS - SEATS)
    assert sorted(results) == sorted(["confirmed"] * SEATS + ["waitlisted"] * (ATTEMPTS - SEATS))
    # Arrival = the order in which the locked transactions committed: created_at and pk grow together,
    # every confirmed seat was taken before the first waitlisted row, and the waitlist follows that order.
    by_time = list(registrations.order_by("created_at", "pk").values_list("pk", "status"))
    by_pk = list(registrations.order_by("pk").values_list("pk", "status"))
    assert by_time == by_pk
    assert [status for _pk, status in by_time] == ["confirmed"] * SEATS + ["waitlisted"] * (ATTEMPTS - SEATS)
    assert list(future_session.registrations.waitlist().values_list("pk", flat=True)) == [
        pk for pk, status in by_time if status == "waitlisted"
    ]
    # One e-mail per registration, confirmed or waitlisted.
    assert OutboxEmail.objects.filter(key__startswith="registration-").count() == ATTEMPTS
    with capsys.disabled():
        print(
            f"\n[registration concurrency] attempts={ATTEMPTS} seats={SEATS} confirmed={confirmed} "
            f"waitlisted={waitlisted} wall={wall:.2f}s"
        )


def test_the_same_person_clicking_many_times_at_once_gets_one_registration(future_session):
    person = factories.participant()
    results, errors, _wall = run_in_threads([lambda: service.register(future_session, person).pk for _ in range(12)])
    assert Registration.objects.filter(user=person).count() == 1
    assert len([result for result in results if result]) == 1
    assert len(errors) == 11 and all(isinstance(error, DomainError) and error.code == "duplicate" for error in errors)


def test_concurrent_cancellations_and_promotions_never_promote_twice(future_session, capsys):
    people = [factories.participant() for _ in range(SEATS + 20)]
    for person in people:
        service.register(future_session, person, notify=False)
    confirmed = list(future_session.registrations.confirmed().order_by("created_at", "pk"))
    waitlist_before = list(future_session.registrations.waitlist().values_list("pk", flat=True))
    cancelling = confirmed[:5]
    jobs = [
        lambda registration=registration: service.cancel(registration, actor=registration.user)
        for registration in cancelling
    ]
    jobs += [lambda: service.promote_waitlist(future_session.pk) for _ in range(15)]
    _results, errors, wall = run_in_threads(jobs)
    assert errors == []
    assert future_session.registrations.confirmed().count() == SEATS
    assert future_session.registrations.filter(status="cancelled").count() == 5
    promoted = set(waitlist_before[:5])
    assert (
        set(future_session.registrations.confirmed().values_list("pk", flat=True))
        == {registration.pk for registration in confirmed[5:]} | promoted
    )
    assert list(future_session.registrations.waitlist().values_list("pk", flat=True)) == waitlist_before[5:]
    # Each promoted person is told once, however many promotion runs raced.
    for pk in promoted:
        assert OutboxEmail.objects.filter(key__startswith=f"registration-promoted:{pk}:").count() == 1
    assert OutboxEmail.objects.filter(key__startswith="registration-promoted:").count() == 5
    with capsys.disabled():
        print(f"\n[registration concurrency] 5 cancellations + 15 promotion runs: promoted=5 wall={wall:.2f}s")
