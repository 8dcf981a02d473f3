"""People per trainer, kept current by database triggers (PostgreSQL and SQLite).

``reports_trainerrollup`` holds, for each trainer, how many people took part in at least one of their
sessions (``reports.models.TrainerRollup``): the rows of ``reports_trainerpersonrollup`` (one per person
and trainer, recomputed with the person's per-person row, ``reports/rollups/people.py``) counted per
trainer. Counting those rows when a report runs reads one row per person for each of their trainers — as
many as the registrations; here the triggers on them append +1 when a person's row with a trainer appears
and -1 when it goes, and the trainers report sums those rows per trainer (``fold()`` keeps them few).

The person × trainer rows are only inserted or deleted when a person gains or loses a trainer (the
recomputation leaves rows that do not change alone), so a registration with a trainer the person already
had touches no count. ``differences()`` compares the counts with distinct people counted from the
registrations themselves.
"""

from courses.models import RegistrationStatus, SessionStatus

from . import tables
from .people import TRAINERS_TABLE as PAIRS

TABLE = "reports_trainerrollup"
_EXCLUDED = ", ".join(f"'{status}'" for status in (SessionStatus.DRAFT.value, SessionStatus.CANCELLED.value))
_CONFIRMED = RegistrationStatus.CONFIRMED.value


def _apply(changes):
    """One statement appending to each trainer's count the rows of `changes` ([(SELECT of trainer_id, sign)]):
    appended, not added into one row per trainer, for the reason ``reports/rollups/groups.py`` gives."""
    union = " UNION ALL ".join(f"SELECT trainer_id, {sign} AS people FROM ({rows}) c" for rows, sign in changes)
    return (
        f"INSERT INTO {TABLE} (trainer_id, people) SELECT trainer_id, SUM(people) FROM ({union}) d "
        "GROUP BY trainer_id HAVING SUM(people) <> 0"
    )


# --- PostgreSQL ------------------------------------------------------------------------------------


def _postgres_install():
    return [
        f"""
CREATE OR REPLACE FUNCTION reports_trainer_people_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_apply([("SELECT trainer_id FROM new_rows", 1)])};
    ELSIF TG_OP = 'DELETE' THEN
        {_apply([("SELECT trainer_id FROM old_rows", -1)])};
    ELSE
        {_apply([("SELECT trainer_id FROM old_rows", -1), ("SELECT trainer_id FROM new_rows", 1)])};
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
        *(
            f"CREATE TRIGGER reports_trainers_{event.lower()} AFTER {event} ON {PAIRS} REFERENCING {transition} "
            "FOR EACH STATEMENT EXECUTE FUNCTION reports_trainer_people_changed()"
            for event, transition in (
                ("INSERT", "NEW TABLE AS new_rows"),
                ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
                ("DELETE", "OLD TABLE AS old_rows"),
            )
        ),
    ]


_TRIGGERS = [f"reports_trainers_{event}" for event in ("insert", "update", "delete")]

POSTGRES_UNINSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name} ON {PAIRS}" for name in _TRIGGERS),
    "DROP FUNCTION IF EXISTS reports_trainer_people_changed()",
]


# --- SQLite (row triggers) -------------------------------------------------------------------------


def _sqlite_install():
    return [
        tables.sqlite_trigger(
            "reports_trainers_insert", "INSERT", PAIRS, [_apply([("SELECT NEW.trainer_id AS trainer_id", 1)])]
        ),
        tables.sqlite_trigger(
            "reports_trainers_update",
            "UPDATE",
            PAIRS,
            [_apply([("SELECT OLD.trainer_id AS trainer_id", -1), ("SELECT NEW.trainer_id AS trainer_id", 1)])],
            "WHEN OLD.trainer_id IS NOT NEW.trainer_id OR OLD.user_id IS NOT NEW.user_id",
        ),
        tables.sqlite_trigger(
            "reports_trainers_delete", "DELETE", PAIRS, [_apply([("SELECT OLD.trainer_id AS trainer_id", -1)])]
        ),
    ]


def install(schema_editor):
    tables.install(schema_editor, postgresql=_postgres_install, sqlite=_sqlite_install)


def uninstall(schema_editor):
    tables.uninstall(schema_editor, postgresql=POSTGRES_UNINSTALL, sqlite_triggers=_TRIGGERS)


def rebuild(using="default"):
    """Recount every trainer's people from the person × trainer rows (after ``people.rebuild()``)."""
    tables.rebuild(
        using,
        TABLE,
        lambda vendor: (
            f"INSERT INTO {TABLE} (trainer_id, people) SELECT trainer_id, COUNT(*) FROM {PAIRS} GROUP BY trainer_id"
        ),
    )


def fold(using="default"):
    """One row per trainer instead of every change appended since the last fold."""
    tables.fold(using, TABLE, ("trainer_id",), ("people",))


def differences(using="default"):
    """[(trainer, stored people, people counted from the registrations)] where they differ (a trainer left with
    zero people is no difference)."""
    return tables.differences(
        using,
        tables.summed(TABLE, ("trainer_id",), ("people",)),
        lambda vendor: (
            "SELECT st.user_id, COUNT(DISTINCT r.user_id) FROM courses_registration r "
            "JOIN courses_session s ON s.id = r.session_id JOIN courses_session_trainers st ON st.session_id = s.id "
            f"WHERE r.status = '{_CONFIRMED}' AND s.status NOT IN ({_EXCLUDED}) GROUP BY st.user_id"
        ),
    )
