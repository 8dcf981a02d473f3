"""The demo: the Batken training's joint action plan, half done six months later (idempotent)."""

import pytest
from django.utils import timezone

from courses.demo import action_plans as demo
from courses.models import ActionPlanItem, ActionPlanReport, Registration
from reports.services import action_plans as report_service
from reports.services.base import ReportFilters
from tests import factories

pytestmark = pytest.mark.django_db


def test_batken_plan_half_done(session):
    for _index in range(6):
        Registration.objects.create(session=session, user=factories.participant(), status="confirmed")
    context = {"now": timezone.now(), "sessions": {"batken_past": session}}
    assert demo.seed(context) == "8 action plan items, 4 done"
    assert demo.seed(context) == "already there"
    assert ActionPlanItem.objects.filter(session=session).count() == 8
    statuses = sorted(ActionPlanItem.objects.values_list("status", flat=True))
    assert statuses.count("done") == 4 and statuses.count("in_progress") == 2 and statuses.count("dropped") == 1
    assert ActionPlanItem.objects.filter(responsible_user__isnull=True).count() == 2
    assert ActionPlanItem.objects.exclude(municipality=None).values("municipality").distinct().count() == 5
    assert ActionPlanReport.objects.exclude(comment="").count() == 7
    assert report_service.figures(ReportFilters())["totals"]["share_done"] == 50.0
