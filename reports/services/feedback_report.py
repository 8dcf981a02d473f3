"""Feedback: scores per session, course and trainer, and what participants wrote (never who wrote it)."""

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.models import User
from reports.models import SCORE_FIELDS, Feedback

from .base import participant_q, participants, percent, rounded, with_report_memory
from .labels import course_titles, person_name, session_label
from .structures import DATE, DECIMAL, INT, PERCENT, Chart, Column, Figure, LazyRows, Report, Table

REGISTRATION = "registration__"
SESSION = "registration__session__"
#: The screen shows the latest comments; the export carries all of them.
COMMENT_ROWS = 100


def answers(filters):
    """Feedback answers of participant registrations matching the filters."""
    return Feedback.objects.filter(participant_q(filters, REGISTRATION))


def _averages():
    return {
        "answers": Count("pk"),
        "content": Avg("content_score"),
        "trainer": Avg("trainer_score"),
        "organisation": Avg("organisation_score"),
    }


def _scores(row):
    return {name: rounded(row.get(name)) for name in ("content", "trainer", "organisation")}


#: Per-registration sums the headline scores are made of (see `figures_from_sums`).
ANSWER_SUMS = {
    "answers": Count("feedback"),
    "content_total": Sum("feedback__content_score"),
    "trainer_total": Sum("feedback__trainer_score"),
    "organisation_total": Sum("feedback__organisation_score"),
}


def figures_from_sums(sums, expected):
    """Answers, average scores and response rate from the `ANSWER_SUMS` of participant registrations."""
    answered = sums["answers"]
    return {
        "answers": answered,
        **{
            name: rounded(sums[f"{name}_total"] / answered) if answered else None
            for name in ("content", "trainer", "organisation")
        },
        "expected": expected,
        "response_rate": percent(answered, expected),
    }


@with_report_memory
def totals(filters, now=None):
    now = now or timezone.now()
    distribution = {
        f"{field}_{score}": Count("pk", filter=Q(**{field: score})) for field in SCORE_FIELDS for score in range(1, 6)
    }
    figures = answers(filters).aggregate(**_averages(), **distribution)
    expected = participants(filters).filter(session__ends_at__lte=now).count()
    figures.update(_scores(figures))
    figures["expected"] = expected
    figures["response_rate"] = percent(figures["answers"], expected)
    return figures


def by_session(filters):
    rows = (
        answers(filters)
        .values(
            f"{REGISTRATION}session",
            f"{SESSION}title",
            f"{SESSION}starts_at",
            f"{SESSION}course__translation_key",
        )
        .annotate(**_averages())
        .order_by(f"-{SESSION}starts_at", f"{REGISTRATION}session")
    )
    rows = list(rows)
    titles = course_titles({row[f"{SESSION}course__translation_key"] for row in rows})
    return [
        {
            "session_id": row[f"{REGISTRATION}session"],
            "session": session_label(
                row[f"{SESSION}title"], titles.get(row[f"{SESSION}course__translation_key"]), row[f"{SESSION}starts_at"]
            ),
            "course_key": row[f"{SESSION}course__translation_key"],
            "answers": row["answers"],
            **_scores(row),
        }
        for row in rows
    ], titles


def by_course(session_rows, titles):
    """Courses from the per-session rows: weighted by answers, so no extra query."""
    courses = {}
    for row in session_rows:
        course = courses.setdefault(
            row["course_key"],
            {
                "course": titles.get(row["course_key"], ""),
                "sessions": 0,
                "answers": 0,
                "sums": dict.fromkeys(("content", "trainer", "organisation"), 0),
            },
        )
        course["sessions"] += 1
        course["answers"] += row["answers"]
        for name in course["sums"]:
            course["sums"][name] += (row[name] or 0) * row["answers"]
    rows = []
    for course in courses.values():
        scores = {
            name: rounded(total / course["answers"]) if course["answers"] else None
            for name, total in course["sums"].items()
        }
        rows.append(
            {"course": course["course"], "sessions": course["sessions"], "answers": course["answers"], **scores}
        )
    return sorted(rows, key=lambda row: (-row["answers"], row["course"]))


def by_trainer(filters):
    trainer = f"{SESSION}trainers"
    rows = [row for row in answers(filters).values(trainer).annotate(**_averages()).order_by() if row[trainer]]
    wanted = filters.trainer_ids
    if wanted:
        rows = [row for row in rows if row[trainer] in wanted]
    names = {
        row["pk"]: person_name(row["profile__full_name"], row["first_name"], row["last_name"], row["pk"])
        for row in User.objects.filter(pk__in=[row[trainer] for row in rows]).values(
            "pk", "profile__full_name", "first_name", "last_name"
        )
    }
    result = [{"trainer": names.get(row[trainer], ""), "answers": row["answers"], **_scores(row)} for row in rows]
    return sorted(result, key=lambda row: row["trainer"])


def comments(filters, session_names):
    """What participants wrote, newest first: read in full only by exports (see `LazyRows`)."""
    rows = (
        answers(filters)
        .exclude(most_useful="", comments="")
        .values(
            f"{REGISTRATION}session",
            "submitted_at",
            "content_score",
            "trainer_score",
            "organisation_score",
            "most_useful",
            "comments",
        )
        .order_by("-submitted_at", "-pk")
    )
    zone = timezone.get_current_timezone()

    def convert(rows):
        return [
            {
                "session": session_names.get(row[f"{REGISTRATION}session"], ""),
                "submitted": row["submitted_at"].astimezone(zone).date(),
                "content": row["content_score"],
                "trainer": row["trainer_score"],
                "organisation": row["organisation_score"],
                "most_useful": row["most_useful"],
                "comments": row["comments"],
            }
            for row in rows
        ]

    return LazyRows(rows, convert)


def _score_columns():
    return [
        Column("answers", _("Answers"), INT),
        Column("content", _("Content"), DECIMAL),
        Column("trainer", _("Trainer"), DECIMAL),
        Column("organisation", _("Organisation"), DECIMAL),
    ]


def headline_figures(figures):
    return [
        Figure("answers", _("Feedback answers"), figures["answers"]),
        Figure(
            "response_rate",
            _("Response rate"),
            figures["response_rate"],
            PERCENT,
            note=_("of participants of sessions held"),
        ),
        Figure("content", _("Content score"), figures["content"], DECIMAL, note=_("average, 1 to 5")),
        Figure("trainer", _("Trainer score"), figures["trainer"], DECIMAL, note=_("average, 1 to 5")),
        Figure("organisation", _("Organisation score"), figures["organisation"], DECIMAL, note=_("average, 1 to 5")),
    ]


@with_report_memory
def report(filters, now=None):
    figures = totals(filters, now)
    sessions, titles = by_session(filters)
    session_names = {row["session_id"]: row["session"] for row in sessions}
    labels = {"content_score": _("Content"), "trainer_score": _("Trainer"), "organisation_score": _("Organisation")}
    distribution = [
        {"score": score, **{field: figures[f"{field}_{score}"] for field in SCORE_FIELDS}} for score in range(5, 0, -1)
    ]
    return Report(
        key="feedback",
        title=_("Feedback"),
        figures=headline_figures(figures),
        tables=[
            Table(
                "distribution",
                _("Answers by score"),
                [Column("score", _("Score"), INT), *[Column(field, labels[field], INT) for field in SCORE_FIELDS]],
                distribution,
            ),
            Table("sessions", _("By session"), [Column("session", _("Session")), *_score_columns()], sessions),
            Table(
                "courses",
                _("By course"),
                [Column("course", _("Course")), Column("sessions", _("Sessions"), INT), *_score_columns()],
                by_course(sessions, titles),
            ),
            Table(
                "trainers", _("By trainer"), [Column("trainer", _("Trainer")), *_score_columns()], by_trainer(filters)
            ),
            Table(
                "comments",
                _("What participants wrote"),
                [
                    Column("session", _("Session")),
                    Column("submitted", _("Date"), DATE),
                    Column("content", _("Content"), INT),
                    Column("trainer", _("Trainer"), INT),
                    Column("organisation", _("Organisation"), INT),
                    Column("most_useful", _("Most useful")),
                    Column("comments", _("Comments")),
                ],
                comments(filters, session_names),
                display_limit=COMMENT_ROWS,
            ),
        ],
        charts=[
            Chart(
                "scores",
                _("Average scores (1–5)"),
                "bar",
                [
                    (_("Content"), figures["content"] or 0),
                    (_("Trainer"), figures["trainer"] or 0),
                    (_("Organisation"), figures["organisation"] or 0),
                ],
                max_value=5,
            ),
        ],
        notes=[_("Answers are anonymous in reports: names are never shown next to scores or comments.")],
    )
