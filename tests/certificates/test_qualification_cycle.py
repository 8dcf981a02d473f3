"""The qualification cycle as a pure function: hours in the rolling window, the due date, the status at its boundaries."""

from datetime import date, timedelta

import pytest

from certificates.models import CycleStatus, RoleGroup
from certificates.services.qualification_cycle import (
    DEFAULT_RULE,
    Credit,
    Rule,
    add_years,
    cycle_state,
    role_group_for,
    rule_for,
)

RULE = Rule(RoleGroup.SERVANT, min_hours=72, cycle_years=3, due_soon_days=90)


def test_add_years_keeps_the_day_and_turns_29_february_into_28():
    assert add_years(date(2024, 3, 12), 3) == date(2027, 3, 12)
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2027, 3, 12), -3) == date(2024, 3, 12)


def test_nobody_trained_is_overdue_with_no_due_date():
    state = cycle_state([], RULE, date(2026, 12, 1))
    assert state.status == CycleStatus.OVERDUE
    assert state.hours_in_cycle == 0 and state.hours_missing == 72 and state.due_by is None
    assert state.cycle_start == date(2023, 12, 1)


def test_enough_hours_are_up_to_date_until_the_oldest_needed_hours_expire():
    credits = [Credit(date(2025, 6, 1), 40), Credit(date(2026, 3, 1), 40)]
    state = cycle_state(credits, RULE, date(2026, 12, 1))
    assert state.hours_in_cycle == 80
    # The newest 40 h are not enough alone: the 2025 hours are needed, and count until 1 June 2028.
    assert state.due_by == date(2028, 6, 1)
    assert state.status == CycleStatus.UP_TO_DATE and state.hours_missing == 0


def test_only_the_hours_needed_decide_the_due_date():
    credits = [Credit(date(2024, 1, 10), 16), Credit(date(2025, 5, 5), 72)]
    state = cycle_state(credits, RULE, date(2026, 12, 1))
    assert state.hours_in_cycle == 88
    assert state.due_by == date(2028, 5, 5)


@pytest.mark.parametrize(
    ("days_before_due", "status"),
    [
        (91, CycleStatus.UP_TO_DATE),
        (90, CycleStatus.DUE_SOON),
        (1, CycleStatus.DUE_SOON),
        (0, CycleStatus.DUE_SOON),  # the due date itself: the hours still count
        (-1, CycleStatus.OVERDUE),  # the day after: they no longer do
    ],
)
def test_status_at_the_boundaries_of_the_due_date(days_before_due, status):
    trained_on = date(2023, 9, 15)
    due_by = date(2026, 9, 15)
    today = due_by - timedelta(days=days_before_due)
    state = cycle_state([Credit(trained_on, 72)], RULE, today)
    assert state.status == status
    if status == CycleStatus.OVERDUE:
        assert state.hours_in_cycle == 0 and state.due_by is None
    else:
        assert state.hours_in_cycle == 72 and state.due_by == due_by and state.days_left == days_before_due


def test_one_hour_short_is_overdue_and_says_how_many_are_missing():
    state = cycle_state([Credit(date(2026, 1, 1), 71)], RULE, date(2026, 12, 1))
    assert state.status == CycleStatus.OVERDUE and state.hours_missing == 1


def test_hours_earned_after_today_do_not_count_yet():
    state = cycle_state([Credit(date(2026, 12, 2), 72)], RULE, date(2026, 12, 1))
    assert state.status == CycleStatus.OVERDUE and state.hours_in_cycle == 0
    assert cycle_state([Credit(date(2026, 12, 1), 72)], RULE, date(2026, 12, 1)).hours_in_cycle == 72


def test_the_due_soon_window_is_the_rules():
    rule = Rule(RoleGroup.SERVANT, min_hours=10, cycle_years=1, due_soon_days=0)
    credits = [Credit(date(2026, 1, 1), 10)]
    assert cycle_state(credits, rule, date(2026, 12, 31)).status == CycleStatus.UP_TO_DATE
    assert cycle_state(credits, rule, date(2027, 1, 1)).status == CycleStatus.DUE_SOON
    assert cycle_state(credits, rule, date(2027, 1, 2)).status == CycleStatus.OVERDUE


def test_a_leap_day_credit_counts_until_28_february():
    rule = Rule(RoleGroup.SERVANT, min_hours=8, cycle_years=3, due_soon_days=10)
    credits = [Credit(date(2024, 2, 29), 8)]
    assert cycle_state(credits, rule, date(2027, 2, 28)).due_by == date(2027, 2, 28)
    assert cycle_state(credits, rule, date(2027, 3, 1)).status == CycleStatus.OVERDUE


RULES = {
    RoleGroup.SERVANT: Rule(RoleGroup.SERVANT, 72, 3),
    RoleGroup.HEAD: Rule(RoleGroup.HEAD, 80, 3, keywords=("айыл өкмөтүнүн башчысы", "глава айыл окмоту")),
    RoleGroup.DEPUTY: Rule(RoleGroup.DEPUTY, 36, 5, keywords=("депутат",)),
}


@pytest.mark.parametrize(
    ("position", "group"),
    [
        ("Айыл өкмөтүнүн башчысы", RoleGroup.HEAD),
        ("ГЛАВА  АЙЫЛ ОКМОТУ", RoleGroup.HEAD),
        ("Жергиликтүү кеңештин депутаты", RoleGroup.DEPUTY),
        ("Депутат местного кенеша", RoleGroup.DEPUTY),
        ("Айыл өкмөтү башчысынын орун басары", RoleGroup.SERVANT),
        ("Финансы-экономикалык бөлүмдүн башчысы", RoleGroup.SERVANT),
        ("", RoleGroup.SERVANT),
    ],
)
def test_role_group_from_the_position(position, group):
    assert role_group_for(position, RULES) == group


def test_a_group_without_a_rule_falls_back_to_the_servants_then_the_default():
    rules = {RoleGroup.SERVANT: RULES[RoleGroup.SERVANT], RoleGroup.HEAD: RULES[RoleGroup.HEAD]}
    assert rule_for("Депутат", rules) == RULES[RoleGroup.SERVANT]
    assert rule_for("Глава айыл окмоту", rules).min_hours == 80
    assert rule_for("Депутат", {}) == DEFAULT_RULE
