"""Reach: oblasts, districts and municipalities the participants come from."""

from django.utils.translation import gettext as _

from academy.models import Gender, Municipality, Region

from .base import percent, with_report_memory
from .labels import name_fields, translated_name
from .people import group_people, total
from .structures import INT, PERCENT, Chart, Column, Figure, Report, Table

#: Reach is counted from the people grouped by municipality and gender (one query), rolled up
#: to districts and oblasts with the geography, which is small.
PLACE_KEYS = ["municipality_id", "gender"]


def _place_rows(filters):
    return group_people(filters, PLACE_KEYS)


def places_of(rows):
    """{municipality id: its names, its district's and its oblast's, and the ids} for the rows."""
    ids = {row["municipality_id"] for row in rows} - {None}
    names = [*name_fields(""), *name_fields("district__"), *name_fields("district__region__")]
    return {
        place["pk"]: place
        for place in Municipality.objects.filter(pk__in=ids).values(
            "pk",
            "name_en",
            "district_id",
            "district__name_en",
            "district__region_id",
            "district__region__name_en",
            *names,
        )
    }


def totals_from(rows, places):
    reached = [places[row["municipality_id"]] for row in rows if row["municipality_id"] in places]
    return {
        "municipalities": len({place["pk"] for place in reached}),
        "districts": len({place["district_id"] for place in reached}),
        "regions": len({place["district__region_id"] for place in reached}),
        "people_without_place": total(rows, municipality_id=None),
    }


@with_report_memory
def totals(filters):
    rows = _place_rows(filters)
    return totals_from(rows, places_of(rows))


def by_region_from(rows, places):
    counted = {}
    for row in rows:
        place = places.get(row["municipality_id"])
        if place is None:
            continue
        region = counted.setdefault(
            place["district__region_id"],
            {"people": 0, "registrations": 0, "women": 0, "men": 0, "districts": set(), "municipalities": set()},
        )
        region["people"] += row["people"]
        region["registrations"] += row["registrations"]
        if row["gender"] == Gender.FEMALE:
            region["women"] += row["people"]
        elif row["gender"] == Gender.MALE:
            region["men"] += row["people"]
        region["districts"].add(place["district_id"])
        region["municipalities"].add(place["pk"])
    result = []
    for region in Region.objects.order_by("kind", "name_en").values("pk", "code", *name_fields("")):
        row = counted.get(region["pk"], {})
        women, men = row.get("women", 0), row.get("men", 0)
        result.append(
            {
                "region_id": region["pk"],
                "code": region["code"],
                "region": translated_name(region, ""),
                "people": row.get("people", 0),
                "registrations": row.get("registrations", 0),
                "women_share": percent(women, women + men),
                "districts": len(row.get("districts", ())),
                "municipalities": len(row.get("municipalities", ())),
            }
        )
    return result


def by_region(filters):
    """Every oblast and city of republican significance, with zeros where nobody came from."""
    rows = _place_rows(filters)
    return by_region_from(rows, places_of(rows))


def _per_municipality(rows, places):
    counted = {}
    for row in rows:
        place = places.get(row["municipality_id"])
        if place is not None:
            municipality = counted.setdefault(place["pk"], {"place": place, "people": 0, "registrations": 0})
            municipality["people"] += row["people"]
            municipality["registrations"] += row["registrations"]
    return sorted(
        counted.values(),
        key=lambda row: (
            row["place"]["district__region__name_en"],
            row["place"]["district__name_en"],
            row["place"]["district_id"],
            row["place"]["name_en"],
            row["place"]["pk"],
        ),
    )


def _districts_reached(rows, places):
    districts = {}
    for row in _per_municipality(rows, places):
        place = row["place"]
        district = districts.setdefault(
            place["district_id"],
            {
                "region": translated_name(place, "district__region__"),
                "district": translated_name(place, "district__"),
                "municipalities": 0,
                "people": 0,
            },
        )
        district["municipalities"] += 1
        district["people"] += row["people"]
    return list(districts.values())


def districts_reached(filters):
    rows = _place_rows(filters)
    return _districts_reached(rows, places_of(rows))


def _municipalities_reached(rows, places):
    return [
        {
            "region": translated_name(row["place"], "district__region__"),
            "district": translated_name(row["place"], "district__"),
            "municipality": translated_name(row["place"], ""),
            "people": row["people"],
            "registrations": row["registrations"],
        }
        for row in _per_municipality(rows, places)
    ]


def municipalities_reached(filters):
    rows = _place_rows(filters)
    return _municipalities_reached(rows, places_of(rows))


@with_report_memory
def report(filters):
    rows = _place_rows(filters)
    places = places_of(rows)
    figures = totals_from(rows, places)
    regions = by_region_from(rows, places)
    districts = _districts_reached(rows, places)
    municipalities = _municipalities_reached(rows, places)
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
