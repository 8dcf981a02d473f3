"""The outcome report (levels.py) as a Report: the figures level by level and the
per-session table, for the admin page, its .xlsx export and the donor PDF."""

from django.utils.translation import gettext as _

from ..structures import DATE, DECIMAL, INT, PERCENT, TEXT, Column, Figure, Report, Table
from .levels import figures

#: The page shows the first sessions; the .xlsx carries all of them.
SESSION_ROWS = 100


def _money(value):
    return None if value is None else float(value)


def levels():
    """[(level key, title)] in the order the page, the .xlsx and the PDF show them."""
    return [
        ("reach", _("Reach")),
        ("satisfaction", _("Satisfaction (level 1)")),
        ("learning", _("Learning (level 2)")),
        ("action_plan", _("Behaviour and results (levels 3–4): action plans")),
        ("cost", _("Cost")),
    ]


def _figures(data):
    reach, opinion, learning = data["reach"], data["satisfaction"], data["learning"]
    plans, cost = data["action_plan"], data["cost"]
    out_of_5 = _("average, 1 to 5")
    return {
        "reach": [
            Figure("people", _("People trained"), reach["people"], note=_("each person once")),
            Figure("women_share", _("Women"), reach["women_share"], PERCENT, note=_("of people whose gender is given")),
            Figure("municipalities", _("Municipalities reached"), reach["municipalities"]),
            Figure("districts", _("Districts reached"), reach["districts"]),
            Figure("sessions_held", _("Sessions held"), reach["sessions_held"]),
            Figure("participant_hours", _("Participant-hours"), reach["participant_hours"]),
        ],
        "satisfaction": [
            Figure("feedback_answers", _("Feedback answers"), opinion["answers"]),
            Figure(
                "response_rate",
                _("Response rate"),
                opinion["response_rate"],
                PERCENT,
                note=_("of participants of sessions held"),
            ),
            Figure("satisfaction", _("Satisfaction"), opinion["average"], DECIMAL, note=_("all scores, 1 to 5")),
            Figure("score_content", _("Content score"), opinion["content"], DECIMAL, note=out_of_5),
            Figure("score_trainer", _("Trainer score"), opinion["trainer"], DECIMAL, note=out_of_5),
            Figure("score_organisation", _("Organisation score"), opinion["organisation"], DECIMAL, note=out_of_5),
        ],
        "learning": [
            Figure("took_both", _("Took the pre-test and the post-test"), learning["took_both"]),
            Figure("average_pre", _("Average score before"), learning["average_pre"], PERCENT),
            Figure("average_post", _("Average score after"), learning["average_post"], PERCENT),
            Figure(
                "gain_percentage_points",
                _("Average gain, percentage points"),
                learning["gain_percentage_points"],
                DECIMAL,
            ),
            Figure(
                "gain_points",
                _("Average gain, points"),
                learning["gain_points"],
                DECIMAL,
                note=_("questions answered right"),
            ),
            Figure(
                "improved_share",
                _("Improved"),
                learning["improved_share"],
                PERCENT,
                note=_("of those who took both tests"),
            ),
        ],
        "action_plan": [
            Figure("action_items", _("Action-plan items"), plans["items"]),
            Figure("action_done", _("Done"), plans["done"]),
            Figure("action_done_share", _("Share done"), plans["done_share"], PERCENT, note=_("of all items")),
            Figure("action_in_progress", _("In progress"), plans["in_progress"]),
            Figure("action_dropped", _("Dropped"), plans["dropped"]),
            Figure("action_not_reported", _("Not reported yet"), plans["not_reported"]),
        ],
        "cost": [
            Figure(
                "cost_total",
                _("Total cost, KGS"),
                _money(cost["total"]) if cost["total"] is not None else _("no costs entered"),
                DECIMAL if cost["total"] is not None else TEXT,
                note=_("of the sessions with costs entered"),
            ),
            Figure("cost_per_participant", _("Cost per participant, KGS"), _money(cost["per_participant"]), DECIMAL),
            Figure(
                "cost_per_participant_hour",
                _("Cost per participant-hour, KGS"),
                _money(cost["per_participant_hour"]),
                DECIMAL,
            ),
            Figure(
                "sessions_without_costs",
                _("Sessions without costs entered"),
                cost["sessions_without_costs"],
                note=_("left out of the totals, not counted as zero"),
            ),
        ],
    }


def _session_row(row):
    learning, plans = row["learning"], row["action_plan"]
    return {
        "starts_on": row["starts_on"],
        "session": row["title"],
        "course": row["course"],
        "participants": row["participants"] if row["held"] else _("not held yet"),
        "participant_hours": row["participant_hours"] if row["held"] else None,
        "satisfaction": row["satisfaction"]["average"],
        "took_both": learning["took_both"],
        "average_pre": learning["average_pre"],
        "average_post": learning["average_post"],
        "improved_share": learning["improved_share"],
        "action_items": plans["items"],
        "action_done_share": plans["done_share"],
        "cost_total": _("no costs entered") if row["cost"]["total"] is None else _money(row["cost"]["total"]),
        "cost_per_participant_hour": _money(row["cost"]["per_participant_hour"]),
    }


def session_columns():
    return [
        Column("starts_on", _("Starts"), DATE),
        Column("session", _("Session")),
        Column("course", _("Course")),
        Column("participants", _("Participants"), INT),
        Column("participant_hours", _("Participant-hours"), INT),
        Column("satisfaction", _("Satisfaction, 1–5"), DECIMAL),
        Column("took_both", _("Took both tests"), INT),
        # xgettext:no-python-format
        Column("average_pre", _("Before, %"), PERCENT),
        # xgettext:no-python-format
        Column("average_post", _("After, %"), PERCENT),
        # xgettext:no-python-format
        Column("improved_share", _("Improved, %"), PERCENT),
        Column("action_items", _("Action-plan items"), INT),
        # xgettext:no-python-format
        Column("action_done_share", _("Done, %"), PERCENT),
        Column("cost_total", _("Total, KGS"), DECIMAL),
        Column("cost_per_participant_hour", _("Cost per participant-hour, KGS"), DECIMAL),
    ]


def report(filters, now=None, data=None):
    """The Report of the outcome figures; `report.levels` is [(title, [Figure])] level by level."""
    data = data or figures(filters, now)
    by_level = _figures(data)
    result = Report(
        key="outcomes",
        title=data["funding_project"]["name"],
        figures=[figure for key, _title in levels() for figure in by_level[key]],
        tables=[
            Table(
                "sessions",
                _("By session"),
                session_columns(),
                [_session_row(row) for row in data["sessions"]],
                display_limit=SESSION_ROWS,
            )
        ],
        notes=[
            _(
                "People trained: each person once, however many sessions. Participants are confirmed "
                "registrations (completed ones included) of sessions that are neither drafts nor cancelled."
            ),
            _(
                "Test scores: questions answered right, in percent of the test's questions, of participants who took "
                "both the session's pre-test and its post-test."
            ),
            _("Action-plan items count with their latest reported status."),
            _('Amounts in KGS. A session without budget lines shows "no costs entered" and is left out of totals.'),
        ],
    )
    result.levels = [(title, by_level[key]) for key, title in levels()]
    result.data = data
    return result
