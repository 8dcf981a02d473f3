"""One rule for "round N is due": the daily sender and the report check agree to the day, also for sessions that
end on the 29th-31st (month arithmetic clamped to the month's last day, Bishkek local date); cancelled sessions
are never asked."""

from datetime import date, timedelta

import pytest
import time_machine

from academy.errors import DomainError
from academy.models import OutboxEmail, OutboxMessage
from courses.models import ActionPlanFollowUp, ActionPlanReport
from courses.services import action_plans as service
from tests import factories

from .conftest import make_item

pytestmark = pytest.mark.django_db


def sent_keys():
    return sorted(
        [*OutboxEmail.objects.values_list("key", flat=True), *OutboxMessage.objects.values_list("key", flat=True)]
    )


@pytest.mark.parametrize(
    ("last_day", "months", "due_on"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # 31 Jan + 1 month: the end of February
        (date(2028, 2, 29), 12, date(2029, 2, 28)),  # a leap day + 12 months
        (date(2026, 11, 30), 3, date(2027, 2, 28)),  # 30 Nov + 3 months
    ],
)
def test_sender_and_report_check_agree_at_month_ends(course, trainer, participant, settings, last_day, months, due_on):
    settings.ACTION_PLAN_FOLLOW_UP_MONTHS = (months,)
    start = last_day - timedelta(days=1)
    session = factories.make_session(
        course, starts_at=factories.bishkek(start.year, start.month, start.day, 9), trainers=[trainer]
    )
    item = make_item(session, participant, due_date=last_day + timedelta(days=20))
    assert service.round_due_on(session, months) == due_on
    day_before = due_on - timedelta(days=1)
    with time_machine.travel(factories.bishkek(day_before.year, day_before.month, day_before.day, 23, 50), tick=False):
        assert service.is_round_due(session, months) is False
        assert service.due_rounds(session) == []
        with pytest.raises(DomainError) as error:
            service.report_item(participant, item, status="done", round=str(months))
        assert error.value.field == "round"
        assert service.send_due_follow_ups() == 0
    assert sent_keys() == [] and not ActionPlanReport.objects.exists()
    with time_machine.travel(factories.bishkek(due_on.year, due_on.month, due_on.day, 9, 10), tick=False):
        assert service.is_round_due(session, months) is True
        assert service.due_rounds(session) == [months]
        assert service.send_due_follow_ups() == 1  # the message goes out the day reports are accepted
        service.report_item(participant, item, status="done", round=str(months))
    assert sent_keys() == [f"action-plan:{session.pk}:{months}:{participant.pk}"]


def test_cancelled_sessions_get_no_follow_ups(session, item, course, trainer, other_participant):
    cancelled = factories.make_session(
        course, starts_at=factories.bishkek(2026, 6, 1), trainers=[trainer], status="cancelled"
    )
    make_item(cancelled, other_participant)
    assert service.send_due_follow_ups() == 1  # the session that took place is asked, the cancelled one is not
    assert service.send_due_follow_ups() == 0
    assert sent_keys() == [f"action-plan:{session.pk}:6:{item.responsible_user_id}"]
    assert not ActionPlanFollowUp.objects.filter(session=cancelled).exists()
