"""Seat quotas under real concurrency on PostgreSQL: many people of one municipality race for its quota.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/pytest tests/registration/test_quotas_concurrency.py
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from courses.models import SessionQuota
from courses.services import registration as service
from tests import factories

from .test_concurrency import run_in_threads, wagtail_root  # noqa: F401 (the fixture puts the root page back)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

QUOTA = 5
CAPACITY = 12
RACERS = 30


@pytest.fixture
def quota_session(course):
    session = factories.make_session(course, starts_at=timezone.now() + timedelta(days=30), capacity=CAPACITY)
    SessionQuota.objects.create(session=session, municipality=factories.municipality("kyshtut"), seats=QUOTA)
    return session


def test_a_municipality_racing_for_its_quota_never_gets_more_than_the_quota(quota_session):
    assert connection.vendor == "postgresql"
    kyshtut = factories.municipality("kyshtut")
    people = [factories.participant(profile__municipality=kyshtut) for _ in range(RACERS)]
    results, errors, _wall = run_in_threads(
        [lambda person=person: service.register(quota_session, person).status for person in people]
    )
    assert errors == []
    assert sorted(results) == sorted(["confirmed"] * QUOTA + ["waitlisted"] * (RACERS - QUOTA))
    assert quota_session.registrations.filter(status="confirmed").count() == QUOTA


def test_mixed_racers_never_overbook_and_respect_every_bucket(quota_session):
    kyshtut = factories.municipality("kyshtut")
    insiders = [factories.participant(profile__municipality=kyshtut) for _ in range(RACERS)]
    outsiders = [factories.participant() for _ in range(RACERS)]
    _results, errors, _wall = run_in_threads(
        [lambda person=person: service.register(quota_session, person).status for person in insiders + outsiders]
    )
    assert errors == []
    confirmed = quota_session.registrations.filter(status="confirmed")
    assert confirmed.count() == CAPACITY
    assert confirmed.filter(user__profile__municipality=kyshtut).count() == QUOTA
    assert confirmed.exclude(user__profile__municipality=kyshtut).count() == CAPACITY - QUOTA
