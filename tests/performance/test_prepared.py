"""academy.prepared: a queryset compiled once gives the rows its `values()` gives, for any values (issue #17)."""

from datetime import datetime, timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from academy.api.authentication import find_token
from academy.prepared import Prepared
from academy.services import api_tokens
from courses.models import Registration
from tests.performance.conftest import people, registrations, sessions

pytestmark = pytest.mark.django_db


def _registrations_of(user, after):
    return (
        Registration.objects.filter(user_id=user, session__ends_at__gte=after)
        .order_by("pk")
        .values("pk", "status", "created_at", title=F("session__course__title"))
    )


def test_rows_equal_the_querysets_values_for_each_call(course):
    first, second = people(2)
    registrations((session, first) for session in sessions(course, 3))
    registrations((session, second) for session in sessions(course, 2, first_day=timezone.now() + timedelta(days=90)))
    prepared = Prepared(_registrations_of, user=int, after=datetime)
    now = timezone.now()
    for person, after in ((first, now), (second, now), (second, now + timedelta(days=200)), (first, now)):
        assert prepared.rows(user=person.pk, after=after) == list(_registrations_of(person.pk, after))
    assert len(prepared.rows(user=first.pk, after=now)) == 3
    assert prepared.rows(user=second.pk, after=now + timedelta(days=200)) == []


def test_a_value_the_orm_transforms_is_refused(course):
    prepared = Prepared(lambda name: Registration.objects.filter(user__email__contains=name).values("pk"), name=str)
    with pytest.raises(ValueError):
        prepared.rows(name="x")


def test_the_token_lookup_reads_the_database_each_time(participant):
    token = api_tokens.issue(participant)
    found = find_token(token.key)
    assert (found.user, found.use.last_used_at) == (participant, token.use.last_used_at)
    api_tokens.revoke_all(participant)
    assert find_token(token.key) is None


@pytest.mark.postgres
def test_on_postgresql_the_query_is_prepared_on_the_server_once_per_connection(course):
    """The second run in a connection uses a server-side prepared statement (planned once); Django's own
    queries stay unprepared; the rows stay those of the queryset."""
    from django.db import connection

    def prepared_statements():
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [statement for (statement,) in cursor.fetchall()]

    first = people(1)[0]
    registrations((session, first) for session in sessions(course, 2))
    prepared = Prepared(_registrations_of, user=int, after=datetime)
    before = prepared_statements()
    now = timezone.now() - timedelta(days=1)
    for _ in range(3):
        assert prepared.rows(user=first.pk, after=now) == list(_registrations_of(first.pk, now))
    added = [statement for statement in prepared_statements() if statement not in before]
    assert len(added) == 1 and '"courses_registration"' in added[0]
    assert "pg_prepared_statements" not in " ".join(prepared_statements())  # Django's cursors: not prepared


def test_prepared_statements_are_asked_for_on_postgresql_only(settings):
    from academy.settings.base import prepared_statements

    assert prepared_statements({"ENGINE": "django.db.backends.postgresql"})["OPTIONS"] == {"prepare_threshold": 1}
    assert "OPTIONS" not in prepared_statements({"ENGINE": "django.db.backends.sqlite3"})
