"""The qualification cycle: at least N academic hours in every Y years, per role group.

The cycle is a rolling window: hours earned on a date count for Y years, up to and including the same
day Y years later. On any day a person is

* **up to date** when the hours still counting reach the rule's N and their due date is further away
  than the rule's "due soon" days;
* **due soon** when they reach N but the due date is that close (or today);
* **overdue** when the hours still counting are fewer than N.

The due date is the day the oldest hours still needed to reach N stop counting: training before (or on)
it keeps the person up to date. Everything here is pure (no database, `today` given), so every boundary
is tested on plain values.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from certificates.models.qualification import CycleStatus, RoleGroup

# The rule when the academy has not set one (e.g. a database without the default rows).
DEFAULT_MIN_HOURS = 72
DEFAULT_CYCLE_YEARS = 3
DEFAULT_DUE_SOON_DAYS = 90

# The groups whose keywords are tried, in this order; the rest are municipal servants.
KEYWORD_GROUPS = (RoleGroup.HEAD, RoleGroup.DEPUTY)


@dataclass(frozen=True)
class Rule:
    role_group: str
    min_hours: int
    cycle_years: int
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS
    keywords: tuple = ()

    @classmethod
    def from_model(cls, rule):
        return cls(
            role_group=rule.role_group,
            min_hours=rule.min_hours,
            cycle_years=rule.cycle_years,
            due_soon_days=rule.due_soon_days,
            keywords=tuple(normalize_position(word) for word in rule.keywords),
        )


DEFAULT_RULE = Rule(RoleGroup.SERVANT, DEFAULT_MIN_HOURS, DEFAULT_CYCLE_YEARS, DEFAULT_DUE_SOON_DAYS)


@dataclass(frozen=True)
class Credit:
    """Hours earned on a date (the completion date, or the end of an external training)."""

    on: date
    hours: int


@dataclass(frozen=True)
class CycleState:
    role_group: str
    min_hours: int
    cycle_years: int
    cycle_start: date  # the earliest date whose hours still count today
    hours_in_cycle: int
    due_by: date | None  # None when the hours counting today are short of the rule
    status: str
    today: date

    @property
    def hours_missing(self):
        return max(0, self.min_hours - self.hours_in_cycle)

    @property
    def days_left(self):
        return (self.due_by - self.today).days if self.due_by else None

    def as_dict(self):
        return {
            "role_group": str(self.role_group),
            "min_hours": self.min_hours,
            "cycle_years": self.cycle_years,
            "cycle_start": self.cycle_start.isoformat(),
            "hours_in_cycle": self.hours_in_cycle,
            "hours_missing": self.hours_missing,
            "due_by": self.due_by.isoformat() if self.due_by else None,
            "status": str(self.status),
            "as_of": self.today.isoformat(),
        }


def add_years(day, years):
    """The same day `years` later (or earlier); 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def counts_until(credit_date, rule):
    """The last day on which hours earned on `credit_date` count."""
    return add_years(credit_date, rule.cycle_years)


def normalize_position(text):
    return " ".join(str(text or "").casefold().replace("ё", "е").split())


def role_group_for(position, rules):
    """The role group of a person with this position: the first keyword group (heads, then deputies) whose
    keyword the position contains, else municipal servants. `rules` maps role group to Rule."""
    text = normalize_position(position)
    if text:
        for group in KEYWORD_GROUPS:
            rule = rules.get(group)
            if rule and any(keyword and keyword in text for keyword in rule.keywords):
                return group
    return RoleGroup.SERVANT


def rule_for(position, rules):
    """The Rule that applies to a person with this position (the servants' rule for a group without one)."""
    group = role_group_for(position, rules)
    return rules.get(group) or rules.get(RoleGroup.SERVANT) or DEFAULT_RULE


def cycle_state(credits, rule, today):
    """Where a person stands on `today` with these credits (iterable of Credit) under `rule`."""
    counting = [
        credit for credit in credits if credit.hours > 0 and credit.on <= today <= counts_until(credit.on, rule)
    ]
    hours = sum(credit.hours for credit in counting)
    due_by = None
    # Newest first: the credit that brings the running sum to N is the oldest one still needed.
    running = 0
    for credit in sorted(counting, key=lambda credit: credit.on, reverse=True):
        running += credit.hours
        if running >= rule.min_hours:
            due_by = counts_until(credit.on, rule)
            break
    if due_by is None:
        status = CycleStatus.OVERDUE
    elif (due_by - today) <= timedelta(days=rule.due_soon_days):
        status = CycleStatus.DUE_SOON
    else:
        status = CycleStatus.UP_TO_DATE
    return CycleState(
        role_group=rule.role_group,
        min_hours=rule.min_hours,
        cycle_years=rule.cycle_years,
        cycle_start=add_years(today, -rule.cycle_years),
        hours_in_cycle=hours,
        due_by=due_by,
        status=status,
        today=today,
    )
