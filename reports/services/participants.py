"""Participants: people trained, registrations, women, persons with disabilities, youth."""

from django.utils.translation import gettext as _

from academy.models import Gender

from .base import YOUTH_AGE_LIMIT, percent, with_report_memory
from .labels import organisation_kind_labels
from .people import group_people, people_figures
from .structures import INT, PERCENT, Chart, Column, Figure, Report, Table

#: Positions are free text; the screen lists the most frequent ones.
POSITION_ROWS = 30


#: The profile fields the headline figures need (see ``people.people_figures``).
FIGURE_KEYS = ["gender", "has_disability", "birth_year_missing", "youth"]


def with_shares(figures):
    figures["women_share"] = percent(figures["women"], figures["women"] + figures["men"])
    figures["disability_share"] = percent(figures["with_disability"], figures["people"])
    figures["youth_share"] = percent(figures["youth"], figures["people"] - figures["age_not_given"])
    return figures


@with_report_memory
def totals(filters):
    """Headline figures about people, in one query."""
    return with_shares(people_figures(group_people(filters, FIGURE_KEYS)))


def _by(rows, field):
    """People, registrations, women and men per value of a profile field; blank and no profile are one
    "not given" row."""
    merged = {}
    for row in rows:
        key = (row[field] or "").strip()
        counted = merged.setdefault(key, {field: key, "people": 0, "registrations": 0, "women": 0, "men": 0})
        counted["people"] += row["people"]
        counted["registrations"] += row["registrations"]
        if row["gender"] == Gender.FEMALE:
            counted["women"] += row["people"]
        elif row["gender"] == Gender.MALE:
            counted["men"] += row["people"]
    return sorted(merged.values(), key=lambda row: (-row["people"], row[field]))


def by_organisation_kind(filters, rows=None):
    if rows is None:
        rows = group_people(filters, ["gender", "organization_kind"])
    labels = organisation_kind_labels()
    return [
        {
            "kind": labels.get(row["organization_kind"], row["organization_kind"]),
            "people": row["people"],
            "registrations": row["registrations"],
            "women": row["women"],
            "women_share": percent(row["women"], row["women"] + row["men"]),
        }
        for row in _by(rows, "organization_kind")
    ]


def by_position(filters, rows=None):
    if rows is None:
        rows = group_people(filters, ["gender", "position"])
    return [
        {
            "position": row["position"] or _("Not given"),
            "people": row["people"],
            "registrations": row["registrations"],
            "women": row["women"],
            "women_share": percent(row["women"], row["women"] + row["men"]),
        }
        for row in _by(rows, "position")
    ]


def _group_columns(first_key, first_label):
    return [
        Column(first_key, first_label),
        Column("people", _("People"), INT),
        Column("registrations", _("Registrations"), INT),
        Column("women", _("Women"), INT),
        # xgettext:no-python-format
        Column("women_share", _("Women, % of gender given"), PERCENT),
    ]


def headline_figures(figures):
    return [
        Figure("people", _("People trained"), figures["people"], note=_("each person counted once")),
        Figure(
            "registrations",
            _("Registrations"),
            figures["registrations"],
            note=_("a person in two sessions counts twice"),
        ),
        Figure("women_share", _("Women"), figures["women_share"], PERCENT, note=_("of people whose gender is given")),
        Figure("women", _("Women"), figures["women"]),
        Figure("men", _("Men"), figures["men"]),
        Figure("gender_not_given", _("Gender not given"), figures["gender_not_given"]),
        Figure("with_disability", _("Persons with disabilities"), figures["with_disability"]),
        Figure(
            "youth",
            _("Youth (under %(age)s)") % {"age": YOUTH_AGE_LIMIT},
            figures["youth"],
            note=_("age in the year the session starts"),
        ),
        Figure("age_not_given", _("Year of birth not given"), figures["age_not_given"]),
    ]


@with_report_memory
def report(filters):
    # One query: the people grouped by everything this report shows.
    rows = group_people(filters, [*FIGURE_KEYS, "organization_kind", "position"])
    figures = with_shares(people_figures(rows))
    kinds = by_organisation_kind(filters, rows)
    positions = by_position(filters, rows)
    people = figures["people"]
    gender_rows = [
        {"gender": _("Women"), "people": figures["women"], "share": percent(figures["women"], people)},
        {"gender": _("Men"), "people": figures["men"], "share": percent(figures["men"], people)},
        {
            "gender": _("Not given"),
            "people": figures["gender_not_given"],
            "share": percent(figures["gender_not_given"], people),
        },
    ]
    return Report(
        key="participants",
        title=_("Participants"),
        figures=headline_figures(figures),
        tables=[
            Table(
                "gender",
                _("By gender"),
                [
                    Column("gender", _("Gender")),
                    Column("people", _("People"), INT),
                    # xgettext:no-python-format
                    Column("share", _("% of people"), PERCENT),
                ],
                gender_rows,
            ),
            Table(
                "organisation_kind", _("By organisation kind"), _group_columns("kind", _("Organisation kind")), kinds
            ),
            Table(
                "position",
                _("By position"),
                _group_columns("position", _("Position")),
                positions,
                display_limit=POSITION_ROWS,
            ),
        ],
        charts=[
            Chart("gender", _("People by gender"), "bar", [(row["gender"], row["people"]) for row in gender_rows]),
            Chart(
                "organisation_kind",
                _("People by organisation kind"),
                "bar",
                [(row["kind"], row["people"]) for row in kinds],
            ),
        ],
        notes=[
            _(
                "Participants are confirmed registrations (completed ones included) of sessions that are "
                "neither drafts nor cancelled. A person registered for two sessions is one person and two "
                "registrations."
            )
        ],
    )
