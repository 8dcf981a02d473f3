"""Trainers (or admins) hear that registrations wait for their approval: once per new arrival, counted."""

from datetime import timedelta

import pytest
from django.utils import timezone

from academy.models import OutboxEmail
from courses.models import RegistrationStatus
from courses.services.registration import register
from courses.tasks.registration import send_pending_digests
from tests import factories

pytestmark = pytest.mark.django_db


def _approval_session(course, trainers=()):
    return factories.make_session(
        course, starts_at=timezone.now() + timedelta(days=10), requires_approval=True, trainers=trainers
    )


def test_the_trainer_hears_once_per_new_registration_with_the_count(course, trainer, other_trainer):
    session = _approval_session(course, trainers=[trainer])
    people = [factories.participant() for _ in range(3)]
    for person in people[:2]:
        assert register(session, person, notify=False).status == RegistrationStatus.PENDING
    assert send_pending_digests.apply().get() == 1
    assert send_pending_digests.apply().get() == 0  # run twice: nothing new
    register(session, people[2], notify=False)
    assert send_pending_digests.apply().get() == 1
    emails = list(OutboxEmail.objects.filter(key__startswith="pending-digest:").order_by("pk"))
    assert [email.to for email in emails] == [trainer.email, trainer.email]  # not the other trainer
    assert emails[0].subject.startswith("2 ") and emails[1].subject.startswith("3 ")
    assert f"/admin/registrations/session/{session.pk}/" in emails[1].body_text


def test_without_trainers_the_academy_admins_hear(course, admin_user, participant):
    session = _approval_session(course)
    register(session, participant, notify=False)
    assert send_pending_digests.apply().get() == 1
    assert OutboxEmail.objects.get(key__startswith="pending-digest:").to == admin_user.email


def test_decided_registrations_and_past_sessions_make_no_message(course, trainer, participant, admin_user):
    from courses.services.registration import approve

    session = _approval_session(course, trainers=[trainer])
    registration = register(session, participant, notify=False)
    approve(session, [registration.pk], actor=admin_user, notify=False)
    assert send_pending_digests.apply().get() == 0
