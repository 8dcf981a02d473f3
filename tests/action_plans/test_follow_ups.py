"""Follow-ups: one message per responsible person per round, sent once however often the task runs; the links."""

from datetime import date

import pytest
import time_machine
from django.core import signing

from academy.models import OutboxEmail, OutboxMessage
from courses.models import ActionPlanFollowUp
from courses.services import action_plans as service
from courses.tasks.action_plans import send_action_plan_follow_ups
from tests import factories

from .conftest import make_item

pytestmark = pytest.mark.django_db


def outbox_keys():
    return sorted(
        [*OutboxEmail.objects.values_list("key", flat=True), *OutboxMessage.objects.values_list("key", flat=True)]
    )


def test_rounds_and_due_dates(session, recent_session, settings):
    assert service.follow_up_months() == (3, 6)
    assert service.round_due_on(session, 3) == date(2026, 9, 2)
    assert service.due_rounds(session) == [3, 6]
    assert service.due_rounds(recent_session) == []
    settings.ACTION_PLAN_FOLLOW_UP_MONTHS = (12, 6, 6)
    assert service.follow_up_months() == (6, 12)


def test_one_message_per_person_per_round_and_a_second_run_sends_nothing(
    session, item, participant, other_participant, other_registration, orphan_item, recent_session
):
    make_item(session, participant, what="Экинчи пункт")  # two items, still one message
    make_item(session, other_participant)
    make_item(recent_session, participant)  # not due yet
    assert send_action_plan_follow_ups.delay().get() == 2
    keys = outbox_keys()
    assert keys == sorted(
        [f"action-plan:{session.pk}:6:{participant.pk}", f"action-plan:{session.pk}:6:{other_participant.pk}"]
    )
    # Both rounds were due: only the latest was sent, the 3-month one is recorded as passed.
    assert set(ActionPlanFollowUp.objects.values_list("round", "recipients")) == {(3, 0), (6, 2)}
    # The task runs twice: nothing more.
    assert send_action_plan_follow_ups.delay().get() == 0
    assert outbox_keys() == keys


def test_rounds_are_sent_as_they_fall_due(session, item, participant):
    with time_machine.travel(factories.bishkek(2026, 9, 2, 10), tick=False):
        assert service.send_due_follow_ups() == 1
        assert service.send_due_follow_ups() == 0
    with time_machine.travel(factories.bishkek(2026, 12, 2, 10), tick=False):
        assert service.send_due_follow_ups() == 1
    assert outbox_keys() == [
        f"action-plan:{session.pk}:3:{participant.pk}",
        f"action-plan:{session.pk}:6:{participant.pk}",
    ]


def test_message_in_the_person_language_with_a_working_link(session, item, participant):
    participant.profile.preferred_language = "ru"
    participant.profile.save()
    service.send_due_follow_ups()
    email = OutboxEmail.objects.get()
    assert "/ru/action-plan/" in email.body_text
    token = email.body_text.split("/ru/action-plan/")[1].split("/")[0]
    person, found_session, months, items = service.items_for_link(token)
    assert (person, found_session, months, items) == (participant, session, 6, [item])


def test_links(session, item, participant):
    token = service.make_token(participant, session, 6)
    assert service.read_token(token) == (participant.pk, session.pk, 6)
    with pytest.raises(service.LinkError) as raised:
        service.read_token(token[:-2] + "xx")
    assert raised.value.code == "invalid_link"
    with time_machine.travel(factories.bishkek(2027, 6, 1), tick=False), pytest.raises(service.LinkError) as raised:
        service.read_token(token)
    assert raised.value.code == "link_expired"
    forged = signing.dumps({"u": "1", "s": session.pk, "r": 6}, salt=service.follow_ups.SALT)
    with pytest.raises(service.LinkError):
        service.read_token(forged)
