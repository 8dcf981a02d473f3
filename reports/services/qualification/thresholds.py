"""The date limits of each role group's rule on a given day, exactly as the cycle rule counts them.

The cycle rule (certificates/services/qualification_cycle.py) works date by date: hours earned on `day`
count while `today <= add_years(day, years)`, and a person is due soon when
`add_years(due credit, years) - today <= due_soon_days`. `add_years` never decreases, so each condition
holds for every day on one side of a limit. The SQL of this report compares days with those limits,
found here in Python with the rule's own `add_years` (29 February included), so the report and a
person's own record never disagree.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from certificates.models.qualification import RoleGroup
from certificates.services.qualification_cycle import DEFAULT_RULE, add_years

#: "No one trained in three years" is three years whatever the academy's cycle is.
NOT_TRAINED_YEARS = 3


def first_day_counting(today, years):
    """The earliest day whose hours still count on `today` under a `years`-year cycle."""
    day = add_years(today, -years)
    while add_years(day - timedelta(days=1), years) >= today:
        day -= timedelta(days=1)
    while add_years(day, years) < today:
        day += timedelta(days=1)
    return day


def last_day_due_soon(today, years, due_soon_days):
    """The latest due-credit day that makes a person due soon (their due date within `due_soon_days`)."""
    limit = today + timedelta(days=due_soon_days)
    day = add_years(limit, -years)
    while add_years(day + timedelta(days=1), years) <= limit:
        day += timedelta(days=1)
    while add_years(day, years) > limit:
        day -= timedelta(days=1)
    return day


@dataclass(frozen=True)
class GroupLimits:
    role_group: str
    rule: object  # certificates.services.qualification_cycle.Rule
    counts_from: date
    due_soon_until: date


def effective_rules(rules):
    """{role group: the Rule its people are held to}: a group without a rule of its own (its people are
    servants anyway, see role_group_for) falls back like `rule_for` does."""
    fallback = rules.get(RoleGroup.SERVANT) or DEFAULT_RULE
    return {group: rules.get(group) or fallback for group in RoleGroup.values}


def group_limits(rules, today):
    """[GroupLimits] for every role group on `today`."""
    return [
        GroupLimits(
            role_group=group,
            rule=rule,
            counts_from=first_day_counting(today, rule.cycle_years),
            due_soon_until=last_day_due_soon(today, rule.cycle_years, rule.due_soon_days),
        )
        for group, rule in effective_rules(rules).items()
    ]
