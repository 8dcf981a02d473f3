"""Fixtures of the registration area: an open session (clock at 1 Dec 2026, the session on 15 Dec)."""

import pytest

from tests import factories


def make_session(course, **kwargs):
    """factories.make_session, with the trainers saved (modelcluster keeps `trainers.set()` in memory until save)."""
    session = factories.make_session(course, **kwargs)
    if kwargs.get("trainers"):
        session.save()
    return session


@pytest.fixture
def session(course, trainer, clock):
    return make_session(course, capacity=3, trainers=[trainer])


@pytest.fixture
def approval_session(course, trainer, clock):
    return make_session(course, capacity=2, trainers=[trainer], requires_approval=True)


@pytest.fixture
def make_participant(db):
    def make(**profile):
        kwargs = {f"profile__{key}": value for key, value in profile.items()}
        return factories.participant(**kwargs)

    return make


@pytest.fixture
def register(db):
    """Register through the service, as the participant would."""
    from courses.services import registration as service

    def do(session, user, **kwargs):
        return service.register(session, user, **kwargs)

    return do


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what the code under test queued with transaction.on_commit (tasks run eagerly)."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            result = function(*args, **kwargs)
        return result, callbacks

    return run
