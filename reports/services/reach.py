"""Reach: oblasts, districts and municipalities the participants come from."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from academy.models import Gender, Region

from .base import participants, percent
from .labels import name_fields, translated_name
from .structures import INT, PERCENT, Chart, Column, Figure, Report, Table

MUNICIPALITY = "user__profile__municipality"
DISTRICT = f"{MUNICIPALITY}__district"
REGION = f"{DISTRICT}__region"


def totals(filters):
    return participants(filters).aggregate(
        municipalities=Count(MUNICIPALITY, distinct=True),
        districts=Count(DISTRICT, distinct=True),
        regions=Count(REGION, distinct=True),
        people_without_place=Count("user", distinct=True, filter=Q(**{f"{MUNICIPALITY}__isnull": True})),
    )


def by_region(filters):
    """Every oblast and city of republican significance, with zeros where nobody came from."""
    counted = {
        row[REGION]: row
        for row in participants(filters)
        .values(REGION)
        .annotate(
            people=Count("user", distinct=True),
            registrations=Count("pk"),
            women=Count("user", distinct=True, filter=Q(user__profile__gender=Gender.FEMALE)),
            men=Count("user", distinct=True, filter=Q(user__profile__gender=Gender.MALE)),
            municipalities=Count(MUNICIPALITY, distinct=True),
            districts=Count(DISTRICT, distinct=True),
        )
        .order_by()
    }
    rows = []
    for region in Region.objects.order_by("kind", "name_en").values("pk", "code", *name_fields("")):
        row = counted.get(region["pk"], {})
        women, men = row.get("women", 0), row.get("men", 0)
        rows.append(
            {
                "region_id": region["pk"],
                "code": region["code"],
                "region": translated_name(region, ""),
                "people": row.get("people", 0),
                "registrations": row.get("registrations", 0),
                "women_share": percent(women, women + men),
                "districts": row.get("districts", 0),
                "municipalities": row.get("municipalities", 0),
            }
        )
    return rows


def districts_reached(filters):
    rows = (
        participants(filters)
        .filter(**{f"{DISTRICT}__isnull": False})
        .values(DISTRICT, *name_fields(f"{DISTRICT}__"), *name_fields(f"{REGION}__"))
        .annotate(people=Count("user", distinct=True), municipalities=Count(MUNICIPALITY, distinct=True))
        .order_by(f"{REGION}__name_en", f"{DISTRICT}__name_en")
    )
    return [
        {
            "region": translated_name(row, f"{REGION}__"),
            "district": translated_name(row, f"{DISTRICT}__"),
            "municipalities": row["municipalities"],
            "people": row["people"],
        }
        for row in rows
    ]


def municipalities_reached(filters):
    rows = (
        participants(filters)
        .filter(**{f"{MUNICIPALITY}__isnull": False})
        .values(
            MUNICIPALITY, *name_fields(f"{MUNICIPALITY}__"), *name_fields(f"{DISTRICT}__"), *name_fields(f"{REGION}__")
        )
        .annotate(people=Count("user", distinct=True), registrations=Count("pk"))
        .order_by(f"{REGION}__name_en", f"{DISTRICT}__name_en", f"{MUNICIPALITY}__name_en")
    )
    return [
        {
            "region": translated_name(row, f"{REGION}__"),
            "district": translated_name(row, f"{DISTRICT}__"),
            "municipality": translated_name(row, f"{MUNICIPALITY}__"),
            "people": row["people"],
            "registrations": row["registrations"],
        }
        for row in rows
    ]


def report(filters):
    figures = totals(filters)
    regions = by_region(filters)
    districts = districts_reached(filters)
    municipalities = municipalities_reached(filters)
    return Report(
        key="reach",
        title=_("Reach"),
        figures=[
            Figure("municipalities", _("Municipalities reached"), figures["municipalities"]),
            Figure("districts", _("Districts reached"), figures["districts"]),
            Figure("regions", _("Oblasts and cities reached"), figures["regions"]),
            Figure(
                "people_without_place",
                _("People without a municipality"),
                figures["people_without_place"],
                note=_("not counted in the reach figures"),
            ),
        ],
        tables=[
            Table(
                "regions",
                _("By oblast"),
                [
                    Column("region", _("Oblast / city")),
                    Column("people", _("People"), INT),
                    Column("registrations", _("Registrations"), INT),
                    # xgettext:no-python-format
                    Column("women_share", _("Women, % of gender given"), PERCENT),
                    Column("districts", _("Districts"), INT),
                    Column("municipalities", _("Municipalities"), INT),
                ],
                regions,
            ),
            Table(
                "districts",
                _("Districts reached"),
                [
                    Column("region", _("Oblast / city")),
                    Column("district", _("District")),
                    Column("municipalities", _("Municipalities"), INT),
                    Column("people", _("People"), INT),
                ],
                districts,
            ),
            Table(
                "municipalities",
                _("Municipalities reached"),
                [
                    Column("region", _("Oblast / city")),
                    Column("district", _("District")),
                    Column("municipality", _("Municipality")),
                    Column("people", _("People"), INT),
                    Column("registrations", _("Registrations"), INT),
                ],
                municipalities,
            ),
        ],
        charts=[
            Chart(
                "map",
                _("People trained by oblast"),
                "map",
                {row["code"]: (row["region"], row["people"]) for row in regions},
                unit=_("people"),
            ),
            Chart("regions", _("People by oblast"), "bar", [(row["region"], row["people"]) for row in regions]),
        ],
        notes=[_("Places are those of the participants' profiles (where they work), not of the sessions.")],
    )
