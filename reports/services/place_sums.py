"""The delivery report's sums under an oblast or district filter, in one pass over the participants.

Where people come from cuts inside sessions, so the per-session rollups cannot answer (session_sums.usable)
and the participant rows must be read: at the target scale one oblast is some 65,000 registrations found
through their people's profiles, about 200 ms a reading. The delivery report needs them three ways (per
course and per month, each with people counted once, and the sessions they were in); on PostgreSQL one
statement groups them all at once with GROUPING SETS instead of reading them three times. Other databases
keep the three queries of reports.services.delivery, which give the same figures (tests/reports/test_reference.py
runs on both).
"""

from datetime import datetime

from django.db import connections
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .base import participants

#: Per month: the names of delivery._month_registration_rows.
MONTH_SUMS = ("registrations", "people", "completed")


def supported(filters):
    return filters.by_place and connections[participants(filters).db].vendor == "postgresql"


def delivery_rows(filters, now):
    """(session rows as delivery._session_rows gives them, {course key: sums}, {month: sums}) for `filters`."""
    rows = (
        participants(filters)
        .annotate(month=TruncMonth("session__starts_at"))
        .order_by()
        .values_list(
            "user_id",
            "session_id",
            "completed_at",
            "attendance_percent",
            "month",
            "session__ends_at",
            "session__course__translation_key",
            "session__course__hours",
        )
    )
    inner, params = rows.query.sql_with_params()
    held = "p.ends_at <= %s"
    attended = f"{held} AND p.attendance_percent IS NOT NULL"
    select = (
        "SELECT GROUPING(p.course_key, p.month, p.session_id), p.course_key, p.month, p.session_id, "
        "COUNT(*), COUNT(DISTINCT p.user_id), "
        f"COUNT(*) FILTER (WHERE {held}), SUM(p.hours) FILTER (WHERE {held}), "
        f"SUM(p.hours * p.attendance_percent) FILTER (WHERE {attended}), COUNT(*) FILTER (WHERE {attended}), "
        f"SUM(p.attendance_percent) FILTER (WHERE {attended}), "
        f"COUNT(*) FILTER (WHERE {held} AND p.completed_at IS NOT NULL), COUNT(p.completed_at), "
        f"MIN(p.month), bool_and({held}), MIN(p.hours) "
    )
    sql = (
        f"{select} FROM ({inner}) AS p (user_id, session_id, completed_at, attendance_percent, month, ends_at, course_key, "
        "hours) GROUP BY GROUPING SETS ((p.course_key), (p.month), (p.course_key, p.session_id))"
    )
    connection = connections[rows.db]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*([now] * select.count("%s")), *params])  # the FILTERs' "held" come first
        fetched = cursor.fetchall()

    from .delivery import REGISTRATION_SUMS  # delivery imports this module

    course_sums = ("registrations", "people", *REGISTRATION_SUMS)  # delivery._course_registration_rows' names
    by_course, by_month, sessions = {}, {}, {}
    aware = _month_keys()
    # GROUPING(course, month, session) has a bit set for each column the row is *not* grouped by:
    # 0b011 per course, 0b101 per month, 0b010 per session (with its course).
    for grouping, course_key, month_start, session_id, *sums in fetched:
        registrations, people, reg_held, hours_held, hour_percents, recorded, attendance, completed_held = sums[:8]
        completed, session_month, session_held, hours = sums[8:]
        if grouping == 0b011:
            by_course[course_key] = dict(
                zip(
                    course_sums,
                    (registrations, people, reg_held, hours_held, hour_percents, recorded, attendance, completed_held),
                    strict=True,
                )
            )
        elif grouping == 0b101:
            by_month[aware(month_start)] = dict(zip(MONTH_SUMS, (registrations, people, completed), strict=True))
        elif grouping == 0b010:
            sessions[session_id] = (course_key, aware(session_month), session_held, hours)
    return _session_rows(sessions), by_course, by_month


def _month_keys():
    """A function giving the naive local month start PostgreSQL returns as the aware datetime TruncMonth would
    (the report's keys), each month converted once: thousands of sessions share a few dozen months."""
    zone, known = timezone.get_current_timezone(), {}

    def aware(month_start):
        if month_start not in known:
            naive = isinstance(month_start, datetime) and timezone.is_naive(month_start)
            known[month_start] = timezone.make_aware(month_start, zone) if naive else month_start
        return known[month_start]

    return aware


def _session_rows(sessions):
    """Sessions per (course, month): delivery._session_rows' rows, from the sessions the participants were in."""
    grouped = {}
    for course_key, month_start, held, hours in sessions.values():
        row = grouped.setdefault(
            (course_key, month_start), {"sessions": 0, "held": 0, "academic_hours": None, "scheduled_hours": None}
        )
        row["sessions"] += 1
        if hours is not None:
            row["scheduled_hours"] = (row["scheduled_hours"] or 0) + hours
        if held:
            row["held"] += 1
            if hours is not None:
                row["academic_hours"] = (row["academic_hours"] or 0) + hours
    return [
        {"course__translation_key": course_key, "month": month_start, **sums}
        for (course_key, month_start), sums in grouped.items()
    ]
