"""Trainers: sessions, participants and feedback scores per trainer."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.models import User
from courses.models import Session

from .base import fetch_rows, participants, session_q, sessions, with_report_memory
from .feedback_report import ANSWER_SUMS, _averages
from .labels import person_name
from .structures import DECIMAL, INT, Chart, Column, Report, Table

TRAINER = "session__trainers"


#: Per session: what a trainer's row adds up over the trainer's sessions (a registration meets each
#: trainer of its session once and has at most one answer).
SESSION_SUMS = {
    "registrations": Count("pk"),
    "completed": Count("pk", filter=Q(completed_at__isnull=False)),
    **ANSWER_SUMS,
}


def _registration_rows(filters):
    """{trainer id: people, registrations, completed, answers, average scores} in two queries.

    Only people need DISTINCT, and that sort is the costly part: it gets the narrowest rows (trainer,
    person). The sums come per session (thousands of rows, not hundreds of thousands of
    trainer-registration pairs) and are added up per trainer through the session's trainer links.
    """
    people = dict(
        fetch_rows(participants(filters).values_list(TRAINER).annotate(people=Count("user", distinct=True)).order_by())
    )
    per_session = {
        session_id: values
        for session_id, *values in fetch_rows(
            participants(filters).values_list("session_id").annotate(**SESSION_SUMS).order_by()
        )
    }
    rows = {}
    # The links of the sessions the filters allow (no semi-join on the registrations): a session
    # without participants has no sums and is skipped.
    links = Session.trainers.through.objects.filter(session__in=Session.objects.filter(session_q(filters)))
    for session_id, trainer_id in links.values_list("session_id", "user_id").order_by():
        values = per_session.get(session_id)
        if values is None:
            continue
        row = rows.setdefault(trainer_id, dict.fromkeys(SESSION_SUMS, 0))
        for name, value in zip(SESSION_SUMS, values, strict=True):
            row[name] += value or 0
    for trainer_id, row in rows.items():
        row["people"] = people.get(trainer_id, 0)
        averages = _averages(row)
        row.update(content=averages["content"], trainer=averages["trainer"], organisation=averages["organisation"])
    return rows


def by_trainer(filters, now=None):
    now = now or timezone.now()
    session_rows = {
        row["user_id"]: row
        for row in Session.trainers.through.objects.filter(session__in=sessions(filters))
        .values("user_id")
        .annotate(
            sessions=Count("session_id", distinct=True),
            held=Count("session_id", distinct=True, filter=Q(session__ends_at__lte=now)),
        )
        .order_by()
    }
    registration_rows = _registration_rows(filters)
    trainer_ids = (set(session_rows) | set(registration_rows)) - {None}
    if filters.trainer_ids:
        # Co-trainers of the selected trainer's sessions are not what was asked for.
        trainer_ids &= filters.trainer_ids
    names = {
        row["pk"]: person_name(row["profile__full_name"], row["first_name"], row["last_name"], row["pk"])
        for row in User.objects.filter(pk__in=trainer_ids).values("pk", "profile__full_name", "first_name", "last_name")
    }
    rows = []
    for trainer_id in trainer_ids:
        sessions_row, registrations_row = session_rows.get(trainer_id, {}), registration_rows.get(trainer_id, {})
        rows.append(
            {
                "trainer_id": trainer_id,
                "trainer": names.get(trainer_id, ""),
                "sessions": sessions_row.get("sessions", 0),
                "held": sessions_row.get("held", 0),
                "people": registrations_row.get("people", 0),
                "registrations": registrations_row.get("registrations", 0),
                "completed": registrations_row.get("completed", 0),
                "answers": registrations_row.get("answers", 0),
                "content": registrations_row.get("content"),
                "trainer_score": registrations_row.get("trainer"),
                "organisation": registrations_row.get("organisation"),
            }
        )
    return sorted(rows, key=lambda row: (-row["sessions"], row["trainer"]))


@with_report_memory
def report(filters, now=None):
    rows = by_trainer(filters, now)
    return Report(
        key="trainers",
        title=_("Trainers"),
        tables=[
            Table(
                "trainers",
                _("By trainer"),
                [
                    Column("trainer", _("Trainer")),
                    Column("sessions", _("Sessions"), INT),
                    Column("held", _("Held"), INT),
                    Column("people", _("People"), INT),
                    Column("registrations", _("Registrations"), INT),
                    Column("completed", _("Completed"), INT),
                    Column("answers", _("Feedback answers"), INT),
                    Column("content", _("Content score"), DECIMAL),
                    Column("trainer_score", _("Trainer score"), DECIMAL),
                    Column("organisation", _("Organisation score"), DECIMAL),
                ],
                rows,
            )
        ],
        charts=[
            Chart(
                "trainer_score",
                _("Average trainer score (1–5)"),
                "bar",
                [(row["trainer"], row["trainer_score"] or 0) for row in rows],
                max_value=5,
            ),
            Chart("people", _("People trained per trainer"), "bar", [(row["trainer"], row["people"]) for row in rows]),
        ],
        notes=[_("A session with two trainers counts for each of them. Scores are averages of answers from 1 to 5.")],
    )
