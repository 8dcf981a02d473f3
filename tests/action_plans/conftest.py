"""Fixtures of the action plans area: a session that ended on 2 June 2026 (the 3- and 6-month follow-ups are due
from 2 September and 2 December), its trainer, two participants and items; the clock is fixed on 10 December."""

from datetime import date

import pytest
import time_machine

from courses.models import ActionPlanItem, Registration, Session
from tests import factories

NOW = factories.bishkek(2026, 12, 10, 12)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def session(course, trainer):
    session = factories.make_session(course, starts_at=factories.bishkek(2026, 6, 1), trainers=[trainer])
    return Session.objects.select_related("course").get(pk=session.pk)


@pytest.fixture
def recent_session(course, trainer):
    """Ended a month ago: no follow-up is due yet."""
    session = factories.make_session(course, starts_at=factories.bishkek(2026, 11, 9), trainers=[trainer])
    return Session.objects.select_related("course").get(pk=session.pk)


@pytest.fixture
def registration(session, participant):
    return Registration.objects.create(session=session, user=participant, status="confirmed")


@pytest.fixture
def other_registration(session, other_participant):
    return Registration.objects.create(session=session, user=other_participant, status="confirmed")


def make_item(session, user=None, *, what="Таза суу боюнча коомдук угуу өткөрүү", code="kyshtut", **fields):
    return ActionPlanItem.objects.create(
        session=session,
        municipality=factories.municipality(code) if code else None,
        what=what,
        responsible_name=user.display_name if user else "Жоробек Асанов",
        responsible_user=user,
        due_date=fields.pop("due_date", date(2026, 10, 1)),
        **fields,
    )


@pytest.fixture
def item(session, participant, registration):
    return make_item(session, participant)


@pytest.fixture
def orphan_item(session):
    """A responsible person without an account: no one to ask."""
    return make_item(session, None, what="Көчө жарыгын орнотуу", code="suu_bashy")
