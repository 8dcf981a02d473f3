"""People counted once, cheaply: participant registrations summed per person, then per kind of person.

``COUNT(DISTINCT user)`` sorts every matching registration once per figure (six figures: six sorts
of 300,000 rows, spilling to disk). Here the participant registrations (``base.participants``, the
filters applied by the ORM) are summed per person in one hash aggregate; the people are joined to
their profile and grouped by the profile fields a report needs. Every figure about people is then
a sum over those few groups: a group's ``people`` is how many persons it holds, each counted once,
and each per-person sum (registrations, completions, ...) adds up exactly.

Only the outer grouping is written in SQL (standard SQL, the same on PostgreSQL and SQLite); what a
participant is and what the filters mean stays in ``base``.

When the filters say nothing about sessions (no period, course, project or trainer: the whole
history, perhaps cut by where people come from), the per-person sums are already there: the rows of
``reports.models.PersonRollup``, which triggers recompute from the registrations whenever these
change (``reports/rollups/people.py``). One row per person instead of every registration; the profile is
joined the same way, so a profile edit shows at once.

With no filter at all and only profile fields to group by (the participants report), even that is too
much: ``reports.models.PeopleGroupRollup`` already holds the people per kind of person
(``reports/rollups/groups.py``), a few hundred rows however many people there are.
"""

from dataclasses import fields

from django.conf import settings
from django.db import connections
from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from academy.models import Gender, Profile
from reports.models import PeopleGroupRollup, PersonRollup
from reports.rollups import groups as group_rollups

from .base import YOUTH_AGE_LIMIT, participants, place_q

#: What each group key is, over the profile ``p`` (NULL when a person has no profile) and the
#: per-person row ``u``. ``youth``: 1 under the age limit in the year of their first session in
#: the period, 0 over it, NULL when the year of birth is not given.
GROUP_KEYS = {
    "municipality_id": "p.municipality_id",
    "gender": "COALESCE(p.gender, '')",
    "has_disability": "COALESCE(p.has_disability, FALSE)",
    "birth_year_missing": "CASE WHEN p.year_of_birth IS NULL THEN 1 ELSE 0 END",
    "youth": (
        "CASE WHEN p.year_of_birth IS NULL THEN NULL "
        f"WHEN {{first_year}} - p.year_of_birth < {YOUTH_AGE_LIMIT} THEN 1 ELSE 0 END"
    ),
    "organization_kind": "COALESCE(p.organization_kind, '')",
    "position": "COALESCE(p.position, '')",
}
#: The filters on people, not sessions: the rollups can be cut by them.
PLACE_FILTERS = ("region_id", "district_id")
#: Per-person sums every caller gets: registrations and completed registrations.
BASE_SUMS = {
    "registrations": Count("pk"),
    "completed": Count("pk", filter=Q(completed_at__isnull=False)),
}


def from_rollup(filters):
    """Whether the per-person rollups answer for these filters: only where people come from may be set
    (any other filter, including one added later, sends the query to the registrations)."""
    return all(getattr(filters, field.name) is None for field in fields(filters) if field.name not in PLACE_FILTERS)


#: The keys the groups rollup can answer for.
GROUPED_KEYS = frozenset({"gender", "has_disability", "birth_year_missing", "youth", "organization_kind", "position"})


def from_groups(filters, keys):
    """Whether the groups rollup answers: no filter at all, keys it holds, and the time zone its youth was
    computed in (settings.TIME_ZONE) is the one active."""
    return (
        all(getattr(filters, field.name) is None for field in fields(filters))
        and GROUPED_KEYS.issuperset(keys)
        and timezone.get_current_timezone_name() == settings.TIME_ZONE
    )


def _from_groups(keys):
    merged = {}
    # The rollup's rows are changes to add up (reports/rollups/groups.py): summed per group here.
    groups = (
        PeopleGroupRollup.objects.values(*group_rollups.KEY)
        .annotate(**{f"sum_{name}": Sum(name) for name in group_rollups.SUMS})
        .order_by()
    )
    for summed in groups:
        group = {**summed, **{name: summed.pop(f"sum_{name}") or 0 for name in group_rollups.SUMS}}
        if not group["people"]:
            continue
        youth = group["youth"]
        values = {
            **group,
            "birth_year_missing": 1 if youth == -1 else 0,
            "youth": None if youth == -1 else youth,
        }
        key = tuple(values[name] for name in keys)
        row = merged.setdefault(
            key, {**dict(zip(keys, key, strict=True)), "people": 0, "registrations": 0, "completed": 0}
        )
        for name in ("people", "registrations", "completed"):
            row[name] += group[name]
    return list(merged.values())


def group_people(filters, keys, **sums):
    """[{key: value, ..., "people": n, "registrations": n, "completed": n, **sums}] in one query.

    `keys`: names from GROUP_KEYS; `sums`: more per-person aggregates (integer-valued, e.g.
    ``Count`` or ``Sum`` of an integer field), added up over each group (these are always summed
    from the registrations; without them, filters that ``from_rollup`` accepts read the rollups).
    """
    if not sums and from_groups(filters, keys):
        return _from_groups(keys)
    aggregates = {**BASE_SUMS, **sums}
    if sums or not from_rollup(filters):
        inner = participants(filters).values("user_id").annotate(**aggregates).order_by()
        if "youth" in keys:
            # The first session's start per person, its local year taken once per person (not per row).
            inner = inner.annotate(first_start=Min("session__starts_at"))
    else:
        inner = PersonRollup.objects.filter(place_q(filters)).values("user_id", *BASE_SUMS, "first_start").order_by()
    connection = connections[inner.db]
    quote = connection.ops.quote_name
    expressions = [GROUP_KEYS[key] for key in keys]
    year_params = ()
    if "youth" in keys:
        first_year, year_params = connection.ops.datetime_extract_sql(
            "year", f"u.{quote('first_start')}", (), timezone.get_current_timezone_name()
        )
        expressions = [expression.replace("{first_year}", first_year) for expression in expressions]
    sql, params = inner.query.sql_with_params()
    select = [*expressions, "COUNT(*)", *(f"SUM(u.{quote(name)})" for name in aggregates)]
    query = (
        f"SELECT {', '.join(select)} FROM ({sql}) u "
        f"LEFT JOIN {quote(Profile._meta.db_table)} p ON p.{quote('user_id')} = u.{quote('user_id')}"
    )
    if expressions:
        query += f" GROUP BY {', '.join(expressions)}"
    with connection.cursor() as cursor:
        # The youth expression is in the SELECT list and in the GROUP BY, before and after the subquery.
        cursor.execute(query, (*year_params, *params, *year_params))
        fetched = cursor.fetchall()
    names = ["people", *aggregates]
    rows = []
    for values in fetched:
        row = dict(zip(keys, values[: len(keys)], strict=True))
        row.update((name, int(value or 0)) for name, value in zip(names, values[len(keys) :], strict=True))
        if "has_disability" in row:
            row["has_disability"] = bool(row["has_disability"])
        rows.append(row)
    # Without GROUP BY an empty set still gives one row of zeros; drop it so "no people" is "no rows".
    return [row for row in rows if row["people"]]


def total(rows, name="people", **match):
    """Sum of `name` over the rows whose keys equal `match` (e.g. gender="female")."""
    return sum(row[name] for row in rows if all(row[key] == value for key, value in match.items()))


def people_figures(rows):
    """The headline figures about people (as ``participants.totals`` gives them) from groups that
    carry gender, has_disability, birth_year_missing and youth."""
    return {
        "registrations": total(rows, "registrations"),
        "people": total(rows),
        "women": total(rows, gender=Gender.FEMALE),
        "men": total(rows, gender=Gender.MALE),
        "gender_not_given": total(rows, gender=""),
        "with_disability": total(rows, has_disability=True),
        "youth": total(rows, youth=1),
        "age_not_given": total(rows, birth_year_missing=1),
        "completed": total(rows, "completed"),
    }
