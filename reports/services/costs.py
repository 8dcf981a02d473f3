"""Costs (issue 19.4): what the sessions cost, by budget line, per session, course and funding project,
and the cost per participant and per participant-hour.

* **Cost** of a session: the sum of its budget lines (`courses.SessionCost`, KGS). A session without any
  line has *no costs entered*: it is listed as such and left out of every total and ratio, never counted
  as costing nothing.
* **Participants** of a session: its participant registrations (reports/services/base.py: confirmed,
  completed ones included) once the session has been held, as the delivery report counts them.
* **Participant-hours**: participants × the course's academic hours (the delivery report's figure).
* **Cost per participant / per participant-hour**: over the sessions that have costs entered and have
  been held, total cost ÷ participants (÷ participant-hours). None where there is nothing to divide by.

Filters are the shared ones. The oblast/district filters choose the sessions that reached there, but
a session's cost pays for all of its participants, so participants are counted from everywhere.

Five queries whatever the number of sessions: sessions, cost sums per session and budget line,
participants per session (from the per-session rollup, reports.models.SessionRollup), course titles,
funding project names.
"""

from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.models import FundingProject
from courses.models import CostKind, SessionCost
from reports.models import SessionRollup

from .base import sessions, with_report_memory
from .labels import course_titles
from .structures import DATE, DECIMAL, INT, Column, Figure, Report, Table

CENT = Decimal("0.01")
KINDS = [kind for kind, _label in CostKind.choices]


def _ratio(amount, count):
    return (amount / count).quantize(CENT) if count else None


def _empty_group():
    return {
        "by_kind": dict.fromkeys(KINDS, Decimal(0)),
        "total": Decimal(0),
        "sessions": 0,
        "sessions_with_costs": 0,
        "participants": 0,
        "participant_hours": 0,
        # The cost of the held sessions with costs: what the participants and participant-hours divide.
        "held_total": Decimal(0),
    }


def _add(group, session):
    group["sessions"] += 1
    if session["total"] is None:
        return
    group["sessions_with_costs"] += 1
    group["total"] += session["total"]
    for kind, amount in session["by_kind"].items():
        group["by_kind"][kind] += amount
    if session["held"]:
        group["held_total"] += session["total"]
    group["participants"] += session["participants"]
    group["participant_hours"] += session["participant_hours"]


def _finish(group):
    group["sessions_without_costs"] = group["sessions"] - group["sessions_with_costs"]
    if not group["sessions_with_costs"]:
        group["total"] = None  # nothing entered: not zero
    held_total = group.pop("held_total")
    group["cost_per_participant"] = _ratio(held_total, group["participants"])
    group["cost_per_participant_hour"] = _ratio(held_total, group["participant_hours"])
    return group


def session_costs(filters, now=None):
    """[session dict] in start order: the cost lines and participants of each session the filters keep.

    Participants come from the per-session rollup (reports.models.SessionRollup: every participant of the
    session, wherever they come from, as the costs count them) for held sessions, 0 before then.
    """
    now = now or timezone.now()
    chosen = sessions(filters)
    session_rows = list(
        chosen.order_by("starts_at", "pk").values_list(
            "pk", "title", "starts_at", "ends_at", "course__translation_key", "course__hours", "funding_project_id"
        )
    )
    costs = {}
    for session_id, kind, amount in (
        SessionCost.objects.filter(session_id__in=chosen.values("pk"))
        .values("session_id", "kind")
        .annotate(amount=Sum("amount"))
        .order_by()
        .values_list("session_id", "kind", "amount")
    ):
        costs.setdefault(session_id, {})[kind] = amount
    counted = dict(
        SessionRollup.objects.filter(session_id__in=chosen.filter(ends_at__lte=now).values("pk")).values_list(
            "session_id", "participants"
        )
    )
    titles = course_titles({row[4] for row in session_rows}) if session_rows else {}
    projects = {
        project.pk: str(project) for project in FundingProject.objects.filter(pk__in={row[6] for row in session_rows})
    }
    zero = Decimal(0)
    here = timezone.get_current_timezone()  # once: looking it up costs more than the rest of a row
    rows = []
    for pk, title, starts_at, ends_at, course_key, hours, project_id in session_rows:
        lines = costs.get(pk)
        count = counted.get(pk, 0)
        total = sum(lines.values(), zero) if lines else None
        participant_hours = count * (hours or 0)
        rows.append(
            {
                "id": pk,
                "title": title or titles.get(course_key, ""),
                "course": titles.get(course_key, ""),
                "course_key": course_key,
                "funding_project_id": project_id,
                "funding_project": projects.get(project_id, ""),
                "starts_on": starts_at.astimezone(here).date(),
                "held": ends_at <= now,
                "by_kind": {kind: lines.get(kind, zero) for kind in KINDS} if lines else dict.fromkeys(KINDS, zero),
                "total": total,
                "participants": count,
                "participant_hours": participant_hours,
                "cost_per_participant": _ratio(total, count) if lines else None,
                "cost_per_participant_hour": _ratio(total, participant_hours) if lines else None,
            }
        )
    return rows


def totals_of(session_rows):
    """The totals and ratios of `session_costs` rows (see the module docstring)."""
    total = _empty_group()
    for session in session_rows:
        _add(total, session)
    return _finish(total)


@with_report_memory
def figures(filters, now=None):
    """Cost figures for the filters: totals, and rows per funding project, course and session.

    Amounts are Decimals in KGS (two places); a `total` of None means no costs entered.
    """
    rows = session_costs(filters, now)
    by_course, by_project = {}, {}
    for session in rows:
        course = by_course.setdefault(session["course_key"], {"course": session["course"], **_empty_group()})
        _add(course, session)
        funded = by_project.setdefault(
            session["funding_project_id"],
            {
                "funding_project_id": session["funding_project_id"],
                "funding_project": session["funding_project"],
                **_empty_group(),
            },
        )
        _add(funded, session)
    return {
        "currency": "KGS",
        "totals": totals_of(rows),
        "funding_projects": sorted(
            (_finish(group) for group in by_project.values()),
            key=lambda group: (group["funding_project_id"] is None, group["funding_project"]),
        ),
        "courses": sorted((_finish(group) for group in by_course.values()), key=lambda group: group["course"]),
        "sessions": rows,
    }


def _money(value):
    return None if value is None else float(value)


def _kind_columns():
    return [Column(kind, label, DECIMAL) for kind, label in CostKind.choices]


def _ratio_columns():
    return [
        Column("participants", _("Participants"), INT),
        Column("participant_hours", _("Participant-hours"), INT),
        Column("cost_per_participant", _("Cost per participant, KGS"), DECIMAL),
        Column("cost_per_participant_hour", _("Cost per participant-hour, KGS"), DECIMAL),
    ]


def _group_row(group, **extra):
    none_entered = group["total"] is None
    return {
        **extra,
        **{kind: None if none_entered else _money(amount) for kind, amount in group["by_kind"].items()},
        "total": _("no costs entered") if none_entered else _money(group["total"]),
        "sessions_with_costs": group["sessions_with_costs"],
        "sessions_without_costs": group["sessions_without_costs"],
        "participants": group["participants"],
        "participant_hours": group["participant_hours"],
        "cost_per_participant": _money(group["cost_per_participant"]),
        "cost_per_participant_hour": _money(group["cost_per_participant_hour"]),
    }


def _session_row(session):
    none_entered = session["total"] is None
    return {
        "starts_on": session["starts_on"],
        "session": session["title"],
        "course": session["course"],
        "funding_project": session["funding_project"] or _("no funding project"),
        **{kind: None if none_entered else _money(amount) for kind, amount in session["by_kind"].items()},
        "total": _("no costs entered") if none_entered else _money(session["total"]),
        "participants": session["participants"] if session["held"] else _("not held yet"),
        "participant_hours": session["participant_hours"] if session["held"] else None,
        "cost_per_participant": _money(session["cost_per_participant"]),
        "cost_per_participant_hour": _money(session["cost_per_participant_hour"]),
    }


def report(filters, now=None):
    """The costs report screen and its .xlsx/.csv exports."""
    data = figures(filters, now)
    totals = data["totals"]
    group_columns = [
        *_kind_columns(),
        Column("total", _("Total, KGS"), DECIMAL),
        Column("sessions_with_costs", _("Sessions with costs"), INT),
        Column("sessions_without_costs", _("Sessions without costs"), INT),
        *_ratio_columns(),
    ]
    return Report(
        key="costs",
        title=_("Costs"),
        figures=[
            Figure(
                "total",
                _("Total cost, KGS"),
                _money(totals["total"]) if totals["total"] is not None else _("no costs entered"),
                DECIMAL if totals["total"] is not None else "text",
                note=_("of the sessions with costs entered"),
            ),
            Figure("sessions_with_costs", _("Sessions with costs entered"), totals["sessions_with_costs"]),
            Figure(
                "sessions_without_costs",
                _("Sessions without costs entered"),
                totals["sessions_without_costs"],
                note=_("left out of the totals, not counted as zero"),
            ),
            Figure("participants", _("Participants"), totals["participants"], note=_("of held sessions with costs")),
            Figure("participant_hours", _("Participant-hours"), totals["participant_hours"]),
            Figure(
                "cost_per_participant", _("Cost per participant, KGS"), _money(totals["cost_per_participant"]), DECIMAL
            ),
            Figure(
                "cost_per_participant_hour",
                _("Cost per participant-hour, KGS"),
                _money(totals["cost_per_participant_hour"]),
                DECIMAL,
            ),
        ],
        tables=[
            Table(
                "funding_projects",
                _("By funding project"),
                [Column("funding_project", _("Funding project")), *group_columns],
                [
                    _group_row(group, funding_project=group["funding_project"] or _("no funding project"))
                    for group in data["funding_projects"]
                ],
            ),
            Table(
                "courses",
                _("By course"),
                [Column("course", _("Course")), *group_columns],
                [_group_row(group, course=group["course"]) for group in data["courses"]],
            ),
            Table(
                "sessions",
                _("By session"),
                [
                    Column("starts_on", _("Starts"), DATE),
                    Column("session", _("Session")),
                    Column("course", _("Course")),
                    Column("funding_project", _("Funding project")),
                    *_kind_columns(),
                    Column("total", _("Total, KGS"), DECIMAL),
                    *_ratio_columns(),
                ],
                [_session_row(session) for session in data["sessions"]],
            ),
        ],
        notes=[
            _('Amounts in KGS. A session without budget lines shows "no costs entered" and is left out of totals.'),
            _(
                "Participants: confirmed registrations of sessions held; participant-hours: participants × course hours."
            ),
        ],
    )
