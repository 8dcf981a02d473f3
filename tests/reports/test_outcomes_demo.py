"""The demo (`seed_demo`, what `make run` seeds): the donor outcome report of the funding project of the seeded
Batken training shows figures at every level — reach, satisfaction, learning, action plans and cost."""

from io import StringIO

import pytest
from django.core.management import call_command

from courses.models import Attempt
from reports.services import outcomes
from reports.services.base import ReportFilters

pytestmark = pytest.mark.django_db


def test_the_seeded_project_has_figures_at_every_level(db):
    call_command("seed_demo", stdout=StringIO())
    tested = Attempt.objects.filter(test__kind="post").select_related("registration__session").first()
    assert tested is not None, "the demo has no post-test attempt"
    project_id = tested.registration.session.funding_project_id
    assert project_id, "the demo's tested session has no funding project"
    data = outcomes.figures(ReportFilters(funding_project_id=project_id))
    assert data["reach"]["people"] > 0 and data["reach"]["municipalities"] > 0
    assert data["reach"]["participant_hours"] > 0
    assert data["satisfaction"]["answers"] > 0 and data["satisfaction"]["average"] is not None
    assert data["learning"]["took_both"] > 0 and data["learning"]["average_post"] is not None
    assert data["action_plan"]["items"] > 0 and data["action_plan"]["done_share"] is not None
    assert data["cost"]["total"] is not None and data["cost"]["per_participant_hour"] is not None
    assert any(row["learning"]["took_both"] for row in data["sessions"])
