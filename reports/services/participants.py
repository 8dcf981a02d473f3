"""Participants: people trained, registrations, women, persons with disabilities, youth."""

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from academy.models import Gender

from .base import YOUTH_AGE_LIMIT, participants, percent
from .labels import organisation_kind_labels
from .structures import INT, PERCENT, Chart, Column, Figure, Report, Table

PROFILE = "user__profile__"
#: Positions are free text; the screen lists the most frequent ones.
POSITION_ROWS = 30


def _people(condition=None):
    return Count("user", distinct=True, filter=condition)


def _no_gender():
    return Q(**{f"{PROFILE}gender": ""}) | Q(**{f"{PROFILE}isnull": True})


def totals(filters):
    """Headline figures about people, in one query."""
    queryset = participants(filters).annotate(
        age_at_start=ExtractYear("session__starts_at") - F(f"{PROFILE}year_of_birth")
    )
    figures = queryset.aggregate(
        registrations=Count("pk"),
        people=_people(),
        women=_people(Q(**{f"{PROFILE}gender": Gender.FEMALE})),
        men=_people(Q(**{f"{PROFILE}gender": Gender.MALE})),
        gender_not_given=_people(_no_gender()),
        with_disability=_people(Q(**{f"{PROFILE}has_disability": True})),
        youth=_people(Q(age_at_start__lt=YOUTH_AGE_LIMIT)),
        age_not_given=_people(Q(**{f"{PROFILE}year_of_birth__isnull": True})),
        completed=Count("pk", filter=Q(completed_at__isnull=False)),
    )
    figures["women_share"] = percent(figures["women"], figures["women"] + figures["men"])
    figures["disability_share"] = percent(figures["with_disability"], figures["people"])
    figures["youth_share"] = percent(figures["youth"], figures["people"] - figures["age_not_given"])
    return figures


def _grouped(filters, field):
    return (
        participants(filters)
        .values(field)
        .annotate(
            people=_people(),
            registrations=Count("pk"),
            women=_people(Q(**{f"{PROFILE}gender": Gender.FEMALE})),
            men=_people(Q(**{f"{PROFILE}gender": Gender.MALE})),
        )
        .order_by("-people", field)
    )


def _merge_blank(rows, field):
    """Profiles without a value and people without a profile end up in one "not given" row."""
    merged = {}
    for row in rows:
        key = (row[field] or "").strip()
        if key in merged:
            for name in ("people", "registrations", "women", "men"):
                merged[key][name] += row[name]
        else:
            merged[key] = {**row, field: key}
    return sorted(merged.values(), key=lambda row: (-row["people"], row[field]))


def by_organisation_kind(filters):
    rows = _merge_blank(_grouped(filters, f"{PROFILE}organization_kind"), f"{PROFILE}organization_kind")
    labels = organisation_kind_labels()
    return [
        {
            "kind": labels.get(row[f"{PROFILE}organization_kind"], row[f"{PROFILE}organization_kind"]),
            "people": row["people"],
            "registrations": row["registrations"],
            "women": row["women"],
            "women_share": percent(row["women"], row["women"] + row["men"]),
        }
        for row in rows
    ]


def by_position(filters):
    rows = _merge_blank(_grouped(filters, f"{PROFILE}position"), f"{PROFILE}position")
    result = [
        {
            "position": row[f"{PROFILE}position"] or _("Not given"),
            "people": row["people"],
            "registrations": row["registrations"],
            "women": row["women"],
            "women_share": percent(row["women"], row["women"] + row["men"]),
        }
        for row in rows
    ]
    return result


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


def report(filters):
    figures = totals(filters)
    kinds = by_organisation_kind(filters)
    positions = by_position(filters)
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
