"""People per kind of person, kept current by database triggers (PostgreSQL and SQLite).

``reports_peoplegrouprollup`` holds, for each combination of the profile fields the participants report
groups by — gender, disability, youth, organisation kind, position — how many people of the per-person
rollup (``reports/rollups/people.py``) have it, and the sum of their registrations and completions
(``reports.models.PeopleGroupRollup``). The unfiltered participants report sums these few rows: its cost
follows the number of kinds of people, not of people.

Unlike the other rollups these triggers add and subtract: a person's contribution (1 person, their
registrations, their completions) leaves the group of their old row or old profile and joins the group of
the new one whenever a per-person row is written or a profile is created, changed in one of those fields, or
deleted. Recomputing a group would read every person in it — a large share of everyone, on every
registration. The changes are *appended* as rows (a group and what it gains, negative for a loss), never
written into one shared row per group: a transaction approving a dozen people one statement at a time would
hold their groups' rows until it commits, and two of them, or one and a registration waiting for a person's
lock the other holds, would deadlock. Readers sum the rows per group; ``fold()`` (a beat task,
``reports.tasks.fold_rollup_counters``) keeps them few. Additions commute, so concurrent writers need no more
than what the per-person rollup already does: a profile's trigger takes the person's advisory lock before
it reads their per-person row, so it reads the row the registration that held the lock committed, and that
registration read the profile before the change.

``youth`` is 1 when the person was under ``YOUTH_AGE_LIMIT`` in the local year (settings.TIME_ZONE) of their
first session, 0 when not, -1 when the year of birth is not given; a change of either needs
``rebuild()``. ``differences()`` lists the groups that differ from a recomputation.
"""

from django.conf import settings

from reports.services.base import YOUTH_AGE_LIMIT

from . import tables
from .people import TABLE as PEOPLE

TABLE = "reports_peoplegrouprollup"
PROFILES = "academy_profile"
KEY = ("gender", "has_disability", "youth", "organization_kind", "position")
SUMS = ("people", "registrations", "completed")
#: The profile fields that place a person in a group.
PROFILE_FIELDS = ("gender", "has_disability", "year_of_birth", "organization_kind", "position")


def _first_year(vendor):
    if vendor == "postgresql":
        return f"EXTRACT(YEAR FROM u.first_start AT TIME ZONE '{settings.TIME_ZONE}')"
    return f"CAST(strftime('%Y', {tables.sqlite_local('u.first_start')}) AS INTEGER)"


def _key(vendor):
    """The group of the person ``u`` (a per-person row) whose profile is ``p`` (all NULL: no profile)."""
    return [
        "COALESCE(p.gender, '')",
        "COALESCE(p.has_disability, FALSE)",
        f"CASE WHEN p.year_of_birth IS NULL THEN -1 WHEN {_first_year(vendor)} - p.year_of_birth "
        f"< {YOUTH_AGE_LIMIT} THEN 1 ELSE 0 END",
        "COALESCE(p.organization_kind, '')",
        "COALESCE(p.position, '')",
    ]


def _contribution(vendor, source, sign):
    """SELECT of the key and the counts (times `sign`) of each person in `source`, a FROM clause naming the
    per-person row ``u`` and the profile ``p``."""
    keys = ", ".join(f"{expression} AS {name}" for expression, name in zip(_key(vendor), KEY, strict=True))
    return (
        f"SELECT {keys}, {sign} AS people, {sign} * u.registrations AS registrations, "
        f"{sign} * u.completed AS completed FROM {source}"
    )


def _apply(vendor, changes):
    """One statement appending the contributions `changes` ([(FROM clause, sign)]) to their groups, summed per
    group first (a person whose row changed but not their group appends one row, or none)."""
    union = " UNION ALL ".join(_contribution(vendor, source, sign) for source, sign in changes)
    key = ", ".join(KEY)
    return (
        f"INSERT INTO {TABLE} ({key}, {', '.join(SUMS)}) "
        f"SELECT {key}, SUM(people), SUM(registrations), SUM(completed) FROM ({union}) d "
        f"GROUP BY {key} HAVING SUM(people) <> 0 OR SUM(registrations) <> 0 OR SUM(completed) <> 0"
    )


def _with_profile(rows):
    """Per-person rows `rows` (a table or subquery) and their profiles."""
    return f"{rows} u LEFT JOIN {PROFILES} p ON p.user_id = u.user_id"


def _of_profiles(rows):
    """Profile rows `rows` (``p``) of people who have a per-person row."""
    return f"{rows} p JOIN {PEOPLE} u ON u.user_id = p.user_id"


def _without_profile(rows):
    """The per-person rows of the people of the profile rows `rows`, as if they had no profile."""
    return f"{rows} x JOIN {PEOPLE} u ON u.user_id = x.user_id LEFT JOIN {PROFILES} p ON 1 = 0"


_PROFILE_CHANGED = " OR ".join(f"n.{field} IS DISTINCT FROM o.{field}" for field in (*PROFILE_FIELDS, "user_id"))


# --- PostgreSQL ------------------------------------------------------------------------------------


def _postgres_install():
    vendor = "postgresql"
    moved_old = f"(SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {_PROFILE_CHANGED})"
    moved_new = f"(SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {_PROFILE_CHANGED})"
    return [
        f"""
CREATE OR REPLACE FUNCTION reports_person_groups_changed() RETURNS trigger AS $$
BEGIN
    -- Called by the people's triggers, under the locks of the people concerned.
    IF TG_OP = 'INSERT' THEN
        {_apply(vendor, [(_with_profile("new_rows"), 1)])};
    ELSIF TG_OP = 'DELETE' THEN
        {_apply(vendor, [(_with_profile("old_rows"), -1)])};
    ELSE
        {_apply(vendor, [(_with_profile("old_rows"), -1), (_with_profile("new_rows"), 1)])};
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
        f"""
CREATE OR REPLACE FUNCTION reports_profile_groups_changed() RETURNS trigger AS $$
BEGIN
    -- The person's lock first: their per-person row is then the one the last registration committed.
    IF TG_OP = 'INSERT' THEN
        PERFORM reports_rollup_lock(ARRAY(SELECT user_id::bigint FROM new_rows), '{{}}'::bigint[]);
        {_apply(vendor, [(_without_profile("new_rows"), -1), (_of_profiles("new_rows"), 1)])};
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM reports_rollup_lock(ARRAY(SELECT user_id::bigint FROM old_rows), '{{}}'::bigint[]);
        {_apply(vendor, [(_of_profiles("old_rows"), -1), (_without_profile("old_rows"), 1)])};
    ELSIF EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {_PROFILE_CHANGED}) THEN
        PERFORM reports_rollup_lock(
            ARRAY(SELECT user_id::bigint FROM {moved_old} c UNION SELECT user_id FROM {moved_new} c),
            '{{}}'::bigint[]);
        {
            _apply(
                vendor,
                [
                    (_of_profiles(moved_old), -1),
                    (_without_profile(moved_old), 1),
                    (_without_profile(moved_new), -1),
                    (_of_profiles(moved_new), 1),
                ],
            )
        };
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
        *(
            f"CREATE TRIGGER reports_groups_{name}_{event.lower()} AFTER {event} ON {table} REFERENCING "
            + {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows"}.get(
                event, "OLD TABLE AS old_rows NEW TABLE AS new_rows"
            )
            + f" FOR EACH STATEMENT EXECUTE FUNCTION reports_{name}_groups_changed()"
            for name, table in (("person", PEOPLE), ("profile", PROFILES))
            for event in ("INSERT", "UPDATE", "DELETE")
        ),
    ]


_TRIGGERS = [
    (f"reports_groups_{name}_{event}", table)
    for name, table in (("person", PEOPLE), ("profile", PROFILES))
    for event in ("insert", "update", "delete")
]

POSTGRES_UNINSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in _TRIGGERS),
    "DROP FUNCTION IF EXISTS reports_person_groups_changed()",
    "DROP FUNCTION IF EXISTS reports_profile_groups_changed()",
]


# --- SQLite (row triggers; one writer at a time) ---------------------------------------------------


def _sqlite_row(alias, columns):
    """The OLD or NEW row as a one-row subquery (SQLite triggers cannot name a transition table)."""
    return "(SELECT " + ", ".join(f"{alias}.{column} AS {column}" for column in columns) + ")"


def _sqlite_install():
    vendor = "sqlite"
    person = ("user_id", "registrations", "completed", "first_start")
    profile = ("user_id", *PROFILE_FIELDS)
    old_person, new_person = _sqlite_row("OLD", person), _sqlite_row("NEW", person)
    old_profile, new_profile = _sqlite_row("OLD", profile), _sqlite_row("NEW", profile)
    changed = " OR ".join(f"OLD.{field} IS NOT NEW.{field}" for field in (*PROFILE_FIELDS, "user_id"))
    return [
        tables.sqlite_trigger(
            "reports_groups_person_insert", "INSERT", PEOPLE, [_apply(vendor, [(_with_profile(new_person), 1)])]
        ),
        tables.sqlite_trigger(
            "reports_groups_person_update",
            "UPDATE",
            PEOPLE,
            [_apply(vendor, [(_with_profile(old_person), -1), (_with_profile(new_person), 1)])],
        ),
        tables.sqlite_trigger(
            "reports_groups_person_delete", "DELETE", PEOPLE, [_apply(vendor, [(_with_profile(old_person), -1)])]
        ),
        tables.sqlite_trigger(
            "reports_groups_profile_insert",
            "INSERT",
            PROFILES,
            [_apply(vendor, [(_without_profile(new_profile), -1), (_of_profiles(new_profile), 1)])],
        ),
        tables.sqlite_trigger(
            "reports_groups_profile_update",
            "UPDATE",
            PROFILES,
            [
                _apply(
                    vendor,
                    [
                        (_of_profiles(old_profile), -1),
                        (_without_profile(old_profile), 1),
                        (_without_profile(new_profile), -1),
                        (_of_profiles(new_profile), 1),
                    ],
                )
            ],
            f"WHEN {changed}",
        ),
        tables.sqlite_trigger(
            "reports_groups_profile_delete",
            "DELETE",
            PROFILES,
            [_apply(vendor, [(_of_profiles(old_profile), -1), (_without_profile(old_profile), 1)])],
        ),
    ]


def install(schema_editor):
    tables.install(schema_editor, postgresql=_postgres_install, sqlite=_sqlite_install)


def uninstall(schema_editor):
    tables.uninstall(schema_editor, postgresql=POSTGRES_UNINSTALL, sqlite_triggers=[name for name, _ in _TRIGGERS])


def _sums_sql(vendor):
    """SELECT of every group computed from the per-person rows and the profiles."""
    key = ", ".join(KEY)
    return (
        f"SELECT {key}, SUM(people), SUM(registrations), SUM(completed) "
        f"FROM ({_contribution(vendor, _with_profile(PEOPLE), 1)}) d GROUP BY {key}"
    )


def rebuild(using="default"):
    """Recompute every group from the per-person rows (after ``people.rebuild()``)."""
    tables.rebuild(
        using, TABLE, lambda vendor: f"INSERT INTO {TABLE} ({', '.join((*KEY, *SUMS))}) " + _sums_sql(vendor)
    )


def _normal(values):
    return tuple(int(value) for value in values)


def fold(using="default"):
    """One row per group instead of every change appended since the last fold (the figures stay the same)."""
    tables.fold(using, TABLE, KEY, SUMS)


def differences(using="default"):
    """[(group, stored counts, counts computed from the per-person rows)] where they differ (groups whose
    changes add up to zeros are no difference)."""
    return tables.differences(using, tables.summed(TABLE, KEY, SUMS), _sums_sql, key_width=len(KEY), normal=_normal)
