"""Reports and follow-ups at the same moment, on PostgreSQL (each thread on its own connection).

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> ACADEMY_REQUIRE_SERVICES=1 \
     .venv/bin/pytest tests/action_plans -m postgres
"""

import pytest
from django.db import connection

from academy.models import OutboxEmail
from courses.models import ActionPlanFollowUp, ActionPlanItem, ActionPlanReport, Registration
from courses.services import action_plans as service
from tests.registration.test_concurrency import run_in_threads, wagtail_root  # noqa: F401 (a fixture)

from .conftest import make_item

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

STATUSES = ("done", "in_progress", "dropped")


def test_reports_at_once_leave_the_status_of_the_last_one_written(session, participant, trainer):
    assert connection.vendor == "postgresql"
    Registration.objects.create(session=session, user=participant, status="confirmed")
    item = make_item(session, participant)
    people = [participant if index % 2 else trainer for index in range(20)]

    def report(index, person):
        fresh = ActionPlanItem.objects.select_related("session").get(pk=item.pk)
        return service.report_item(person, fresh, status=STATUSES[index % 3], round="6", comment=str(index)).pk

    results, errors, _wall = run_in_threads(
        [lambda index=index, person=person: report(index, person) for index, person in enumerate(people)]
    )
    assert errors == []
    assert ActionPlanReport.objects.filter(item=item).count() == 20
    last = ActionPlanReport.objects.filter(item=item).order_by("-pk").first()
    item.refresh_from_db()
    assert item.status == last.status


def test_two_follow_up_runs_at_once_send_once(session, participant, other_participant):
    for person in (participant, other_participant):
        Registration.objects.create(session=session, user=person, status="confirmed")
        make_item(session, person)
    results, errors, _wall = run_in_threads([service.send_due_follow_ups for _run in range(4)])
    assert errors == []
    assert sum(results) == 2
    assert OutboxEmail.objects.filter(key__startswith=f"action-plan:{session.pk}:").count() == 2
    assert ActionPlanFollowUp.objects.filter(session=session, round=6).count() == 1
