"""Every figure of the outcome report equals the one computed row by row, on random data and random periods.

The data of tests/reports/test_reference.py (random sessions, people, registrations and feedback), plus
random pre/post test attempts (some on registrations that are not participants, some with odd numbers of
questions so that halves round), budget lines and action-plan items. Here the figures are counted the plain
way: every registration loaded with its session, profile, answer and attempts, the project's sessions kept by
the same rules, and everything added up in Python (`Attempt.percent` for scores). Seeded: a failure replays.
"""

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.models import ActionPlanItem, ActionPlanStatus, Attempt, CostKind, KnowledgeTest, SessionCost
from reports.services import outcomes
from reports.services.base import ReportFilters, percent, rounded
from tests import factories

from .test_reference import build, load, session_allowed

pytestmark = pytest.mark.django_db

SEEDS = [11, 12, 13]
PERIODS_PER_SEED = 4
CENT = Decimal("0.01")


def add_outcomes(rng):
    """Tests, attempts, costs and action plans on the random sessions."""
    from courses.models import Registration, Session

    for session in Session.objects.all():
        tests = {}
        for kind in ("pre", "post"):
            if rng.random() < 0.85:
                tests[kind] = KnowledgeTest.objects.create(session=session, kind=kind)
        questions = rng.choice([0, 5, 8, 10])
        for registration in Registration.objects.filter(session=session):
            for test in tests.values():
                if rng.random() < 0.8:
                    Attempt.objects.create(
                        test=test,
                        registration=registration,
                        score=rng.randint(0, questions),
                        max_score=questions if rng.random() < 0.9 else rng.choice([0, 4, 6]),
                    )
        for _number in range(rng.randint(0, 3)):
            SessionCost.objects.create(
                session=session,
                kind=rng.choice(CostKind.values),
                amount=Decimal(rng.randint(100, 90000)) + Decimal(rng.randint(0, 99)) / 100,
            )
        for _number in range(rng.randint(0, 4)):
            ActionPlanItem.objects.create(
                session=session,
                what="Тарифтерди кайра карап чыгуу",
                responsible_name="Айгүл",
                due_date=date(2027, 1, 1),
                status=rng.choice(ActionPlanStatus.values),
            )


def expected(filters, now):
    data = load()
    sessions = {
        pk: session
        for pk, session in data.sessions.items()
        if session_allowed(session, filters) and session["funding_project_id"] == filters.funding_project_id
    }
    rows = [row for row in data.rows if row.session["pk"] in sessions and row.status == "confirmed"]
    held = [row for row in rows if row.session["ends_at"] <= now]

    people = {row.user_id: row.profile for row in rows}
    women = sum(1 for profile in people.values() if profile and profile["gender"] == "female")
    men = sum(1 for profile in people.values() if profile and profile["gender"] == "male")
    places = [profile["place"] for profile in people.values() if profile and profile["place"]]
    reach = {
        "people": len(people),
        "registrations": len(rows),
        "women": women,
        "men": men,
        "women_share": percent(women, women + men),
        "municipalities": len({place["pk"] for place in places}),
        "districts": len({place["district_id"] for place in places}),
        "regions": len({place["district__region_id"] for place in places}),
        "sessions": len(sessions),
        "sessions_held": sum(1 for session in sessions.values() if session["ends_at"] <= now),
        "participants_held": len(held),
        "participant_hours": sum(row.session["hours"] or 0 for row in held),
    }

    answers = [row.answer for row in rows if row.answer]
    satisfaction = {"answers": len(answers), "response_rate": percent(len(answers), len(held))}
    for name in ("content", "trainer", "organisation"):
        satisfaction[name] = rounded(sum(a[f"{name}_score"] for a in answers) / len(answers)) if answers else None
    every = [a[f"{name}_score"] for a in answers for name in ("content", "trainer", "organisation")]
    satisfaction["average"] = rounded(sum(every) / len(every)) if every else None

    attempts = defaultdict(dict)
    for attempt in Attempt.objects.select_related("test"):
        attempts[attempt.registration_id][(attempt.test.kind, attempt.test.session_id)] = attempt
    pairs, took_pre, took_post = [], 0, 0
    for row in rows:
        pre = attempts[row.pk].get(("pre", row.session["pk"]))
        post = attempts[row.pk].get(("post", row.session["pk"]))
        took_pre += pre is not None
        took_post += post is not None
        if pre and post:
            pairs.append((pre, post))
    both = len(pairs)
    improved = sum(1 for pre, post in pairs if post.percent > pre.percent)
    learning = {
        "took_pre": took_pre,
        "took_post": took_post,
        "took_both": both,
        "average_pre": rounded(sum(pre.percent for pre, _post in pairs) / both, 1) if both else None,
        "average_post": rounded(sum(post.percent for _pre, post in pairs) / both, 1) if both else None,
        "gain_percentage_points": rounded(sum(post.percent - pre.percent for pre, post in pairs) / both, 1)
        if both
        else None,
        "gain_points": rounded(sum(post.score - pre.score for pre, post in pairs) / both, 2) if both else None,
        "improved": improved,
        "improved_share": percent(improved, both),
    }

    items = list(ActionPlanItem.objects.filter(session_id__in=list(sessions)).values_list("status", flat=True))
    action_plan = {"items": len(items), **{status: items.count(status) for status in ActionPlanStatus.values}}
    action_plan["done_share"] = percent(action_plan["done"], len(items))

    lines = defaultdict(list)
    for session_id, amount in SessionCost.objects.filter(session_id__in=list(sessions)).values_list(
        "session_id", "amount"
    ):
        lines[session_id].append(amount)
    with_costs = [pk for pk in sessions if lines[pk]]
    held_with_costs = [pk for pk in with_costs if sessions[pk]["ends_at"] <= now]
    counted = [row for row in held if row.session["pk"] in held_with_costs]
    spent = sum((sum(lines[pk]) for pk in held_with_costs), Decimal(0))
    hours = sum(row.session["hours"] or 0 for row in counted)
    cost = {
        "total": sum((sum(lines[pk]) for pk in with_costs), Decimal(0)) if with_costs else None,
        "sessions_with_costs": len(with_costs),
        "sessions_without_costs": len(sessions) - len(with_costs),
        "participants": len(counted),
        "participant_hours": hours,
        "per_participant": (spent / len(counted)).quantize(CENT) if counted else None,
        "per_participant_hour": (spent / hours).quantize(CENT) if hours else None,
    }
    return {
        "reach": reach,
        "satisfaction": satisfaction,
        "learning": learning,
        "action_plan": action_plan,
        "cost": cost,
    }


@pytest.mark.parametrize("seed", SEEDS)
def test_every_outcome_figure_equals_the_row_by_row_count(seed, clock, course, course_index):
    rng = random.Random(seed)
    trainer_pool = [factories.trainer(), factories.trainer()]
    _courses, projects = build(rng, course, course_index, trainer_pool)
    add_outcomes(rng)
    now = timezone.now()
    checked = 0
    for _index in range(PERIODS_PER_SEED):
        project = rng.choice(projects)
        start = date(2025, 1, 1) + timedelta(days=rng.randint(0, 500))
        period = rng.choice(
            [{}, {"date_from": start}, {"date_to": start}, {"date_from": start, "date_to": start + timedelta(days=300)}]
        )
        filters = ReportFilters(funding_project_id=project.pk, **period)
        got = outcomes.figures(filters, now)
        want = expected(filters, now)
        for level, figures in want.items():
            assert got[level] == figures, (seed, filters, level)
        checked += want["learning"]["took_both"] + want["reach"]["people"]
    assert checked  # the random data reached the figures
