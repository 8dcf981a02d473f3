"""Registration and answer sums read from the per-session rollups instead of every registration.

``reports.models.SessionRollup`` (kept by triggers, ``reports/rollups/sessions.py``) holds per session
the sums of its participant registrations and their answers. Every filter on sessions (period,
course, project, trainer) keeps or drops whole sessions, so any sum over participants under such
filters is a sum over the rows of the sessions kept: ``sessions(filters)`` decides, the rollups add
up. Where people come from (oblast, district) cuts inside sessions: those filters go to the rows
(``usable`` says no).

People add up over sessions only through the "first session" counts, and only when nothing cuts
the history they were counted over: ``new_in_course`` when no filter but the course is set,
``new_in_month`` when no filter is set at all (``people_by``).
"""

from dataclasses import fields

from django.db.models import F, Q, Sum
from django.db.models.functions import TruncMonth

from reports.models import SessionRollup

from .base import session_q


def usable(filters):
    """Whether the rollups answer for these filters: not when cut by where participants come from."""
    return not filters.by_place


def people_by(filters, key):
    """Whether people per `key` ("course" or "month") may be summed from the first-session counts."""
    allowed = {"course": {"course_key"}, "month": set()}[key]
    return all(getattr(filters, field.name) is None for field in fields(filters) if field.name not in allowed)


def _sums(now):
    held = Q(session__ends_at__lte=now)
    hours = F("session__course__hours")
    return {
        "registrations": Sum("participants"),
        "completed_all": Sum("completed"),
        "registrations_held": Sum("participants", filter=held),
        "participant_hours": Sum(hours * F("participants"), filter=held),
        "attended_hour_percents": Sum(hours * F("attendance_sum"), filter=held),
        "attendance_recorded": Sum("attendance_recorded", filter=held),
        "attendance_sum": Sum("attendance_sum", filter=held),
        "completed_held": Sum("completed", filter=held),
        "answers": Sum("answers"),
        "content_total": Sum("content_total"),
        "trainer_total": Sum("trainer_total"),
        "organisation_total": Sum("organisation_total"),
    }


def _renamed(row):
    """The names the callers know ("completed"; an annotation may not take a field's name)."""
    row["completed"] = row.pop("completed_all")
    return row


def rollups(filters, model=SessionRollup):
    """The rows of a per-session rollup (`SessionRollup`, `SurveyRollup`) of the sessions the filters keep."""
    return model.objects.filter(session_q(filters, "session__"))


def totals(filters, now):
    """{name: sum} over the participants the (session) filters keep, zeros for none."""
    return {name: value or 0 for name, value in _renamed(rollups(filters).aggregate(**_sums(now))).items()}


def by_course(filters, now):
    """{course translation key: sums, "people" (None when the first-session counts cannot say)}."""
    key = "session__course__translation_key"
    extra = {"people": Sum("new_in_course")} if people_by(filters, "course") else {}
    return {row[key]: _renamed(row) for row in rollups(filters).values(key).annotate(**_sums(now), **extra).order_by()}


def by_month(filters):
    """{month: registrations, completed, people} (people only when ``people_by(filters, "month")``)."""
    extra = {"people": Sum("new_in_month")} if people_by(filters, "month") else {}
    return {
        row["month"]: _renamed(row)
        for row in rollups(filters)
        .annotate(month=TruncMonth("session__starts_at"))
        .values("month")
        .annotate(registrations=Sum("participants"), completed_all=Sum("completed"), **extra)
        .order_by()
    }
