"""The donor outcome report (issue 19.5): for one funding project and a period, the four Kirkpatrick levels
and what it cost, for the whole project and per session.

* **Sessions**: the project's reportable sessions (neither draft nor cancelled) *starting* in the period
  (both ends optional), as every report counts them (reports/services/base.py).
* **Reach**: people trained (each once), women (% of those whose gender is given), municipalities, districts
  and oblasts they come from (as the reach report counts them), sessions held, participant-hours
  (participants of held sessions × the course's hours, as the delivery report counts them).
* **Satisfaction** (level 1): feedback answers, response rate (of participants of held sessions), the average
  score per dimension (content, trainer, organisation; 1 to 5) and their average (every score given, equally
  weighted), from the feedback report's per-session sums.
* **Learning** (level 2): participants who took the session's pre-test, its post-test, both; over those with
  both, the average pre and post score (%), the average gain in percentage points and in points (questions
  answered right), and the share who scored higher after (learning.py).
* **Behaviour and results** (levels 3–4): the session's action-plan items by their latest reported status;
  the share done is of all items.
* **Cost**: as the costs report counts it (reports/services/costs.py): total of the sessions with costs
  entered, and per participant and participant-hour over the held ones.

A fixed number of queries whatever the number of sessions and registrations (about fifteen).
"""

from django.db.models import Count
from django.utils import timezone

from academy.models import FundingProject, Gender
from courses.models import ActionPlanItem, ActionPlanStatus

from .. import costs, feedback_report, session_sums
from ..base import percent, rounded, sessions, with_report_memory
from ..people import group_people, total
from ..reach import places_of, totals_from
from . import learning

SCORES = feedback_report.SCORES
ACTION_STATUSES = [status for status, _label in ActionPlanStatus.choices]


def _action_sums(filters):
    """{session id: {status: items}} for the sessions of the report: one grouped query."""
    counted = {}
    for row in (
        ActionPlanItem.objects.filter(session__in=sessions(filters).values("pk"))
        .values("session_id", "status")
        .annotate(items=Count("pk"))
        .order_by()
    ):
        counted.setdefault(row["session_id"], {})[row["status"]] = row["items"]
    return counted


def _answer_sums(filters):
    """{session id: feedback answers and score sums} from the per-session rollup when it can answer for
    the filters, else from the answers themselves."""
    if not session_sums.usable(filters):
        rows, _titles = feedback_report.by_session(filters)
        return {row["session_id"]: row["sums"] for row in rows}
    names = ("answers", *(f"{name}_total" for name in SCORES))
    return {
        session_id: dict(zip(names, values, strict=True))
        for session_id, *values in session_sums.rollups(filters).filter(answers__gt=0).values_list("session_id", *names)
    }


def _action_figures(by_status):
    items = sum(by_status.values())
    done = by_status.get(ActionPlanStatus.DONE, 0)
    return {
        "items": items,
        **{status: by_status.get(status, 0) for status in ACTION_STATUSES},
        "done_share": percent(done, items),
    }


def _satisfaction(sums, expected):
    answered = sums.get("answers", 0)
    figures = {"answers": answered, "response_rate": percent(answered, expected)}
    for name in SCORES:
        figures[name] = rounded(sums.get(f"{name}_total", 0) / answered) if answered else None
    every_score = sum(sums.get(f"{name}_total", 0) for name in SCORES)
    figures["average"] = rounded(every_score / (len(SCORES) * answered)) if answered else None
    return figures


def _reach(filters, session_rows):
    rows = group_people(filters, ["municipality_id", "gender"])
    places = totals_from(rows, places_of(rows))
    women, men = total(rows, gender=Gender.FEMALE), total(rows, gender=Gender.MALE)
    return {
        "people": total(rows),
        "registrations": total(rows, "registrations"),
        "women": women,
        "men": men,
        "women_share": percent(women, women + men),
        "municipalities": places["municipalities"],
        "districts": places["districts"],
        "regions": places["regions"],
        "sessions": len(session_rows),
        "sessions_held": sum(1 for row in session_rows if row["held"]),
        "participants_held": sum(row["participants"] for row in session_rows if row["held"]),
        "participant_hours": sum(row["participant_hours"] for row in session_rows if row["held"]),
    }


def _cost(totals):
    return {
        "total": totals["total"],
        "sessions_with_costs": totals["sessions_with_costs"],
        "sessions_without_costs": totals["sessions_without_costs"],
        "participants": totals["participants"],
        "participant_hours": totals["participant_hours"],
        "per_participant": totals["cost_per_participant"],
        "per_participant_hour": totals["cost_per_participant_hour"],
    }


@with_report_memory
def figures(filters, now=None):
    """Every figure of the outcome report for `filters` (a ReportFilters with `funding_project_id` set and
    optionally the period), as a dict: the project, the five levels and one row per session."""
    if not filters.funding_project_id:
        raise ValueError("The outcome report is for one funding project.")
    now = now or timezone.now()
    project = FundingProject.objects.filter(pk=filters.funding_project_id).first()
    spent = costs.session_costs(filters, now)
    answers = _answer_sums(filters)
    tests = learning.session_sums(filters)
    actions = _action_sums(filters)

    feedback_total, tests_total, actions_total, rows = {}, {}, {}, []
    for session in spent:
        session_answers = answers.get(session["id"], {})
        for name, value in session_answers.items():
            feedback_total[name] = feedback_total.get(name, 0) + (value or 0)
        learning.add(tests_total, tests.get(session["id"], {}))
        for status, items in actions.get(session["id"], {}).items():
            actions_total[status] = actions_total.get(status, 0) + items
        held_participants = session["participants"] if session["held"] else 0
        rows.append(
            {
                "id": session["id"],
                "title": session["title"],
                "course": session["course"],
                "starts_on": session["starts_on"],
                "held": session["held"],
                "participants": held_participants,
                "participant_hours": session["participant_hours"] if session["held"] else 0,
                "satisfaction": _satisfaction(session_answers, held_participants),
                "learning": learning.figures(tests.get(session["id"], dict.fromkeys(learning.SUMS, 0))),
                "action_plan": _action_figures(actions.get(session["id"], {})),
                "cost": {
                    "total": session["total"],
                    "per_participant": session["cost_per_participant"],
                    "per_participant_hour": session["cost_per_participant_hour"],
                },
            }
        )
    reach = _reach(filters, spent)
    if not tests_total:
        tests_total = dict.fromkeys(learning.SUMS, 0)
    return {
        "funding_project": {
            "id": filters.funding_project_id,
            "code": project.code if project else "",
            "name": str(project) if project else "",
            "donor": project.donor if project else "",
        },
        "date_from": filters.date_from,
        "date_to": filters.date_to,
        "currency": "KGS",
        "reach": reach,
        "satisfaction": _satisfaction(feedback_total, reach["participants_held"]),
        "learning": learning.figures(tests_total),
        "action_plan": _action_figures(actions_total),
        "cost": _cost(costs.totals_of(spent)),
        "sessions": rows,
    }
