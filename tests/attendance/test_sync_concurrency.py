"""The sync API on PostgreSQL: two identical batches from a phone that lost the first answer, at once.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/pytest tests/attendance -m postgres
"""

import uuid

import pytest

from courses.models import Attendance, AttendanceChange, Registration
from courses.services import attendance_sync
from tests import factories
from tests.registration.test_concurrency import run_in_threads, wagtail_root  # noqa: F401 (a fixture)

from .conftest import make_session

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PEOPLE = 30
COPIES = 2


def test_identical_batches_at_once_apply_each_mark_once(course, trainer):
    session = make_session(course, trainers=[trainer])
    registrations = [
        Registration.objects.create(session=session, user=factories.participant(), status="confirmed")
        for _ in range(PEOPLE)
    ]
    at = factories.bishkek(2026, 12, 15, 9, 5)
    batch = [
        {
            "client_id": uuid.uuid4(),
            "registration": registration.pk,
            "day": "2026-12-15",
            "status": "present",
            "recorded_at": at,
        }
        for registration in registrations
    ]
    results, errors, _wall = run_in_threads(
        [lambda: [r.outcome for r in attendance_sync.sync_marks(session, batch, by=trainer)] for _ in range(COPIES)]
    )
    assert errors == []
    outcomes = sorted(results)
    assert outcomes == [["applied"] * PEOPLE, ["duplicate"] * PEOPLE]
    assert Attendance.objects.filter(registration__session=session).count() == PEOPLE
    assert AttendanceChange.objects.count() == PEOPLE
