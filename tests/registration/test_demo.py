from io import StringIO

import pytest
from django.core.management import call_command

from courses.models import Registration, Session

pytestmark = pytest.mark.django_db


def test_demo_registrations_are_realistic_and_idempotent():
    call_command("seed_demo", stdout=StringIO())
    count = Registration.objects.count()
    assert count > 0
    full = [
        session
        for session in Session.objects.filter(status="open")
        if session.registrations.filter(status="waitlisted").exists()
    ]
    assert full, "a full upcoming session with a waitlist"
    for session in full:
        assert session.registrations.holding_seats().count() == session.capacity
    offered = Registration.objects.get(status="offered")  # one place offered, with its deadline
    assert offered.offer_expires_at > offered.status_changed_at and offered.session.waitlist_offer_hours == 48
    assert Registration.objects.filter(session__requires_approval=True, status="pending").exists()
    assert Registration.objects.filter(status="cancelled").exists()
    call_command("seed_demo", stdout=StringIO())
    assert Registration.objects.count() == count


def test_demo_falls_back_to_the_sessions_in_the_database(session, make_participant, clock):
    from django.utils import timezone

    from courses.demo import registrations as demo_registrations

    people = [make_participant() for _ in range(6)]
    summary = demo_registrations.seed({"now": timezone.now(), "participants": people})
    assert "full session" in summary
    assert session.registrations.filter(status="confirmed").count() == 3
    # One seat more, offered to the first person waiting.
    assert session.registrations.filter(status="offered").count() == 1
    assert session.registrations.filter(status="waitlisted").count() == 2
    demo_registrations.seed({"now": timezone.now(), "participants": people})
    assert session.registrations.count() == 6
    assert session.registrations.filter(status="offered").count() == 1
