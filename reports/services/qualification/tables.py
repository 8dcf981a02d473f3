"""The report as figures and tables (reports.services.structures), for the admin screen and the .xlsx export."""

from django.utils.translation import gettext as _

from ..structures import DATE, INT, Chart, Column, Figure, Report, Table


def as_report(result, people_title=None):
    totals = result.totals
    return Report(
        key="qualification",
        title=_("Who is due for training"),
        figures=[
            Figure("municipalities", _("Municipalities"), totals["municipalities"]),
            Figure("people", _("People on record"), totals["people"]),
            Figure("trained", _("Trained in their current cycle"), totals["trained"]),
            Figure("hours", _("Academic hours in current cycles"), totals["hours"]),
            Figure("up_to_date", _("Up to date"), totals["up_to_date"]),
            Figure("due_soon", _("Due soon"), totals["due_soon"]),
            Figure("overdue", _("Overdue"), totals["overdue"]),
            Figure("no_one_trained", _("Municipalities where no one trained in three years"), totals["no_one_trained"]),
        ],
        tables=[
            Table(
                "people",
                people_title or _("People due soon or overdue"),
                [
                    Column("name", _("Name")),
                    Column("position", _("Position")),
                    Column("municipality", _("Municipality")),
                    Column("district", _("District")),
                    Column("role_group_label", _("Role group")),
                    Column("hours_in_cycle", _("Hours in cycle"), INT),
                    Column("min_hours", _("Hours required"), INT),
                    Column("due_by", _("Due by"), DATE),
                    Column("status_label", _("Status")),
                ],
                result.people,
            ),
            Table(
                "municipalities",
                _("By municipality"),
                [
                    Column("district", _("District")),
                    Column("municipality", _("Municipality")),
                    Column("people", _("People on record"), INT),
                    Column("trained", _("Trained in the cycle"), INT),
                    Column("hours", _("Hours"), INT),
                    Column("up_to_date", _("Up to date"), INT),
                    Column("due_soon", _("Due soon"), INT),
                    Column("overdue", _("Overdue"), INT),
                    Column("no_one_trained", _("No one trained in 3 years")),
                ],
                result.municipalities,
            ),
        ],
        notes=[
            _(
                "People are those whose profile names the municipality. Hours count as on each person's record: "
                "completed trainings at the academy and external trainings entered by the academy, under the "
                "academy's rule for their role group."
            )
        ],
    )


def map_chart(result):
    """The district map: districts shaded by the share of their people who are overdue, municipalities as
    dots (black: no one trained in three years). Oblasts shown: the one asked for, else all."""
    from academy.models import District
    from reports.services.base import percent

    from ..labels import name_fields, translated_name

    regions = {row["region_code"] for row in result.municipalities}
    districts = {
        row["code"]: {
            "label": translated_name(row, ""),
            "region": row["region__code"],
            "city": row["kind"] == District.Kind.CITY,
            "people": 0,
            "overdue": 0,
        }
        for row in District.objects.filter(region__code__in=regions).values(
            "code", "kind", "region__code", *name_fields("")
        )
    }
    dots = []
    for row in result.municipalities:
        district = districts[row["district_code"]]
        district["people"] += row["people"]
        district["overdue"] += row["overdue"]
        if row["no_one_trained"]:
            note = _("no one trained in three years")
        else:
            note = _("%(trained)s of %(people)s trained") % {"trained": row["trained"], "people": row["people"]}
        dots.append(
            {
                "district": row["district_code"],
                "label": row["municipality"],
                "note": note,
                "no_one_trained": row["no_one_trained"],
            }
        )
    for district in districts.values():
        district["value"] = percent(district["overdue"], district["people"])
    return Chart(
        "district_map",
        # xgettext:no-python-format
        _("Overdue, % of people on record, by district"),
        "district_map",
        {"regions": sorted(regions), "districts": districts, "municipalities": dots},
        # xgettext:no-python-format
        unit=_("% overdue"),
    )
