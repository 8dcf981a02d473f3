"""Feedback: scores per session, course and trainer, and what participants wrote (never who wrote it)."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.models import User
from courses.models import CoursePage, Session
from reports.models import SCORE_FIELDS, Feedback

from . import session_sums
from .base import fetch_rows, participant_q, participants, percent, rounded, session_q, with_report_memory
from .labels import course_titles, person_name, session_label, session_labels
from .structures import DATE, DECIMAL, INT, PERCENT, Chart, Column, Figure, LazyRows, Report, Table
from .surveys import report as survey_report

REGISTRATION = "registration__"
SESSION = "registration__session__"
#: The screen shows the latest comments and sessions; the export carries all of them.
COMMENT_ROWS = 100
SESSION_ROWS = 100


def answers(filters):
    """Feedback answers of participant registrations matching the filters."""
    return Feedback.objects.filter(participant_q(filters, REGISTRATION))


SCORES = ("content", "trainer", "organisation")
#: Per-registration sums the headline scores are made of (see `figures_from_sums`).
ANSWER_SUMS = {
    "answers": Count("feedback"),
    "content_total": Sum("feedback__content_score"),
    "trainer_total": Sum("feedback__trainer_score"),
    "organisation_total": Sum("feedback__organisation_score"),
}
#: The same sums over Feedback rows.
_FEEDBACK_SUMS = {
    "answers": Count("pk"),
    "content_total": Sum("content_score"),
    "trainer_total": Sum("trainer_score"),
    "organisation_total": Sum("organisation_score"),
}


def _averages(sums):
    """Average scores from summed scores: exact, and they add up over sessions, courses, trainers."""
    answered = sums.get("answers") or 0
    return {name: rounded(sums[f"{name}_total"] / answered) if answered else None for name in SCORES}


def _add(total, row):
    for name in _FEEDBACK_SUMS:
        total[name] = total.get(name, 0) + (row.get(name) or 0)
    return total


def figures_from_sums(sums, expected):
    """Answers, average scores and response rate from the `ANSWER_SUMS` of participant registrations."""
    answered = sums["answers"]
    return {"answers": answered, **_averages(sums), "expected": expected, "response_rate": percent(answered, expected)}


#: Answers per score of each question ("content_score_5": how many gave content a 5).
_DISTRIBUTION = {
    f"{field}_{score}": Count("pk", filter=Q(**{field: score})) for field in SCORE_FIELDS for score in range(1, 6)
}
_ROLLUP_SUMS = ("answers", *(f"{name}_total" for name in SCORES))


@dataclass
class _Parts:
    """What the report is made of, from the rollups or from the rows (see `report`)."""

    figures: dict  # figures_from_sums() and the distribution
    sessions: Sequence  # rows of the "By session" table, newest first
    courses: list
    trainers: list
    written: int | None  # answers with comments: the comments table's length (None: count them)


# --- from the per-session rollups (every filter but where participants come from) --------------------


def _rollup_figures(filters, now):
    """(the headline figures and the distribution, the answers with comments): one aggregate of the rollups."""
    sums = session_sums.rollups(filters).aggregate(
        **{name: Sum(name) for name in (*_ROLLUP_SUMS, *_DISTRIBUTION, "written")},
        expected=Sum("participants", filter=Q(session__ends_at__lte=now)),
    )
    sums = {name: value or 0 for name, value in sums.items()}
    figures = {**{name: sums[name] for name in _DISTRIBUTION}, **figures_from_sums(sums, sums["expected"])}
    return figures, sums["written"]


def _from_rollups(filters, now):
    answered = session_sums.rollups(filters).filter(answers__gt=0)
    figures, written = _rollup_figures(filters, now)
    return _Parts(
        figures=figures,
        sessions=_rollup_sessions(answered),
        courses=_rollup_courses(answered),
        trainers=_rollup_trainers(answered, filters.trainer_ids),
        written=written,
    )


def _rollup_sessions(answered):
    """The sessions with answers, read as far as the screen or the export goes."""
    rows = answered.values(
        "session_id", "session__title", "session__starts_at", "session__course__translation_key", *_ROLLUP_SUMS
    ).order_by("-session__starts_at", "session_id")

    def convert(rows):
        titles = course_titles({row["session__course__translation_key"] for row in rows})
        return [
            _session_row(
                row["session_id"],
                session_label(
                    row["session__title"],
                    titles.get(row["session__course__translation_key"]),
                    row["session__starts_at"],
                ),
                row["session__course__translation_key"],
                row,
            )
            for row in rows
        ]

    return LazyRows(rows, convert)


def _summed(queryset, key):
    """Rows of `queryset` grouped by `key`, with the sessions and the answer sums."""
    return queryset.values(key).annotate(sessions=Count("pk"), **{name: Sum(name) for name in _ROLLUP_SUMS}).order_by()


def _rollup_courses(answered):
    key = "session__course__translation_key"
    rows = list(_summed(answered, key))
    titles = course_titles({row[key] for row in rows})
    return _course_rows({row[key]: row for row in rows}, titles)


def _rollup_trainers(answered, wanted):
    """Each session's answers count for every trainer of the session (one grouped query)."""
    by_trainer = answered.annotate(trainer=F("session__trainers")).filter(trainer__isnull=False)
    if wanted:
        by_trainer = by_trainer.filter(trainer__in=wanted)
    return _trainer_rows({row["trainer"]: row for row in _summed(by_trainer, "trainer")})


@with_report_memory
def totals(filters, now=None):
    """The headline figures and the answers by score (without the tables' queries)."""
    now = now or timezone.now()
    if session_sums.usable(filters):
        return _rollup_figures(filters, now)[0]
    return _row_figures(filters, now, _session_sums(filters))


# --- from the rows (an oblast or district cuts inside sessions) ----------------------------------------


def _session_sums(filters):
    """({session id: answers and score sums}, {"content_score_5": answers, ...} over all sessions).

    One query grouped by session id; rows come back as tuples (thousands of sessions).
    """
    names = [*_FEEDBACK_SUMS, *_DISTRIBUTION]
    sessions = {}
    distribution = dict.fromkeys(_DISTRIBUTION, 0)
    rows = (
        answers(filters)
        .values(f"{REGISTRATION}session")
        .annotate(**_FEEDBACK_SUMS, **_DISTRIBUTION)
        .order_by()
        .values_list(f"{REGISTRATION}session", *names)
    )
    for session_id, *values in fetch_rows(rows):
        sessions[session_id] = dict(zip(_FEEDBACK_SUMS, values[: len(_FEEDBACK_SUMS)], strict=True))
        for name, value in zip(_DISTRIBUTION, values[len(_FEEDBACK_SUMS) :], strict=True):
            distribution[name] += value
    return sessions, distribution


def _row_figures(filters, now, summed):
    """The headline figures and the distribution from `_session_sums`, and the participants of held sessions."""
    per_session, distribution = summed
    sums = dict.fromkeys(_FEEDBACK_SUMS, 0)
    for row in per_session.values():
        _add(sums, row)
    expected = participants(filters).filter(session__ends_at__lte=now).count()
    return {**distribution, **figures_from_sums(sums, expected)}


def _from_rows(filters, now):
    session_sums_, distribution = _session_sums(filters)
    figures = _row_figures(filters, now, (session_sums_, distribution))
    sessions, titles = by_session(filters, (session_sums_, distribution))
    courses = {}
    for row in sessions:
        course = courses.setdefault(row["course_key"], {"sessions": 0})
        course["sessions"] += 1
        _add(course, row["sums"])
    return _Parts(
        figures=figures,
        sessions=sessions,
        courses=_course_rows(courses, titles),
        trainers=by_trainer(filters, (session_sums_, distribution)),
        written=None,
    )


def by_session(filters, session_sums=None):
    """Rows per session with answers, newest first, and the course titles (from the rows)."""
    session_sums = (session_sums or _session_sums(filters))[0]
    # The sessions the filters allow (a few thousand rows at most, no list of ids sent back); the
    # course as its page id, its translation key looked up once per course.
    sessions = [
        session
        for session in Session.objects.filter(session_q(filters))
        .annotate(day=TruncDate("starts_at"))
        .values_list("pk", "title", "day", "course_id")
        .order_by("-starts_at", "pk")
        if session[0] in session_sums
    ]
    keys = dict(
        CoursePage.objects.filter(pk__in={course_id for *_rest, course_id in sessions}).values_list(
            "pk", "translation_key"
        )
    )
    titles = course_titles(set(keys.values()))
    rows = []
    for pk, title, day, course_id in sessions:
        course_key = keys.get(course_id)
        rows.append(_session_row(pk, session_label(title, titles.get(course_key), day), course_key, session_sums[pk]))
    return rows, titles


def by_trainer(filters, session_sums=None):
    """Trainers from the per-session sums and the sessions' trainers (each answer counts for every
    trainer of its session)."""
    session_sums = (session_sums or _session_sums(filters))[0]
    links = Session.trainers.through.objects.filter(session__in=Session.objects.filter(session_q(filters)))
    wanted = filters.trainer_ids
    if wanted:
        links = links.filter(user_id__in=wanted)
    trainers = {}
    for session_id, trainer_id in links.values_list("session_id", "user_id"):
        if session_id in session_sums:
            _add(trainers.setdefault(trainer_id, {}), session_sums[session_id])
    return _trainer_rows(trainers)


# --- rows of the tables ---------------------------------------------------------------------------------


def _session_row(session_id, label, course_key, sums):
    sums = {name: sums[name] for name in _FEEDBACK_SUMS}
    return {
        "session_id": session_id,
        "session": label,
        "course_key": course_key,
        "answers": sums["answers"],
        **_averages(sums),
        "sums": sums,
    }


def _course_rows(courses, titles):
    """{course key: "sessions" and answer sums} as the "By course" rows, most answered first."""
    rows = [
        {"course": titles.get(key, ""), "sessions": sums["sessions"], "answers": sums["answers"], **_averages(sums)}
        for key, sums in courses.items()
    ]
    return sorted(rows, key=lambda row: (-row["answers"], row["course"]))


def _trainer_rows(trainers):
    """{trainer id: answer sums} as the "By trainer" rows, by name."""
    names = {
        row["pk"]: person_name(row["profile__full_name"], row["first_name"], row["last_name"], row["pk"])
        for row in User.objects.filter(pk__in=list(trainers)).values(
            "pk", "profile__full_name", "first_name", "last_name"
        )
    }
    result = [
        # "name": the "trainer" key is the trainer's average score, as in the other tables.
        {"name": names.get(trainer_id, ""), "answers": sums["answers"], **_averages(sums)}
        for trainer_id, sums in trainers.items()
    ]
    return sorted(result, key=lambda row: row["name"])


def comments(filters, written=None):
    """What participants wrote, newest first: read in full only by exports (see `LazyRows`); `written`: how
    many there are, when already known."""
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
        labels = session_labels({row[f"{REGISTRATION}session"] for row in rows})
        return [
            {
                "session": labels.get(row[f"{REGISTRATION}session"], ""),
                "submitted": row["submitted_at"].astimezone(zone).date(),
                "content": row["content_score"],
                "trainer": row["trainer_score"],
                "organisation": row["organisation_score"],
                "most_useful": row["most_useful"],
                "comments": row["comments"],
            }
            for row in rows
        ]

    return LazyRows(rows, convert, count=written)


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
    """The feedback report: from the per-session rollups unless an oblast or district filter cuts inside
    sessions, then from the answers themselves (the same figures: tests/reports/test_reference.py)."""
    now = now or timezone.now()
    parts = (_from_rollups if session_sums.usable(filters) else _from_rows)(filters, now)
    figures = parts.figures
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
            Table(
                "sessions",
                _("By session"),
                [Column("session", _("Session")), *_score_columns()],
                parts.sessions,
                display_limit=SESSION_ROWS,
            ),
            Table(
                "courses",
                _("By course"),
                [Column("course", _("Course")), Column("sessions", _("Sessions"), INT), *_score_columns()],
                parts.courses,
            ),
            Table(
                "trainers",
                _("By trainer"),
                [Column("name", _("Trainer")), *_score_columns()],
                parts.trainers,
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
                comments(filters, parts.written),
                display_limit=COMMENT_ROWS,
            ),
            *survey_report.tables(filters),
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
