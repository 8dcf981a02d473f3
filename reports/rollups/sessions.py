"""Per-session rollups kept current by database triggers (PostgreSQL and SQLite).

``reports_sessionrollup`` holds, for each session with participants, the sums the delivery and
donor figures are made of (``reports.models.SessionRollup``): participants, completed, recorded
attendance, feedback answers and score totals, and two counts that make *people* add up over
sessions: ``new_in_course``, the participants for whom this is their first session of the course
(any language version; "first" by start, then id, among reportable sessions), and
``new_in_month``, the same for the calendar month the session starts in (Asia/Bishkek). Summed over
every reportable session of a course (or a month), they give the people of that course (month),
each counted once.

As for the people (``reports/rollups/people.py``), the triggers recompute, never add: whenever a
registration, a feedback answer or a session's status, start or course changes, every session whose
figures may change is recomputed from the rows — the sessions of the registrations touched and
every session of the people concerned (their "first" flags depend on each other). Concurrent
recomputations of one session take turns on an advisory lock and read what the other committed.
"""

from django.conf import settings

from courses.models import RegistrationStatus, SessionStatus
from reports.models.feedback import SCORE_FIELDS

from . import tables
from .people import SESSION_LOCK_NAMESPACE

TABLE = "reports_sessionrollup"
#: How many answers gave each score to each standard question ("content_score_5": content got a 5).
_SCORES = [(field, score) for field in SCORE_FIELDS for score in range(1, 6)]
SCORE_COUNTS = tuple(f"{field}_{score}" for field, score in _SCORES)
COLUMNS = (
    "participants",
    "completed",
    "attendance_recorded",
    "attendance_sum",
    "answers",
    "content_total",
    "trainer_total",
    "organisation_total",
    "new_in_course",
    "new_in_month",
    *SCORE_COUNTS,
    "written",
)
LOCK_NAMESPACE = SESSION_LOCK_NAMESPACE  # the low 48 bits: the session id modulo BUCKETS
_EXCLUDED = ", ".join(f"'{status}'" for status in (SessionStatus.DRAFT.value, SessionStatus.CANCELLED.value))
_CONFIRMED = RegistrationStatus.CONFIRMED.value


def _month(vendor, column):
    if vendor == "postgresql":
        return f"date_trunc('month', {column} AT TIME ZONE '{settings.TIME_ZONE}')"
    return f"strftime('%Y-%m', {tables.sqlite_local(column)})"


def _earlier(vendor, same):
    """No reportable participant registration of r's person in an earlier session with `same` key."""
    return (
        "CASE WHEN EXISTS (SELECT 1 FROM courses_registration r2 "
        "JOIN courses_session s2 ON s2.id = r2.session_id JOIN wagtailcore_page p2 ON p2.id = s2.course_id "
        f"WHERE r2.user_id = r.user_id AND r2.status = '{_CONFIRMED}' AND s2.status NOT IN ({_EXCLUDED}) "
        "AND (s2.starts_at < s.starts_at OR (s2.starts_at = s.starts_at AND s2.id < s.id)) "
        f"AND {same}) THEN 0 ELSE 1 END"
    )


#: A feedback answer with something written (the comments a report lists).
WRITTEN = "f.id IS NOT NULL AND NOT (f.most_useful = '' AND f.comments = '')"


def _count_where(condition):
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def sums_sql(vendor, sessions):
    """SELECT of the rollup rows of the sessions matched by the SQL condition `sessions` on ``s.id``."""
    month = _month(vendor, "s2.starts_at") + " = " + _month(vendor, "s.starts_at")
    return (
        "SELECT s.id, COUNT(*), COUNT(r.completed_at), COUNT(r.attendance_percent), "
        "COALESCE(SUM(r.attendance_percent), 0), COUNT(f.id), COALESCE(SUM(f.content_score), 0), "
        "COALESCE(SUM(f.trainer_score), 0), COALESCE(SUM(f.organisation_score), 0), "
        f"SUM({_earlier(vendor, 'p2.translation_key = p.translation_key')}), SUM({_earlier(vendor, month)}), "
        + "".join(f"{_count_where(f'f.{field} = {score}')}, " for field, score in _SCORES)
        + f"{_count_where(WRITTEN)} "
        "FROM courses_session s JOIN wagtailcore_page p ON p.id = s.course_id "
        f"JOIN courses_registration r ON r.session_id = s.id AND r.status = '{_CONFIRMED}' "
        "LEFT JOIN reports_feedback f ON f.registration_id = r.id "
        f"WHERE {sessions} GROUP BY s.id"
    )


def _recount(sessions):
    """UPDATE of the completion and attendance counts of the rollup rows matched by the SQL `sessions` (on
    ``session_id``; no alias: SQLite refuses one in a trigger)."""
    counts = {
        "completed": "COUNT(r.completed_at)",
        "attendance_recorded": "COUNT(r.attendance_percent)",
        "attendance_sum": "COALESCE(SUM(r.attendance_percent), 0)",
    }
    return (
        f"UPDATE {TABLE} SET "
        + ", ".join(
            f"{column} = (SELECT {count} FROM courses_registration r "
            f"WHERE r.session_id = {TABLE}.session_id AND r.status = '{_CONFIRMED}')"
            for column, count in counts.items()
        )
        + f" WHERE {sessions}"
    )


def _insert(vendor, sessions):
    return f"INSERT INTO {TABLE} (session_id, {', '.join(COLUMNS)}) " + sums_sql(vendor, sessions)


def _sessions_of(people):
    """The sessions of the people whose ids the SQL `people` gives (after a session changes)."""
    return f"SELECT session_id FROM courses_registration WHERE user_id IN ({people})"


def _related(vendor, changed):
    """The sessions whose "first" flags a change of the (user_id, session_id) pairs of the SQL `changed`
    may move: those of the same people in the same course or the same month."""
    return (
        f"SELECT r3.session_id FROM ({changed}) c JOIN courses_session sc ON sc.id = c.session_id "
        "JOIN wagtailcore_page pc ON pc.id = sc.course_id "
        "JOIN courses_registration r3 ON r3.user_id = c.user_id JOIN courses_session s3 ON s3.id = r3.session_id "
        "JOIN wagtailcore_page p3 ON p3.id = s3.course_id "
        f"WHERE p3.translation_key = pc.translation_key OR {_month(vendor, 's3.starts_at')} = "
        f"{_month(vendor, 'sc.starts_at')}"
    )


def _refreshed(vendor, changed):
    return f"SELECT session_id FROM ({changed}) c0 UNION {_related(vendor, changed)}"


# --- PostgreSQL ------------------------------------------------------------------------------------


def _people(changed):
    return f"ARRAY(SELECT DISTINCT c.user_id::bigint FROM ({changed}) c)"


def _postgres_install():
    changed_when = "(n.status, n.starts_at, n.course_id) IS DISTINCT FROM (o.status, o.starts_at, o.course_id)"
    changed_join = f"JOIN new_rows n ON n.id = r.session_id JOIN old_rows o ON o.id = n.id WHERE {changed_when}"
    confirmed = f"status = '{_CONFIRMED}'"
    inserted = f"SELECT user_id, session_id FROM new_rows WHERE {confirmed}"
    deleted = f"SELECT user_id, session_id FROM old_rows WHERE {confirmed}"
    moved = (
        "FROM new_rows n JOIN old_rows o ON o.id = n.id "
        f"WHERE (n.{confirmed} OR o.{confirmed}) AND "
        "(n.status, n.session_id, n.user_id) IS DISTINCT FROM (o.status, o.session_id, o.user_id)"
    )
    updated = f"SELECT n.user_id, n.session_id {moved} UNION SELECT o.user_id, o.session_id {moved}"
    # A participant's completion or attendance changed, nothing else: only their session's counts move.
    counted = (
        "FROM new_rows n JOIN old_rows o ON o.id = n.id "
        f"WHERE n.{confirmed} AND o.{confirmed} AND (n.session_id, n.user_id) = (o.session_id, o.user_id) "
        "AND (n.completed_at, n.attendance_percent) IS DISTINCT FROM (o.completed_at, o.attendance_percent)"
    )

    def refresh(changed):
        return f"reports_refresh_sessions({_people(changed)}, ARRAY({_refreshed('postgresql', changed)}))"

    recount = (
        f"reports_recount_sessions(ARRAY(SELECT DISTINCT n.user_id::bigint {counted}), "
        f"ARRAY(SELECT DISTINCT n.session_id::bigint {counted}))"
    )
    return [
        f"""
CREATE OR REPLACE FUNCTION reports_refresh_sessions(people bigint[], ids bigint[]) RETURNS void AS $$
BEGIN
    -- The buckets of the people whose registrations changed too (reports_rollup_lock: people first),
    -- so the order of the locks does not depend on which trigger of the statement fires first.
    PERFORM reports_rollup_lock(people, ids);
    DELETE FROM {TABLE} WHERE session_id = ANY(ids);
    {_insert("postgresql", "s.id = ANY(ids)")};
END;
$$ LANGUAGE plpgsql
""",
        # Completions and attendance only: recounted from the rows like the rest, without the "first" flags,
        # which they cannot move (a check-in changes one registration's attendance).
        tables.locked_recompute("reports_recount_sessions", [_recount("session_id = ANY(ids)")]),
        f"""
CREATE OR REPLACE FUNCTION reports_session_rollup_registrations() RETURNS trigger AS $$
BEGIN
    -- Only participants count: a registration that neither was nor is confirmed changes no figure.
    -- Each branch checks first whether anything here moves: most writes (a waitlisted registration, a
    -- check-in, an e-mail sent) move nothing or only counts, and the arguments below cost a millisecond to
    -- evaluate even when empty.
    IF TG_OP = 'INSERT' THEN
        {tables.bulk_safe("new_rows", [(inserted, refresh(inserted))])}
    ELSIF TG_OP = 'DELETE' THEN
        {tables.bulk_safe("old_rows", [(deleted, refresh(deleted))])}
    ELSE
        {tables.bulk_safe("new_rows", [(f"SELECT 1 {moved}", refresh(updated)), (f"SELECT 1 {counted}", recount)])}
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
        f"""
CREATE OR REPLACE FUNCTION reports_session_rollup_sessions() RETURNS trigger AS $$
BEGIN
    -- The people of the changed sessions are locked first (as the per-person trigger does when it
    -- recomputes them), even when only the course changed and no per-person figure moves.
    PERFORM reports_refresh_sessions(
        ARRAY(SELECT DISTINCT r.user_id::bigint FROM courses_registration r {changed_join}),
        ARRAY(
            WITH changed AS (SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {changed_when})
            SELECT id::bigint FROM changed
            UNION {_sessions_of("SELECT user_id FROM courses_registration WHERE session_id IN (SELECT id FROM changed)")}
        )
    );
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
        """
CREATE OR REPLACE FUNCTION reports_session_rollup_feedback() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM reports_refresh_sessions('{}'::bigint[], ARRAY(
            SELECT r.session_id::bigint FROM courses_registration r JOIN new_rows n ON n.registration_id = r.id));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM reports_refresh_sessions('{}'::bigint[], ARRAY(
            SELECT r.session_id::bigint FROM courses_registration r JOIN old_rows o ON o.registration_id = r.id));
    ELSE
        PERFORM reports_refresh_sessions('{}'::bigint[], ARRAY(
            SELECT r.session_id::bigint FROM courses_registration r
            WHERE r.id IN (SELECT registration_id FROM new_rows UNION SELECT registration_id FROM old_rows)));
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
        *(
            f"CREATE TRIGGER reports_sessionrollup_{table_key}_{event.lower()} AFTER {event} ON {table} "
            f"REFERENCING {transitions} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            for table_key, table, function in (
                ("registration", "courses_registration", "reports_session_rollup_registrations"),
                ("feedback", "reports_feedback", "reports_session_rollup_feedback"),
            )
            for event, transitions in (
                ("INSERT", "NEW TABLE AS new_rows"),
                ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
                ("DELETE", "OLD TABLE AS old_rows"),
            )
        ),
        "CREATE TRIGGER reports_sessionrollup_session_update AFTER UPDATE ON courses_session "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION reports_session_rollup_sessions()",
    ]


_TRIGGERS = [
    *(
        (f"reports_sessionrollup_{key}_{event}", table)
        for key, table in (("registration", "courses_registration"), ("feedback", "reports_feedback"))
        for event in ("insert", "update", "delete")
    ),
    ("reports_sessionrollup_session_update", "courses_session"),
]
#: SQLite only (on PostgreSQL the update trigger's function recounts).
_SQLITE_TRIGGERS = [*_TRIGGERS, ("reports_sessionrollup_registration_recount", "courses_registration")]

POSTGRES_UNINSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in _TRIGGERS),
    "DROP FUNCTION IF EXISTS reports_session_rollup_feedback()",
    "DROP FUNCTION IF EXISTS reports_session_rollup_sessions()",
    "DROP FUNCTION IF EXISTS reports_session_rollup_registrations()",
    "DROP FUNCTION IF EXISTS reports_recount_sessions(bigint[], bigint[])",
    "DROP FUNCTION IF EXISTS reports_refresh_sessions(bigint[], bigint[])",
    "DROP FUNCTION IF EXISTS reports_refresh_sessions(bigint[])",
]


# --- SQLite -----------------------------------------------------------------------------------------


def _sqlite_trigger(name, event, table, sessions, when=""):
    """Recompute the rows of the sessions whose ids the SQL `sessions` gives."""
    recompute = [f"DELETE FROM {TABLE} WHERE session_id IN ({sessions})", _insert("sqlite", f"s.id IN ({sessions})")]
    return tables.sqlite_trigger(name, event, table, recompute, when)


def _sqlite_install():
    registration_changed = (
        f"WHEN (OLD.status = '{_CONFIRMED}' OR NEW.status = '{_CONFIRMED}') AND (OLD.status IS NOT NEW.status "
        "OR OLD.session_id IS NOT NEW.session_id OR OLD.user_id IS NOT NEW.user_id)"
    )
    counted = (
        f"WHEN OLD.status = '{_CONFIRMED}' AND NEW.status = '{_CONFIRMED}' AND OLD.session_id = NEW.session_id "
        "AND OLD.user_id = NEW.user_id "
        "AND (OLD.completed_at IS NOT NEW.completed_at OR OLD.attendance_percent IS NOT NEW.attendance_percent)"
    )
    return [
        _sqlite_trigger(
            "reports_sessionrollup_registration_insert",
            "INSERT",
            "courses_registration",
            _refreshed("sqlite", "SELECT NEW.user_id AS user_id, NEW.session_id AS session_id"),
            f"WHEN NEW.status = '{_CONFIRMED}'",
        ),
        _sqlite_trigger(
            "reports_sessionrollup_registration_update",
            "UPDATE",
            "courses_registration",
            _refreshed(
                "sqlite",
                "SELECT OLD.user_id AS user_id, OLD.session_id AS session_id UNION SELECT NEW.user_id, NEW.session_id",
            ),
            registration_changed,
        ),
        tables.sqlite_trigger(
            "reports_sessionrollup_registration_recount",
            "UPDATE",
            "courses_registration",
            [_recount("session_id = NEW.session_id")],
            counted,
        ),
        _sqlite_trigger(
            "reports_sessionrollup_registration_delete",
            "DELETE",
            "courses_registration",
            _refreshed("sqlite", "SELECT OLD.user_id AS user_id, OLD.session_id AS session_id"),
            f"WHEN OLD.status = '{_CONFIRMED}'",
        ),
        *(
            _sqlite_trigger(
                f"reports_sessionrollup_feedback_{event.lower()}",
                event,
                "reports_feedback",
                f"SELECT session_id FROM courses_registration WHERE id IN ({rows})",
            )
            for event, rows in (
                ("INSERT", "NEW.registration_id"),
                ("UPDATE", "OLD.registration_id, NEW.registration_id"),
                ("DELETE", "OLD.registration_id"),
            )
        ),
        _sqlite_trigger(
            "reports_sessionrollup_session_update",
            "UPDATE",
            "courses_session",
            f"SELECT NEW.id UNION {_sessions_of('SELECT user_id FROM courses_registration WHERE session_id = NEW.id')}",
            "WHEN OLD.status IS NOT NEW.status OR OLD.starts_at IS NOT NEW.starts_at "
            "OR OLD.course_id IS NOT NEW.course_id",
        ),
    ]


def install(schema_editor):
    tables.install(schema_editor, postgresql=_postgres_install, sqlite=_sqlite_install)


def uninstall(schema_editor):
    tables.uninstall(
        schema_editor, postgresql=POSTGRES_UNINSTALL, sqlite_triggers=[name for name, _table in _SQLITE_TRIGGERS]
    )


def rebuild(using="default"):
    """Recompute every row from the registrations and answers."""
    tables.rebuild(using, TABLE, lambda vendor: _insert(vendor, "1 = 1"))


def differences(using="default"):
    """[(session id, stored row, row computed from the rows)] where they differ."""
    return tables.differences(
        using,
        f"SELECT session_id, {', '.join(COLUMNS)} FROM {TABLE}",
        lambda vendor: sums_sql(vendor, "1 = 1"),
    )
