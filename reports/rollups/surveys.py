"""Per-session tallies of the answers to the academy's own survey questions, kept by database triggers.

``reports_surveyrollup`` (``reports.models.SurveyRollup``) holds, for each session and question of
the academy's own with answers from the session's participants, one row for the question
(``option`` = ``QUESTION``: the answers, the sum of the ratings, the answers with text) and one row
per option or score chosen (``answers``: how many chose it). The feedback report sums these rows for
its table of the academy's questions instead of joining every answer to its registration and session
(``reports.services.surveys.report``).

As for the other rollups (``reports/rollups/people.py``, ``reports/rollups/sessions.py``), the triggers
recompute, never add: whenever an answer changes, a feedback moves or goes, or a registration with
answers changes its status or session, every row of the sessions concerned is recomputed from the
answers, under the same advisory locks (people's buckets first, then the sessions'), so concurrent
recomputations of one session take turns and read what the other committed.
"""

from courses.models import RegistrationStatus

from . import tables

TABLE = "reports_surveyrollup"
#: ``option`` of a question's own row (options and scores are 0 or more).
QUESTION = -1
COLUMNS = ("session_id", "question_id", "option", "answers", "total", "written")
_CONFIRMED = RegistrationStatus.CONFIRMED.value
_ANSWERS = (
    "FROM reports_surveyanswer a JOIN reports_feedback f ON f.id = a.feedback_id "
    f"JOIN courses_registration r ON r.id = f.registration_id AND r.status = '{_CONFIRMED}'"
)


def _chosen(vendor):
    """`a.chosen` as a JSON array (an answer's options chosen; anything else counts as none)."""
    if vendor == "postgresql":
        return "(CASE WHEN jsonb_typeof(a.chosen) = 'array' THEN a.chosen ELSE '[]'::jsonb END)"
    return "(CASE WHEN json_type(a.chosen) = 'array' THEN a.chosen ELSE '[]' END)"


def sums_sql(vendor, sessions):
    """SELECT of the rollup rows (in `COLUMNS` order) of the sessions matched by the SQL condition `sessions`
    on ``r.session_id``: as the report's tally counts, an answer's options are those chosen, else its number."""
    chosen = _chosen(vendor)
    if vendor == "postgresql":
        length, elements, option = (
            f"jsonb_array_length({chosen})",
            f"jsonb_array_elements_text({chosen})",
            "e.value::int",
        )
        each = f"CROSS JOIN LATERAL {elements} AS e(value)"
    else:
        length, option = f"json_array_length({chosen})", "CAST(e.value AS INTEGER)"
        each = f"JOIN json_each({chosen}) e"
    return (
        f"SELECT r.session_id, a.question_id, {QUESTION}, COUNT(*), COALESCE(SUM(a.number), 0), "
        f"SUM(CASE WHEN a.text <> '' THEN 1 ELSE 0 END) {_ANSWERS} WHERE {sessions} "
        "GROUP BY r.session_id, a.question_id "
        f"UNION ALL SELECT r.session_id, a.question_id, a.number, COUNT(*), 0, 0 {_ANSWERS} "
        f"WHERE {sessions} AND a.number IS NOT NULL AND {length} = 0 GROUP BY r.session_id, a.question_id, a.number "
        f"UNION ALL SELECT r.session_id, a.question_id, {option}, COUNT(*), 0, 0 {_ANSWERS} {each} "
        f"WHERE {sessions} GROUP BY r.session_id, a.question_id, {option}"
    )


def _insert(vendor, sessions):
    return f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) " + sums_sql(vendor, sessions)


def _sessions_of_feedback(feedback_ids):
    return (
        "SELECT r.session_id FROM reports_feedback f JOIN courses_registration r ON r.id = f.registration_id "
        f"WHERE f.id IN ({feedback_ids})"
    )


def _with_answers(registrations):
    """The registrations of the SQL `registrations` (``id``) that have answers to the academy's own questions."""
    return (
        f"SELECT x.id FROM ({registrations}) x WHERE EXISTS (SELECT 1 FROM reports_feedback f "
        "JOIN reports_surveyanswer a ON a.feedback_id = f.id WHERE f.registration_id = x.id)"
    )


# --- PostgreSQL ------------------------------------------------------------------------------------


def _refresh_call(registrations):
    """The call recomputing the sessions of the registrations whose ids the SQL `registrations` gives, their people
    locked first (as every rollup trigger does)."""
    return (
        "reports_refresh_surveys("
        f"ARRAY(SELECT DISTINCT r.user_id::bigint FROM courses_registration r WHERE r.id IN ({registrations})), "
        f"ARRAY(SELECT DISTINCT r.session_id::bigint FROM courses_registration r WHERE r.id IN ({registrations})))"
    )


def _of_feedback(rows):
    return f"SELECT f.registration_id FROM reports_feedback f WHERE f.id IN (SELECT feedback_id FROM {rows})"


def _tallied(registrations):
    """The registrations of the SQL `registrations` (``id``, ``session_id``) whose session has tallies."""
    return f"SELECT x.id FROM ({registrations}) x WHERE x.session_id IN (SELECT session_id FROM {TABLE})"


def _postgres_install():
    moved = "FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE (n.status, n.session_id) IS DISTINCT FROM (o.status, o.session_id)"
    feedback_moved = "FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.registration_id <> o.registration_id"
    moved_ids = _with_answers(f"SELECT n.id {moved}")
    moved_refresh = (
        "reports_refresh_surveys("
        f"ARRAY(SELECT DISTINCT n.user_id::bigint FROM new_rows n WHERE n.id IN ({moved_ids})), "
        f"ARRAY(SELECT n.session_id::bigint FROM new_rows n WHERE n.id IN ({moved_ids}) "
        f"UNION SELECT o.session_id::bigint FROM old_rows o WHERE o.id IN ({moved_ids})))"
    )
    tallied = _tallied("SELECT id, session_id FROM old_rows")
    deleted_refresh = (
        "reports_refresh_surveys("
        f"ARRAY(SELECT DISTINCT o.user_id::bigint FROM old_rows o WHERE o.id IN ({tallied})), "
        f"ARRAY(SELECT DISTINCT o.session_id::bigint FROM old_rows o WHERE o.id IN ({tallied})))"
    )
    return [
        tables.locked_recompute(
            "reports_refresh_surveys",
            [f"DELETE FROM {TABLE} WHERE session_id = ANY(ids)", _insert("postgresql", "r.session_id = ANY(ids)")],
        ),
        f"""
CREATE OR REPLACE FUNCTION reports_survey_rollup_answers() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM {_refresh_call(_of_feedback("new_rows"))};
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM {_refresh_call(_of_feedback("old_rows"))};
    ELSE
        PERFORM {_refresh_call(_of_feedback("(SELECT feedback_id FROM new_rows UNION SELECT feedback_id FROM old_rows) AS both_rows"))};
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
        f"""
CREATE OR REPLACE FUNCTION reports_survey_rollup_feedback() RETURNS trigger AS $$
BEGIN
    -- A feedback moved to another registration, or deleted while its session has tallies (Django deletes
    -- the answers first: then the tallies are already right, and this finds them so).
    IF TG_OP = 'UPDATE' THEN
        {tables.bulk_safe("new_rows", [(None, _refresh_call(f"SELECT n.registration_id {feedback_moved} UNION SELECT o.registration_id {feedback_moved}"))])}
    ELSE
        PERFORM {_refresh_call(_tallied("SELECT r.id, r.session_id FROM courses_registration r WHERE r.id IN (SELECT registration_id FROM old_rows)"))};
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
        f"""
CREATE OR REPLACE FUNCTION reports_survey_rollup_registrations() RETURNS trigger AS $$
BEGIN
    -- Only a registration with answers that changes its status or session moves a tally (attendance,
    -- completion and new registrations do not). The registration's old session is recomputed too.
    IF TG_OP = 'UPDATE' THEN
        {tables.bulk_safe("new_rows", [(f"SELECT 1 {moved}", moved_refresh)])}
    ELSE
        {tables.bulk_safe("old_rows", [(None, deleted_refresh)])}
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
        *(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} "
            f"REFERENCING {_TRANSITIONS[event]} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            for name, event, table, function in _TRIGGERS
        ),
    ]


_TRANSITIONS = {
    "INSERT": "NEW TABLE AS new_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
}
#: (name, event, table, PostgreSQL function)
_TRIGGERS = [
    *(
        (f"reports_surveyrollup_answer_{event.lower()}", event, "reports_surveyanswer", "reports_survey_rollup_answers")
        for event in ("INSERT", "UPDATE", "DELETE")
    ),
    *(
        (f"reports_surveyrollup_feedback_{event.lower()}", event, "reports_feedback", "reports_survey_rollup_feedback")
        for event in ("UPDATE", "DELETE")
    ),
    *(
        (
            f"reports_surveyrollup_registration_{event.lower()}",
            event,
            "courses_registration",
            "reports_survey_rollup_registrations",
        )
        for event in ("UPDATE", "DELETE")
    ),
]

POSTGRES_UNINSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, _event, table, _function in _TRIGGERS),
    "DROP FUNCTION IF EXISTS reports_survey_rollup_registrations()",
    "DROP FUNCTION IF EXISTS reports_survey_rollup_feedback()",
    "DROP FUNCTION IF EXISTS reports_survey_rollup_answers()",
    "DROP FUNCTION IF EXISTS reports_refresh_surveys(bigint[], bigint[])",
]


# --- SQLite -----------------------------------------------------------------------------------------


def _sqlite_trigger(name, event, table, sessions, when=""):
    """Recompute the tallies of the sessions whose ids the SQL `sessions` gives."""
    recompute = [
        f"DELETE FROM {TABLE} WHERE session_id IN ({sessions})",
        _insert("sqlite", f"r.session_id IN ({sessions})"),
    ]
    return tables.sqlite_trigger(name, event, table, recompute, when)


def _sqlite_install():
    def of_registrations(ids):
        return f"SELECT session_id FROM courses_registration WHERE id IN ({ids})"

    def of_feedback(ids):
        return of_registrations(f"SELECT registration_id FROM reports_feedback WHERE id IN ({ids})")

    return [
        _sqlite_trigger(
            "reports_surveyrollup_answer_insert", "INSERT", "reports_surveyanswer", of_feedback("NEW.feedback_id")
        ),
        _sqlite_trigger(
            "reports_surveyrollup_answer_update",
            "UPDATE",
            "reports_surveyanswer",
            of_feedback("OLD.feedback_id, NEW.feedback_id"),
        ),
        _sqlite_trigger(
            "reports_surveyrollup_answer_delete", "DELETE", "reports_surveyanswer", of_feedback("OLD.feedback_id")
        ),
        _sqlite_trigger(
            "reports_surveyrollup_feedback_update",
            "UPDATE",
            "reports_feedback",
            of_registrations("OLD.registration_id, NEW.registration_id"),
            "WHEN OLD.registration_id IS NOT NEW.registration_id",
        ),
        _sqlite_trigger(
            "reports_surveyrollup_feedback_delete",
            "DELETE",
            "reports_feedback",
            of_registrations("OLD.registration_id"),
        ),
        _sqlite_trigger(
            "reports_surveyrollup_registration_update",
            "UPDATE",
            "courses_registration",
            "SELECT OLD.session_id UNION SELECT NEW.session_id",
            "WHEN (OLD.status IS NOT NEW.status OR OLD.session_id IS NOT NEW.session_id) AND EXISTS "
            "(SELECT 1 FROM reports_feedback f JOIN reports_surveyanswer a ON a.feedback_id = f.id "
            "WHERE f.registration_id = NEW.id)",
        ),
        _sqlite_trigger(
            "reports_surveyrollup_registration_delete",
            "DELETE",
            "courses_registration",
            "SELECT OLD.session_id",
            f"WHEN OLD.session_id IN (SELECT session_id FROM {TABLE})",
        ),
    ]


def install(schema_editor):
    tables.install(schema_editor, postgresql=_postgres_install, sqlite=_sqlite_install)


def uninstall(schema_editor):
    tables.uninstall(
        schema_editor,
        postgresql=POSTGRES_UNINSTALL,
        sqlite_triggers=[name for name, _event, _table, _function in _TRIGGERS],
    )


def rebuild(using="default"):
    """Recompute every row from the answers."""
    tables.rebuild(using, TABLE, lambda vendor: _insert(vendor, "1 = 1"))


def differences(using="default"):
    """[((session, question, option), stored (answers, total, written), computed)] where they differ."""
    return tables.differences(
        using, f"SELECT {', '.join(COLUMNS)} FROM {TABLE}", lambda vendor: sums_sql(vendor, "1 = 1"), key_width=3
    )
