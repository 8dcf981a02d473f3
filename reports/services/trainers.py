"""Trainers: sessions, participants and feedback scores per trainer."""

from dataclasses import fields

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.models import User
from courses.models import Session
from reports.models import TrainerRollup

from . import session_sums as rollup_sums
from .base import participants, rounded, sessions, with_report_memory
from .labels import person_name
from .structures import DECIMAL, INT, Chart, Column, Report, Table

TRAINER = "session__trainers"
SCORES = ("content", "trainer", "organisation")
TRAINER_FILTERS = ("trainer_id", "scope_trainer_id")


def people_from_rollup(filters):
    """Whether each trainer's people may be read from their count (``TrainerRollup``): with no filter, or only
    one trainer's (whose sessions are all their sessions; the co-trainers' rows are dropped)."""
    return (
        all(getattr(filters, field.name) is None for field in fields(filters) if field.name not in TRAINER_FILTERS)
        and len(filters.trainer_ids) <= 1
    )


def _registration_rows(filters):
    """{trainer id: people, registrations, completed, answers and average scores} of their sessions' participants.

    A registration meets each trainer of its session once (one link per trainer and session) and has at most
    one answer: only people need the registrations themselves (COUNT DISTINCT, the costly part), unless
    nothing but one trainer is asked for (``people_from_rollup``). The rest comes from the per-session rollup
    when it can answer for the filters (not under an oblast or district filter), else from the rows too.
    """
    if not rollup_sums.usable(filters):
        return {
            row[TRAINER]: row
            for row in participants(filters)
            .values(TRAINER)
            .annotate(
                people=Count("user", distinct=True),
                registrations=Count("pk"),
                completed=Count("pk", filter=Q(completed_at__isnull=False)),
                answers=Count("feedback"),
                content=Avg("feedback__content_score"),
                trainer=Avg("feedback__trainer_score"),
                organisation=Avg("feedback__organisation_score"),
            )
            .order_by()
        }
    if people_from_rollup(filters):
        # The rollup's rows are changes to add up (reports/rollups/trainers.py).
        counted = TrainerRollup.objects.values("trainer_id").annotate(total=Sum("people")).filter(total__gt=0)
        if filters.trainer_ids:
            counted = counted.filter(trainer_id__in=filters.trainer_ids)
        rows = {row["trainer_id"]: {TRAINER: row["trainer_id"], "people": row["total"]} for row in counted.order_by()}
    else:
        rows = {
            row[TRAINER]: row
            for row in participants(filters).values(TRAINER).annotate(people=Count("user", distinct=True)).order_by()
        }
    for row in (
        rollup_sums.rollups(filters)
        .values(TRAINER)
        .annotate(
            registrations=Sum("participants"),
            completed=Sum("completed"),
            answers=Sum("answers"),
            content_total=Sum("content_total"),
            trainer_total=Sum("trainer_total"),
            organisation_total=Sum("organisation_total"),
        )
        .order_by()
    ):
        answered = row["answers"] or 0
        rows.setdefault(row[TRAINER], {TRAINER: row[TRAINER], "people": 0}).update(
            registrations=row["registrations"] or 0,
            completed=row["completed"] or 0,
            answers=answered,
            **{name: row[f"{name}_total"] / answered if answered else None for name in SCORES},
        )
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
                "content": rounded(registrations_row.get("content")),
                "trainer_score": rounded(registrations_row.get("trainer")),
                "organisation": rounded(registrations_row.get("organisation")),
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
