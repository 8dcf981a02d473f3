from django.db import migrations


def load(apps, schema_editor):
    # The data lives in academy/data/places.py so seed_demo and tests read the same codes.
    from academy.data.places import DISTRICTS, MUNICIPALITIES, REGIONS

    Region = apps.get_model("academy", "Region")
    District = apps.get_model("academy", "District")
    Municipality = apps.get_model("academy", "Municipality")
    names = ("name_ky", "name_ru", "name_en")
    regions = {}
    for row in REGIONS:
        regions[row["code"]], _ = Region.objects.update_or_create(
            code=row["code"], defaults={"kind": row["kind"], **{key: row[key] for key in names}}
        )
    districts = {}
    for row in DISTRICTS:
        districts[row["code"]], _ = District.objects.update_or_create(
            code=row["code"],
            defaults={"kind": row["kind"], "region": regions[row["region"]], **{key: row[key] for key in names}},
        )
    for row in MUNICIPALITIES:
        Municipality.objects.update_or_create(
            code=row["code"],
            defaults={"kind": row["kind"], "district": districts[row["district"]], **{key: row[key] for key in names}},
        )


class Migration(migrations.Migration):
    dependencies = [("academy", "0002_groups")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
