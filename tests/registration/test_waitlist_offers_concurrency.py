"""Waitlist offers under real concurrency on PostgreSQL: answers racing each other and the expiry.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/registration .venv/bin/pytest tests/registration -m postgres
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from academy.errors import DomainError
from academy.models import OutboxEmail
from courses.models import Registration, RegistrationStatus
from courses.services import registration as service
from courses.services import waitlist_offers
from tests import factories

from .test_concurrency import run_in_threads, wagtail_root  # noqa: F401 (the fixture puts the root page back)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def offered(course):
    """A full session of two seats with three waiting; the first confirmed person cancelled: the first waiting
    person holds an offer. Returns (session, offered registration, the people in arrival order)."""
    session = factories.make_session(
        course, starts_at=timezone.now() + timedelta(days=30), capacity=2, waitlist_offer_hours=48
    )
    people = [factories.participant() for _ in range(5)]
    for person in people:
        service.register(session, person)
    service.cancel(Registration.objects.get(user=people[0]), actor=people[0])
    registration = Registration.objects.get(user=people[2])
    assert registration.status == RegistrationStatus.OFFERED
    return session, registration, people


def held(session):
    return session.registrations.holding_seats().count()


def test_two_accepts_at_once_confirm_once(offered):
    assert connection.vendor == "postgresql"
    session, registration, people = offered
    results, errors, _wall = run_in_threads(
        [lambda: waitlist_offers.accept_offer(registration, actor=people[2]).status for _ in range(2)]
    )
    assert errors == [] and results == ["confirmed", "confirmed"]
    assert held(session) == 2
    # One confirmation for the one change (the e-mails run eagerly after each commit).
    assert OutboxEmail.objects.filter(key__startswith=f"registration-confirmed:{registration.pk}:").count() == 1


@pytest.mark.parametrize("attempt", range(3))
def test_accept_racing_the_expiry_gives_the_place_once(offered, attempt):
    session, registration, people = offered
    deadline = registration.offer_expires_at
    results, errors, _wall = run_in_threads(
        [
            lambda: waitlist_offers.accept_offer(registration, actor=people[2], now=deadline - timedelta(seconds=1)),
            lambda: waitlist_offers.expire_session_offers(session.pk, now=deadline + timedelta(seconds=1)),
        ]
    )
    registration.refresh_from_db()
    assert held(session) == 2, "never overbooked, never a seat lost"
    if registration.status == RegistrationStatus.CONFIRMED:  # the accept took the lock first
        assert errors == [] and results[1] == 0
        assert Registration.objects.get(user=people[3]).status == RegistrationStatus.WAITLISTED
    else:  # the expiry did: the accept saw an expired offer and changed nothing
        assert registration.status == RegistrationStatus.CANCELLED and registration.offer_expired
        assert [error.code for error in errors if isinstance(error, DomainError)] == ["offer_expired"]
        assert Registration.objects.get(user=people[3]).status == RegistrationStatus.OFFERED


def test_declines_cancellations_and_newcomers_at_once_never_overbook(offered):
    session, registration, people = offered
    newcomers = [factories.participant() for _ in range(6)]
    work = [
        lambda: waitlist_offers.decline_offer(registration, actor=people[2]),
        lambda: service.cancel(Registration.objects.get(user=people[1]), actor=people[1]),
        *[lambda person=person: service.register(session, person) for person in newcomers],
    ]
    _results, errors, _wall = run_in_threads(work)
    assert errors == []
    assert held(session) == 2
    assert session.registrations.offered().count() == 2  # both freed places offered, none confirmed ahead
    # The offers went to the two who waited longest.
    assert set(session.registrations.offered().values_list("user", flat=True)) == {people[3].pk, people[4].pk}
