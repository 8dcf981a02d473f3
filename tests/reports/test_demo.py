"""reports/demo.py fills realistic report figures and creates nothing new on a second run."""

import pytest
from django.utils import timezone

from courses.models import Registration, Session
from reports import demo
from reports.models import Feedback
from reports.services import participants, reach
from reports.services.base import ReportFilters

pytestmark = pytest.mark.django_db


def _counts():
    from academy.models import User

    return (User.objects.count(), Session.objects.count(), Registration.objects.count(), Feedback.objects.count())


def test_demo_is_realistic_and_idempotent(course):
    from academy import demo as academy_demo

    context = {"now": timezone.now()}
    academy_demo.seed(context)
    demo.seed(context)
    first = _counts()
    assert first[3] > 40  # feedback answers
    figures = participants.totals(ReportFilters())
    assert figures["people"] >= 60
    assert 40 <= figures["women_share"] <= 50
    assert reach.totals(ReportFilters())["regions"] >= 6
    demo.seed({"now": timezone.now()})
    assert _counts() == first


def test_demo_without_courses_still_runs(db):
    assert "0 past report sessions" in demo.seed({"now": timezone.now()})
