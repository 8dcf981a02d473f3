"""Headline figures for donors and the summary API: a fixed, small number of queries."""

from django.utils import timezone
from django.utils.translation import gettext as _

from academy.models import FundingProject

from . import base, delivery, feedback_report, participants, reach, session_sums
from .base import with_report_memory
from .people import group_people, people_figures
from .structures import INT, PERCENT, Chart, Column, Figure, Report, Table


@with_report_memory
def headline(filters, now=None):
    """A flat dict of the figures donors ask for, plus people per oblast."""
    now = now or timezone.now()
    # One pass over the participants, summed per person and grouped by place and profile, gives the
    # figures about people, places, participant-hours and feedback; sessions and certificates add two.
    rows = group_people(filters, ["municipality_id", *participants.FIGURE_KEYS])
    people = participants.with_shares(people_figures(rows))
    places = reach.places_of(rows)
    # Plain sums over the participant registrations: no need to carry them per person. Without an
    # oblast or district filter they are sums of the per-session rollups.
    if session_sums.usable(filters):
        sums = session_sums.totals(filters, now)
    else:
        sums = base.participants(filters).aggregate(**delivery.registration_sums(now), **feedback_report.ANSWER_SUMS)
        sums = {name: value or 0 for name, value in sums.items()}
    delivered = delivery.totals(filters, now, sums)
    opinions = feedback_report.figures_from_sums(sums, sums["registrations_held"])
    place_figures = reach.totals_from(rows, places)
    return {
        "people": people["people"],
        "registrations": people["registrations"],
        "women": people["women"],
        "men": people["men"],
        "gender_not_given": people["gender_not_given"],
        "women_share": people["women_share"],
        "with_disability": people["with_disability"],
        "youth": people["youth"],
        "age_not_given": people["age_not_given"],
        "municipalities": place_figures["municipalities"],
        "districts": place_figures["districts"],
        "regions": place_figures["regions"],
        "sessions_held": delivered["held"],
        "sessions_ahead": delivered["upcoming"],
        "academic_hours": delivered["academic_hours"],
        "participant_hours": delivered["participant_hours"],
        "attendance_rate": delivered["attendance_rate"],
        "completion_rate": delivered["completion_rate"],
        "certificates": delivered["certificates"],
        "feedback_answers": opinions["answers"],
        "feedback_response_rate": opinions["response_rate"],
        "score_content": opinions["content"],
        "score_trainer": opinions["trainer"],
        "score_organisation": opinions["organisation"],
        "by_region": [
            {
                "code": row["code"],
                "name": row["region"],
                "people": row["people"],
                "municipalities": row["municipalities"],
            }
            for row in reach.by_region_from(rows, places)
        ],
    }


def donor_report(filters, now=None):
    """The donor summary as a Report: headline figures and people per oblast."""
    figures = headline(filters, now)
    project = (
        FundingProject.objects.filter(pk=filters.funding_project_id).first() if filters.funding_project_id else None
    )
    certificates = figures["certificates"]
    return Report(
        key="donor_summary",
        title=str(project) if project else _("All funding projects"),
        figures=[
            Figure("people", _("People trained"), figures["people"]),
            Figure("registrations", _("Registrations"), figures["registrations"]),
            Figure(
                "women_share", _("Women"), figures["women_share"], PERCENT, note=_("of people whose gender is given")
            ),
            Figure("gender_not_given", _("Gender not given"), figures["gender_not_given"]),
            Figure("with_disability", _("Persons with disabilities"), figures["with_disability"]),
            Figure("youth", _("Youth (under 35)"), figures["youth"]),
            Figure("municipalities", _("Municipalities reached"), figures["municipalities"]),
            Figure("districts", _("Districts reached"), figures["districts"]),
            Figure("sessions_held", _("Sessions held"), figures["sessions_held"]),
            Figure("academic_hours", _("Academic hours delivered"), figures["academic_hours"]),
            Figure("participant_hours", _("Participant-hours"), figures["participant_hours"]),
            Figure("attendance_rate", _("Attendance rate"), figures["attendance_rate"], PERCENT),
            Figure("completion_rate", _("Completion rate"), figures["completion_rate"], PERCENT),
            Figure(
                "certificates",
                _("Certificates issued"),
                certificates if certificates is not None else _("not available"),
                INT if certificates is not None else "text",
            ),
            Figure("score_content", _("Content score"), figures["score_content"], "decimal", note=_("average, 1 to 5")),
            Figure("score_trainer", _("Trainer score"), figures["score_trainer"], "decimal", note=_("average, 1 to 5")),
        ],
        tables=[
            Table(
                "regions",
                _("People trained by oblast"),
                [
                    Column("name", _("Oblast / city")),
                    Column("people", _("People"), INT),
                    Column("municipalities", _("Municipalities"), INT),
                ],
                figures["by_region"],
            )
        ],
        notes=[
            _(
                "People trained: each person once, however many sessions. Participants are confirmed "
                "registrations (completed ones included) of sessions that are neither drafts nor cancelled."
            ),
            _("Places are those of the participants' profiles."),
        ],
    )


def map_chart(report):
    """The people-per-oblast map of a donor report."""
    rows = report.table("regions").rows
    return Chart(
        "map",
        _("People trained by oblast"),
        "map",
        {row["code"]: (row["name"], row["people"]) for row in rows},
        unit=_("people"),
    )
