"""Demo budgets (reports/costs_demo.py): realistic KGS amounts, the Batken training budgeted, idempotent."""

from decimal import Decimal

import pytest
from django.utils import timezone

from courses.models import CostKind, Registration, SessionCost
from reports import costs_demo, demo
from reports.services import costs
from reports.services.base import ReportFilters
from tests import factories
from tests.catalogue.conftest import make_venue

pytestmark = pytest.mark.django_db


def test_the_batken_training_gets_a_realistic_budget_and_a_second_run_adds_nothing(course, trainer):
    venue = make_venue(municipality="kyshtut")
    batken = factories.make_session(
        course, starts_at=factories.bishkek(2026, 9, 10), days=2, status="completed", venue=venue
    )
    batken.trainers.set([trainer])
    batken.save()
    homes = ["kyshtut", "kyshtut", "suu_bashy", "at_bashy"]
    for code in homes:
        Registration.objects.create(
            session=batken,
            user=factories.participant(profile__municipality=factories.municipality(code)),
            status="confirmed",
        )
    context = {"now": timezone.now(), "sessions": {"batken_past": batken}}
    made = costs_demo.seed(context)
    lines = dict(SessionCost.objects.filter(session=batken).values_list("kind", "amount"))
    assert made == len(lines) == 5
    assert 15_000 * 2 <= lines[CostKind.VENUE] <= 30_000 * 2
    assert 5_000 * 2 <= lines[CostKind.TRAINER_FEES] <= 8_000 * 2
    assert lines[CostKind.PER_DIEM] == Decimal(1_500 * 4 * 2)
    # Two at home, one from the same oblast, one from Naryn oblast.
    same_district = factories.municipality("suu_bashy").district_id == venue.municipality.district_id
    neighbour = costs_demo.TRAVEL["district" if same_district else "region"]
    assert lines[CostKind.TRAVEL] == Decimal(neighbour + costs_demo.TRAVEL["elsewhere"])
    assert lines[CostKind.MATERIALS] == Decimal(350 * 4)
    assert costs_demo.seed(context) == 0
    assert SessionCost.objects.filter(session=batken).count() == 5


def test_the_reports_demo_budgets_its_past_sessions_but_one_and_is_idempotent(course):
    from academy import demo as academy_demo

    context = {"now": timezone.now()}
    academy_demo.seed(context)
    assert "new budget lines" in demo.seed(context)
    first = SessionCost.objects.count()
    assert first > 0
    figures = costs.figures(ReportFilters())
    assert figures["totals"]["sessions_without_costs"] >= 1
    assert figures["totals"]["cost_per_participant"] > 0
    # Per participant-hour in the range donors see for municipal trainings (hundreds of KGS).
    assert 100 <= figures["totals"]["cost_per_participant_hour"] <= 2_000
    demo.seed({"now": timezone.now()})
    assert SessionCost.objects.count() == first
