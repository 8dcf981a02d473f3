"""Fixtures of the knowledge-test area: a session with a trainer, a bank of four questions, built tests."""

import pytest

from courses.services import assessments as service
from tests import factories

from .factories import make_bank, register


@pytest.fixture
def session(course, trainer):
    from courses.models import Session

    session = factories.make_session(course, trainers=[trainer])
    return Session.objects.select_related("course").get(pk=session.pk)


@pytest.fixture
def bank(course):
    return make_bank(course)


@pytest.fixture
def pre_test(session, bank, trainer):
    return service.ensure_test(trainer, session, "pre")


@pytest.fixture
def post_test(session, bank, trainer):
    return service.ensure_test(trainer, session, "post")


@pytest.fixture
def open_pre(pre_test, trainer):
    return service.open_test(trainer, pre_test, 15)


@pytest.fixture
def registration(session, participant):
    return register(session, participant)
