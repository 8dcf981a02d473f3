"""The feedback report's part on the academy's own survey questions: per question the answers, the average
rating and how often each option was chosen, and what participants wrote (never who)."""

from types import SimpleNamespace

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import QuestionKind, SurveyAnswer, SurveyQuestion, SurveyRollup
from reports.models.surveys import LANGUAGES, in_language
from reports.rollups.surveys import QUESTION

from .. import session_sums
from ..base import participant_q, rounded
from ..labels import session_labels
from ..structures import DATE, DECIMAL, INT, Column, LazyRows, Table

FEEDBACK = "feedback__registration__"
QUESTION_TEXTS = [f"question__text_{code}" for code in LANGUAGES]
#: The screen shows the latest texts; the export carries all of them.
TEXT_ROWS = 100


def _answers(filters):
    return SurveyAnswer.objects.filter(participant_q(filters, FEEDBACK))


def _tally(filters):
    """{question id: {"answers": n, "total": sum of ratings, "options": {index: n}}}: one grouped query, of
    the per-session tallies unless an oblast or district cuts inside sessions (then of the answers)."""
    if not session_sums.usable(filters):
        return _tally_answers(filters)
    tally = {}
    grouped = (
        session_sums.rollups(filters, SurveyRollup)
        .values("question_id", "option")
        .annotate(count=Sum("answers"), total=Sum("total"))
        .order_by()
        .values_list("question_id", "option", "count", "total")
    )
    for question_id, option, count, total in grouped:
        row = tally.setdefault(question_id, {"answers": 0, "total": 0, "options": {}})
        if option == QUESTION:
            row["answers"], row["total"] = count, total
        else:
            row["options"][option] = count
    return tally


def _tally_answers(filters):
    tally = {}
    grouped = (
        _answers(filters)
        .values("question_id", "number", "chosen")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("question_id", "number", "chosen", "count")
    )
    for question_id, number, chosen, count in grouped:
        row = tally.setdefault(question_id, {"answers": 0, "total": 0, "options": {}})
        row["answers"] += count
        row["total"] += (number or 0) * count
        for index in chosen or ([number] if number is not None else []):
            row["options"][index] = row["options"].get(index, 0) + count
    return tally


def _distribution(question, options):
    if question.kind == QuestionKind.RATING:
        return " · ".join(f"{score}: {options.get(score, 0)}" for score in range(5, 0, -1))
    if question.kind == QuestionKind.TEXT:
        return ""
    labels = question.options()
    return " · ".join(f"{label}: {options.get(index, 0)}" for index, label in enumerate(labels))


def question_rows(filters):
    """One row per question of the academy's own that has answers in the filters' scope (three queries)."""
    tally = _tally(filters)
    questions = SurveyQuestion.objects.filter(pk__in=list(tally)).select_related("survey")
    rows = []
    for question in sorted(questions, key=lambda q: (q.survey_id, q.sort_order or 0, q.pk)):
        sums = tally[question.pk]
        rows.append(
            {
                "question": question.text + ("" if question.is_active else " " + _("(switched off)")),
                "survey": question.survey.title,
                "kind": question.get_kind_display(),
                "answers": sums["answers"],
                "average": rounded(sums["total"] / sums["answers"])
                if question.kind == QuestionKind.RATING and sums["answers"]
                else None,
                "distribution": _distribution(question, sums["options"]),
            }
        )
    return rows


def text_rows(filters):
    """What participants wrote to the academy's own text questions, newest first (read lazily)."""
    rows = (
        _answers(filters)
        .filter(question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .values(f"{FEEDBACK}session", "feedback__submitted_at", "text", *QUESTION_TEXTS)
        .order_by("-feedback__submitted_at", "-pk")
    )
    zone = timezone.get_current_timezone()

    def convert(rows):
        labels = session_labels({row[f"{FEEDBACK}session"] for row in rows})
        return [
            {
                "session": labels.get(row[f"{FEEDBACK}session"], ""),
                "submitted": row["feedback__submitted_at"].astimezone(zone).date(),
                "question": in_language(
                    SimpleNamespace(**{f"text_{code}": row[f"question__text_{code}"] for code in LANGUAGES}), "text"
                ),
                "text": row["text"],
            }
            for row in rows
        ]

    return LazyRows(rows, convert, count=_written(filters))


def _written(filters):
    """How many written answers there are (from the tallies), or None: count the rows."""
    if not session_sums.usable(filters):
        return None
    summed = (
        session_sums.rollups(filters, SurveyRollup)
        .filter(option=QUESTION, question__kind=QuestionKind.TEXT)
        .aggregate(n=Sum("written"))
    )
    return summed["n"] or 0


def tables(filters):
    return [
        Table(
            "questions",
            _("The academy's own questions"),
            [
                Column("question", _("Question")),
                Column("survey", _("Survey")),
                Column("kind", _("Kind")),
                Column("answers", _("Answers"), INT),
                Column("average", _("Average (1–5)"), DECIMAL),
                Column("distribution", _("Answers by option")),
            ],
            question_rows(filters),
        ),
        Table(
            "question_texts",
            _("Written answers to the academy's own questions"),
            [
                Column("session", _("Session")),
                Column("submitted", _("Date"), DATE),
                Column("question", _("Question")),
                Column("text", _("Answer")),
            ],
            text_rows(filters),
            display_limit=TEXT_ROWS,
        ),
    ]
