"""The attendance audit screen in the admin (synced marks per session): who may see it, and its filters."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from courses.services import attendance_sync
from tests import factories
from tests.attendance.conftest import make_session, register

pytestmark = pytest.mark.django_db

ROW = '<tr class="audit-row">'


@pytest.fixture
def synced(course, trainer):
    today = timezone.localdate()
    session = make_session(
        course, starts_at=factories.bishkek(today.year, today.month, today.day), days=1, trainers=[trainer]
    )
    people = [register(session, factories.participant()) for _ in range(3)]
    now = timezone.now()
    attendance_sync.sync_marks(
        session,
        [
            {
                "client_id": uuid.uuid4(),
                "registration": r.pk,
                "day": today,
                "status": "present",
                "recorded_at": now - timedelta(minutes=5),
            }
            for r in people
        ],
        by=trainer,
    )
    return session, people


def url(session, **query):
    from urllib.parse import urlencode

    return f"/admin/registrations/session/{session.pk}/attendance-audit/" + ("?" + urlencode(query) if query else "")


def test_the_sessions_trainer_and_an_admin_see_every_synced_mark(
    client, synced, trainer, django_assert_max_num_queries
):
    session, people = synced
    for person in (trainer, factories.academy_admin()):
        client.force_login(person)
        with django_assert_max_num_queries(30):
            response = client.get(url(session))
        assert response.status_code == 200
        html = response.content.decode()
        for registration in people:
            assert html.count(registration.user.display_name) >= 2  # the filter's option and the row
        assert html.count(ROW) == len(people)


def test_the_filters_narrow_to_one_participant_and_day(client, synced, trainer):
    session, people = synced
    client.force_login(trainer)
    html = client.get(url(session, participant=people[0].pk, day=timezone.localdate().isoformat())).content.decode()
    assert html.count(ROW) == 1
    html = client.get(url(session, day=(timezone.localdate() + timedelta(days=9)).isoformat())).content.decode()
    assert html.count(ROW) == 0
    # Bad input is ignored with a message, never a 500.
    response = client.get(url(session, participant="x", day="not-a-day", p="zz"))
    assert response.status_code == 200 and response.content.decode().count(ROW) == len(people)


def test_other_trainers_participants_and_strangers_are_refused(client, synced, participant, other_trainer):
    session, _people = synced
    for person in (participant, other_trainer):
        client.force_login(person)
        assert client.get(url(session)).status_code != 200, person
    client.logout()
    assert client.get(url(session)).status_code == 302  # to the admin's login


def test_a_long_audit_is_paged(client, synced, trainer, monkeypatch):
    from courses.admin import attendance_audit

    session, _people = synced
    monkeypatch.setattr(attendance_audit, "PAGE_SIZE", 2)
    client.force_login(trainer)
    first = client.get(url(session)).content.decode()
    second = client.get(url(session, p=2)).content.decode()
    assert first.count(ROW) == 2 and second.count(ROW) == 1
    assert "Page 1 of 2" in first and "p=2" in first
