"""The donor outcome report (issue 19.5): the figures of each level, hand-counted on the report world
(tests/reports/conftest.py, clock 1 Dec 2026), and a bounded number of queries.

Project P1 has S1 (`course`, 16 h, held: A, B, C) and S3 (ahead: F); the draft and the cancelled session
and P2's S2 never count for P1.

* Reach: A, B, C, F = 4 people; women A, men B and F → 33.3 %; Kyshtut and At-Bashy → 2 municipalities,
  2 districts, 2 oblasts; 1 session held of 2; 3 × 16 = 48 participant-hours.
* Satisfaction: A (5, 4, 3), B (4, 5, 4) of 3 participants held → 66.7 %; content 4.5, trainer 4.5,
  organisation 3.5, all scores (25 / 6) 4.17.
* Learning, S1: A 3/10 → 8/10, B 5/10 → 5/10, C 2/10 before only; E's cancelled registration 0/10 → 10/10
  never counts: 3 before, 2 after, 2 both; 40 % → 65 %, +25 points of percentage, +2.5 questions; 1 of 2
  improved (50 %).
* Action plans: S1 done, in progress, not reported; S3 dropped; the draft's and P2's items never count:
  4 items, 1 done (25 %).
* Cost: S1 41,000.50 and S3 3,000 → 44,000.50; per participant (3 of S1) 13,666.83; per participant-hour 854.18.
"""

from datetime import date
from decimal import Decimal

import pytest

from courses.models import ActionPlanItem, Attempt, CostKind, KnowledgeTest, Registration, SessionCost
from reports.services import outcomes
from reports.services.base import ReportFilters

pytestmark = pytest.mark.django_db


def attempt(registration, kind, score, max_score=10):
    test, _created = KnowledgeTest.objects.get_or_create(session=registration.session, kind=kind)
    return Attempt.objects.create(test=test, registration=registration, score=score, max_score=max_score)


def plan_item(session, status, what="Тарифтерди кайра карап чыгуу"):
    return ActionPlanItem.objects.create(
        session=session, what=what, responsible_name="Айгүл Токтосунова", due_date=date(2027, 3, 1), status=status
    )


@pytest.fixture
def outcome_world(world):
    w = world
    attempt(w.a1, "pre", 3)
    attempt(w.a1, "post", 8)
    attempt(w.b1, "pre", 5)
    attempt(w.b1, "post", 5)
    attempt(w.c1, "pre", 2)
    attempt(w.e1, "pre", 0)
    attempt(w.e1, "post", 10)
    attempt(w.d2, "pre", 1)
    attempt(w.d2, "post", 9)
    for status in ("done", "in_progress", "not_reported"):
        plan_item(w.s1, status)
    plan_item(w.s3, "dropped")
    plan_item(w.draft, "done")
    plan_item(w.s2, "done")
    for session, kind, amount in (
        (w.s1, CostKind.VENUE, "20000.50"),
        (w.s1, CostKind.TRAINER_FEES, "12000"),
        (w.s1, CostKind.PER_DIEM, "9000"),
        (w.s3, CostKind.MATERIALS, "3000"),
        (w.draft, CostKind.VENUE, "99999"),
    ):
        SessionCost.objects.create(session=session, kind=kind, amount=Decimal(amount))
    return w


def test_every_level_matches_the_hand_count(outcome_world):
    w = outcome_world
    data = outcomes.figures(ReportFilters(funding_project_id=w.p1.pk))
    assert data["funding_project"]["id"] == w.p1.pk and data["funding_project"]["name"] == str(w.p1)
    reach = data["reach"]
    assert (reach["people"], reach["women"], reach["men"], reach["women_share"]) == (4, 1, 2, 33.3)
    assert (reach["municipalities"], reach["districts"], reach["regions"]) == (2, 2, 2)
    assert (reach["sessions"], reach["sessions_held"], reach["participant_hours"]) == (2, 1, 48)

    satisfaction = data["satisfaction"]
    assert (satisfaction["answers"], satisfaction["response_rate"]) == (2, 66.7)
    assert (satisfaction["content"], satisfaction["trainer"], satisfaction["organisation"]) == (4.5, 4.5, 3.5)
    assert satisfaction["average"] == 4.17

    learning = data["learning"]
    assert (learning["took_pre"], learning["took_post"], learning["took_both"]) == (3, 2, 2)
    assert (learning["average_pre"], learning["average_post"]) == (40.0, 65.0)
    assert (learning["gain_percentage_points"], learning["gain_points"]) == (25.0, 2.5)
    assert (learning["improved"], learning["improved_share"]) == (1, 50.0)

    plans = data["action_plan"]
    assert (plans["items"], plans["done"], plans["in_progress"], plans["dropped"], plans["not_reported"]) == (
        4,
        1,
        1,
        1,
        1,
    )
    assert plans["done_share"] == 25.0

    cost = data["cost"]
    assert cost["total"] == Decimal("44000.50")
    assert cost["per_participant"] == Decimal("13666.83")
    assert cost["per_participant_hour"] == Decimal("854.18")

    sessions = {row["id"]: row for row in data["sessions"]}
    assert set(sessions) == {w.s1.pk, w.s3.pk}
    s1, s3 = sessions[w.s1.pk], sessions[w.s3.pk]
    assert (s1["participants"], s1["participant_hours"], s1["held"]) == (3, 48, True)
    assert s1["learning"]["improved_share"] == 50.0 and s1["action_plan"]["items"] == 3
    assert s1["satisfaction"]["average"] == 4.17 and s1["cost"]["per_participant_hour"] == Decimal("854.18")
    assert (s3["participants"], s3["held"], s3["learning"]["took_both"]) == (0, False, 0)
    assert s3["learning"]["average_pre"] is None and s3["satisfaction"]["average"] is None
    assert s3["action_plan"]["dropped"] == 1


def test_the_period_keeps_the_sessions_starting_in_it(outcome_world):
    w = outcome_world
    data = outcomes.figures(ReportFilters(funding_project_id=w.p1.pk, date_to=date(2026, 6, 30)))
    assert [row["id"] for row in data["sessions"]] == [w.s1.pk]
    assert data["reach"]["people"] == 3
    assert data["action_plan"]["items"] == 3
    assert data["cost"]["total"] == Decimal("41000.50")
    empty = outcomes.figures(ReportFilters(funding_project_id=w.p1.pk, date_from=date(2027, 1, 1)))
    assert empty["sessions"] == [] and empty["reach"]["people"] == 0
    assert empty["learning"]["average_pre"] is None and empty["satisfaction"]["average"] is None
    assert empty["action_plan"]["done_share"] is None and empty["cost"]["total"] is None


def test_the_other_project_counts_only_its_own(outcome_world):
    w = outcome_world
    data = outcomes.figures(ReportFilters(funding_project_id=w.p2.pk))
    assert data["reach"]["people"] == 2  # A and D in S2
    learning = data["learning"]
    assert (learning["took_both"], learning["average_pre"], learning["average_post"]) == (1, 10.0, 90.0)
    assert data["action_plan"]["items"] == 1 and data["action_plan"]["done_share"] == 100.0


def test_a_project_is_required():
    with pytest.raises(ValueError):
        outcomes.figures(ReportFilters())


def test_scores_are_rounded_as_the_session_results_page_rounds_them(outcome_world):
    """Attempt.percent rounds halves to even: 1/8 = 12.5 → 12, 3/8 = 37.5 → 38, 5/8 = 62.5 → 62."""
    w = outcome_world
    Attempt.objects.filter(registration__in=[w.a1, w.b1]).delete()
    attempt(w.a1, "pre", 1, 8)
    attempt(w.a1, "post", 3, 8)
    attempt(w.b1, "pre", 5, 8)
    attempt(w.b1, "post", 5, 8)
    expected = {w.a1.pk: (12, 38), w.b1.pk: (62, 62)}
    for registration_id, (before, after) in expected.items():
        by_kind = {a.test.kind: a.percent for a in Attempt.objects.filter(registration_id=registration_id)}
        assert (by_kind["pre"], by_kind["post"]) == (before, after)
    learning = outcomes.figures(ReportFilters(funding_project_id=w.p1.pk))["learning"]
    assert (learning["average_pre"], learning["average_post"]) == (37.0, 50.0)
    assert learning["improved"] == 1


def test_query_count_is_bounded(outcome_world, grow, django_assert_max_num_queries):
    filters = ReportFilters(funding_project_id=outcome_world.p1.pk)
    counts = []
    for size in (2, 20):
        grow(size)
        for session in outcome_world.course.sessions.all()[:size]:
            plan_item(session, "done")
            SessionCost.objects.create(session=session, kind=CostKind.TRAVEL, amount=Decimal("4500"))
        for number, registration in enumerate(Registration.objects.filter(session__funding_project=outcome_world.p1)):
            if not registration.test_attempts.exists():
                attempt(registration, "pre", number % 10)
                attempt(registration, "post", (number * 3) % 11)
        with django_assert_max_num_queries(20) as captured:
            outcomes.figures(filters)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
