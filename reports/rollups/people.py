"""Per-person rollups kept current by database triggers (PostgreSQL and SQLite).

``reports_personrollup`` holds, for each person with at least one participant registration, how
many they have, how many are completed and when their first session starts (see
``reports.models.PersonRollup``). The people figures of an unfiltered report (or one cut only by
where people come from) sum these rows joined to the profiles, instead of grouping every
registration (``reports.services.people``).

The triggers do not add or subtract: whenever a registration is inserted, updated or deleted, or a
session's status or start changes, they *recompute* the row of every person concerned from the
registrations themselves, with the same definition of a participant as ``reports.services.base``
(a confirmed registration of a session that is neither a draft nor cancelled). So a row can never
drift from the registrations, whatever wrote them: services, ``QuerySet.update()``,
``bulk_create``, the admin, raw SQL. Writes within one statement are recomputed once per person
(PostgreSQL: statement triggers with transition tables); concurrent writers for the same person
take turns on an advisory lock, so each recomputation reads what the other committed.

The locks are per *bucket* (id modulo ``BUCKETS``), not per id: a statement touching 100,000
people takes at most ``BUCKETS`` person locks and ``BUCKETS`` session locks (a lock per id
exhausted ``max_locks_per_transaction``). All of them are taken by ``reports_rollup_lock`` in one
ordered query, person buckets before session buckets (their keys sort so), and the per-session
triggers of a registration change lock the people's buckets too, so the order does not depend on
which trigger PostgreSQL fires first.

The same recomputation keeps ``reports_trainerpersonrollup``: one row per person and trainer they took part
with (in how many of the trainer's sessions), also recomputed for a session's people when its trainers change;
``reports/rollups/trainers.py`` counts those rows per trainer. Both tables are written only where a row
changes (an update in place, a delete when a person's last participation goes), because the counts built on
them (``groups``, ``trainers``) move with every row written.

``rebuild()`` recomputes every row (the migration fills the table with it); ``differences()`` and
``trainer_differences()`` list the rows that differ from the registrations (none, unless the triggers were
bypassed).
"""

from datetime import datetime

from courses.models import RegistrationStatus, SessionStatus

from . import tables

TABLE = "reports_personrollup"
#: Per person and trainer: in how many of the trainer's sessions the person took part.
TRAINERS_TABLE = "reports_trainerpersonrollup"
#: What the triggers write (reports/migrate_hooks.py installs them only where all are there).
TABLES = (TABLE, TRAINERS_TABLE)
#: High bits of the advisory lock keys that serialise recomputations of one person (the low 48 bits: the id).
LOCK_NAMESPACE = 0x5245  # "RE"
#: Advisory lock keys of the sessions (reports/rollups/sessions.py); above the people's, so taken after them.
SESSION_LOCK_NAMESPACE = 0x5253  # "RS"
#: Ids share a lock when equal modulo this: a statement takes at most this many locks per kind.
BUCKETS = 256
_EXCLUDED = (SessionStatus.DRAFT.value, SessionStatus.CANCELLED.value)
_CONFIRMED = RegistrationStatus.CONFIRMED.value


def _sums_sql(people):
    """SELECT of the rollup rows of the people matched by the SQL condition `people` on ``r.user_id``."""
    excluded = ", ".join(f"'{status}'" for status in _EXCLUDED)
    return (
        "SELECT r.user_id, COUNT(*), COUNT(r.completed_at), MIN(s.starts_at) "
        "FROM courses_registration r JOIN courses_session s ON s.id = r.session_id "
        f"WHERE {people} AND r.status = '{_CONFIRMED}' AND s.status NOT IN ({excluded}) "
        "GROUP BY r.user_id"
    )


def _trainers_sql(people):
    """SELECT of the (person, trainer) rows of the people matched by the SQL condition `people` on ``r.user_id``."""
    excluded = ", ".join(f"'{status}'" for status in _EXCLUDED)
    return (
        "SELECT r.user_id, st.user_id AS trainer_id, COUNT(*) AS sessions "
        "FROM courses_registration r JOIN courses_session s ON s.id = r.session_id "
        "JOIN courses_session_trainers st ON st.session_id = r.session_id "
        f"WHERE {people} AND r.status = '{_CONFIRMED}' AND s.status NOT IN ({excluded}) "
        "GROUP BY r.user_id, st.user_id"
    )


def _refresh_trainers_sql(among):
    """The person × trainer rows of `people` made equal to the registrations, touching only rows that change: a
    row deleted or inserted moves the trainer's count of people (``reports/rollups/trainers.py``); a row
    rewritten as it was would move it down and up again, locking the trainer's count for nothing."""
    fresh = _trainers_sql(among("r.user_id"))
    return [
        f"DELETE FROM {TRAINERS_TABLE} WHERE {among('user_id')} AND NOT EXISTS (SELECT 1 FROM ({fresh}) f "
        f"WHERE f.user_id = {TRAINERS_TABLE}.user_id AND f.trainer_id = {TRAINERS_TABLE}.trainer_id)",
        f"INSERT INTO {TRAINERS_TABLE} (user_id, trainer_id, sessions) SELECT * FROM ({fresh}) f WHERE 1 = 1 "
        f"ON CONFLICT (user_id, trainer_id) DO UPDATE SET sessions = excluded.sessions "
        f"WHERE {TRAINERS_TABLE}.sessions <> excluded.sessions",
    ]


def _refresh_people_sql(among):
    """The rows of `people` made equal to the registrations, each written only if it changes: a row deleted and
    inserted again would move its person out of their group and back (``reports/rollups/groups.py``); an
    update moves only what changed."""
    excluded = ", ".join(f"'{status}'" for status in _EXCLUDED)
    changed = " OR ".join(
        f"{TABLE}.{column} <> excluded.{column}" for column in ("registrations", "completed", "first_start")
    )
    return [
        f"DELETE FROM {TABLE} WHERE {among('user_id')} AND NOT EXISTS (SELECT 1 FROM courses_registration r "
        f"JOIN courses_session s ON s.id = r.session_id WHERE r.user_id = {TABLE}.user_id "
        f"AND r.status = '{_CONFIRMED}' AND s.status NOT IN ({excluded}))",
        f"INSERT INTO {TABLE} (user_id, registrations, completed, first_start) "
        + _sums_sql(among("r.user_id"))
        + " ON CONFLICT (user_id) DO UPDATE SET registrations = excluded.registrations, "
        f"completed = excluded.completed, first_start = excluded.first_start WHERE {changed}",
    ]


def _refresh_sql(among):
    """The statements making the rows of some people equal to the registrations: `among(column)` is the SQL
    condition that `column` is one of them."""
    return [*_refresh_people_sql(among), *_refresh_trainers_sql(among)]


# --- PostgreSQL ------------------------------------------------------------------------------------

# Only participant registrations count: a waitlisted one registered, a pending one approved into the waitlist or a
# check-in (attendance) moves no person's row, and is left at that.
_COUNTS = f"(n.status = '{_CONFIRMED}' OR o.status = '{_CONFIRMED}')"
_UPDATED_PEOPLE = (
    "ARRAY(SELECT n.user_id::bigint FROM new_rows n JOIN old_rows o ON o.id = n.id "
    f"WHERE {_COUNTS} AND (n.status, n.completed_at, n.session_id, n.user_id) "
    "IS DISTINCT FROM (o.status, o.completed_at, o.session_id, o.user_id) "
    "UNION SELECT o.user_id::bigint FROM new_rows n JOIN old_rows o ON o.id = n.id "
    f"WHERE {_COUNTS} AND (n.session_id, n.user_id) IS DISTINCT FROM (o.session_id, o.user_id))"
)
_REFRESH_UPDATED = tables.bulk_safe("new_rows", [(None, f"reports_refresh_people({_UPDATED_PEOPLE})")])

# "= ANY(ids)": an index scan for the few people of a registration (an IN over unnest(ids) was planned for 100
# rows, a scan of every registration).
_REFRESH = ";\n    ".join(_refresh_sql(lambda column: f"{column} = ANY(ids)"))

POSTGRES_INSTALL = [
    f"""
CREATE OR REPLACE FUNCTION reports_rollup_lock(people bigint[], sessions bigint[]) RETURNS void AS $$
BEGIN
    -- Bounded: one lock per bucket, not per id. In one global key order (person buckets, then session
    -- buckets), so that two statements touching the same buckets cannot wait for each other in a ring.
    PERFORM pg_advisory_xact_lock(k.key) FROM (
        SELECT ({LOCK_NAMESPACE}::bigint << 48) + (person % {BUCKETS}) AS key FROM unnest(people) AS person
        UNION
        SELECT ({SESSION_LOCK_NAMESPACE}::bigint << 48) + (session % {BUCKETS}) FROM unnest(sessions) AS session
    ) AS k ORDER BY k.key;
END;
$$ LANGUAGE plpgsql
""",
    f"""
CREATE OR REPLACE FUNCTION reports_refresh_people(ids bigint[]) RETURNS void AS $$
BEGIN
    IF cardinality(ids) = 0 THEN
        RETURN;  -- nothing to recompute (and no statement to fire the triggers of the tables below)
    END IF;
    PERFORM reports_rollup_lock(ids, '{{}}'::bigint[]);
    -- Each statement below sees what other transactions committed while this one waited for the lock.
    {_REFRESH};
END;
$$ LANGUAGE plpgsql
""",
    f"""
CREATE OR REPLACE FUNCTION reports_registrations_changed() RETURNS trigger AS $$
BEGIN
    -- First the buckets of every person of the statement: a superset of those the per-session
    -- triggers lock, so whichever trigger fires first, person locks are taken in one sorted run.
    IF TG_OP = 'UPDATE' THEN
        PERFORM reports_rollup_lock(ARRAY(SELECT user_id::bigint FROM new_rows UNION SELECT user_id FROM old_rows),
                                    '{{}}'::bigint[]);
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM reports_refresh_people(ARRAY(SELECT DISTINCT user_id::bigint FROM new_rows
                                             WHERE status = '{_CONFIRMED}'));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM reports_refresh_people(ARRAY(SELECT DISTINCT user_id::bigint FROM old_rows
                                             WHERE status = '{_CONFIRMED}'));
    ELSE
        {_REFRESH_UPDATED}
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE OR REPLACE FUNCTION reports_sessions_changed() RETURNS trigger AS $$
BEGIN
    -- The same people the per-session trigger locks (a course change too), in one sorted run.
    PERFORM reports_rollup_lock(ARRAY(
        SELECT DISTINCT r.user_id::bigint FROM courses_registration r
        JOIN new_rows n ON n.id = r.session_id JOIN old_rows o ON o.id = n.id
        WHERE (n.status, n.starts_at, n.course_id) IS DISTINCT FROM (o.status, o.starts_at, o.course_id)
    ), '{}'::bigint[]);
    PERFORM reports_refresh_people(ARRAY(
        SELECT DISTINCT r.user_id::bigint FROM courses_registration r
        JOIN new_rows n ON n.id = r.session_id JOIN old_rows o ON o.id = n.id
        WHERE (n.status, n.starts_at) IS DISTINCT FROM (o.status, o.starts_at)
    ));
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE OR REPLACE FUNCTION reports_session_trainers_changed() RETURNS trigger AS $$
BEGIN
    -- A trainer added to or taken off a session: the person × trainer rows of its people.
    IF TG_OP = 'INSERT' THEN
        PERFORM reports_refresh_people(ARRAY(SELECT DISTINCT r.user_id::bigint FROM courses_registration r
                                             WHERE r.session_id IN (SELECT session_id FROM new_rows)));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM reports_refresh_people(ARRAY(SELECT DISTINCT r.user_id::bigint FROM courses_registration r
                                             WHERE r.session_id IN (SELECT session_id FROM old_rows)));
    ELSE
        PERFORM reports_refresh_people(ARRAY(SELECT DISTINCT r.user_id::bigint FROM courses_registration r
            WHERE r.session_id IN (SELECT session_id FROM old_rows UNION SELECT session_id FROM new_rows)));
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    "CREATE TRIGGER reports_rollup_registration_insert AFTER INSERT ON courses_registration "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_registrations_changed()",
    "CREATE TRIGGER reports_rollup_registration_update AFTER UPDATE ON courses_registration "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION reports_registrations_changed()",
    "CREATE TRIGGER reports_rollup_registration_delete AFTER DELETE ON courses_registration "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_registrations_changed()",
    "CREATE TRIGGER reports_rollup_session_update AFTER UPDATE ON courses_session "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION reports_sessions_changed()",
    *(
        f"CREATE TRIGGER reports_rollup_session_trainers_{event.lower()} AFTER {event} ON courses_session_trainers "
        f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION reports_session_trainers_changed()"
        for event, tables in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        )
    ),
]

POSTGRES_UNINSTALL = [
    "DROP TRIGGER IF EXISTS reports_rollup_registration_insert ON courses_registration",
    "DROP TRIGGER IF EXISTS reports_rollup_registration_update ON courses_registration",
    "DROP TRIGGER IF EXISTS reports_rollup_registration_delete ON courses_registration",
    "DROP TRIGGER IF EXISTS reports_rollup_session_update ON courses_session",
    *(
        f"DROP TRIGGER IF EXISTS reports_rollup_session_trainers_{event} ON courses_session_trainers"
        for event in ("insert", "update", "delete")
    ),
    "DROP FUNCTION IF EXISTS reports_session_trainers_changed()",
    "DROP FUNCTION IF EXISTS reports_sessions_changed()",
    "DROP FUNCTION IF EXISTS reports_registrations_changed()",
    "DROP FUNCTION IF EXISTS reports_refresh_people(bigint[])",
    "DROP FUNCTION IF EXISTS reports_rollup_lock(bigint[], bigint[])",
]


# --- SQLite (one write at a time: no locks needed; row triggers) ------------------------------------


def _sqlite_trigger(name, event, table, people, when=""):
    body = ";\n    ".join(_refresh_sql(lambda column: f"{column} IN ({people})"))
    return f"CREATE TRIGGER {name} AFTER {event} ON {table} {when}\nBEGIN\n    {body};\nEND"


SQLITE_INSTALL = [
    _sqlite_trigger(
        "reports_rollup_registration_insert",
        "INSERT",
        "courses_registration",
        "NEW.user_id",
        f"WHEN NEW.status = '{_CONFIRMED}'",
    ),
    _sqlite_trigger(
        "reports_rollup_registration_update",
        "UPDATE",
        "courses_registration",
        "OLD.user_id, NEW.user_id",
        f"WHEN (OLD.status = '{_CONFIRMED}' OR NEW.status = '{_CONFIRMED}') AND (OLD.status IS NOT NEW.status "
        "OR OLD.completed_at IS NOT NEW.completed_at OR OLD.session_id IS NOT NEW.session_id "
        "OR OLD.user_id IS NOT NEW.user_id)",
    ),
    _sqlite_trigger(
        "reports_rollup_registration_delete",
        "DELETE",
        "courses_registration",
        "OLD.user_id",
        f"WHEN OLD.status = '{_CONFIRMED}'",
    ),
    _sqlite_trigger(
        "reports_rollup_session_update",
        "UPDATE",
        "courses_session",
        "SELECT user_id FROM courses_registration WHERE session_id = NEW.id",
        "WHEN OLD.status IS NOT NEW.status OR OLD.starts_at IS NOT NEW.starts_at",
    ),
    _sqlite_trigger(
        "reports_rollup_session_trainers_insert",
        "INSERT",
        "courses_session_trainers",
        "SELECT user_id FROM courses_registration WHERE session_id = NEW.session_id",
    ),
    _sqlite_trigger(
        "reports_rollup_session_trainers_update",
        "UPDATE",
        "courses_session_trainers",
        "SELECT user_id FROM courses_registration WHERE session_id IN (OLD.session_id, NEW.session_id)",
    ),
    _sqlite_trigger(
        "reports_rollup_session_trainers_delete",
        "DELETE",
        "courses_session_trainers",
        "SELECT user_id FROM courses_registration WHERE session_id = OLD.session_id",
    ),
]

_SQLITE_TRIGGERS = [
    "reports_rollup_registration_insert",
    "reports_rollup_registration_update",
    "reports_rollup_registration_delete",
    "reports_rollup_session_update",
    "reports_rollup_session_trainers_insert",
    "reports_rollup_session_trainers_update",
    "reports_rollup_session_trainers_delete",
]


def install(schema_editor):
    tables.install(schema_editor, postgresql=lambda: POSTGRES_INSTALL, sqlite=lambda: SQLITE_INSTALL)


def uninstall(schema_editor):
    tables.uninstall(schema_editor, postgresql=POSTGRES_UNINSTALL, sqlite_triggers=_SQLITE_TRIGGERS)


def rebuild_people(using="default"):
    """Recompute every per-person row (only: migration 0004 runs before the person × trainer table exists)."""
    tables.rebuild(
        using,
        TABLE,
        lambda vendor: f"INSERT INTO {TABLE} (user_id, registrations, completed, first_start) " + _sums_sql("1 = 1"),
    )


def rebuild(using="default"):
    """Recompute every row, per person and per person and trainer, from the registrations (after the tables are
    created, or to repair them)."""
    rebuild_people(using)
    tables.rebuild(
        using,
        TRAINERS_TABLE,
        lambda vendor: f"INSERT INTO {TRAINERS_TABLE} (user_id, trainer_id, sessions) " + _trainers_sql("1 = 1"),
    )


def _normal(values):
    # SQLite gives the stored column as a datetime and MIN() of the text column as text.
    registrations, completed, first = values
    return (registrations, completed, datetime.fromisoformat(first) if isinstance(first, str) else first)


def differences(using="default"):
    """[(user id, stored row, row computed from the registrations)] where they differ."""
    return tables.differences(
        using,
        f"SELECT user_id, registrations, completed, first_start FROM {TABLE}",
        lambda vendor: _sums_sql("1 = 1"),
        normal=_normal,
    )


def trainer_differences(using="default"):
    """[((person, trainer), stored sessions, sessions computed from the registrations)] where they differ."""
    return tables.differences(
        using,
        f"SELECT user_id, trainer_id, sessions FROM {TRAINERS_TABLE}",
        lambda vendor: _trainers_sql("1 = 1"),
        key_width=2,
    )
