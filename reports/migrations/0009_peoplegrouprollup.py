"""People per kind of person, kept current by triggers on the per-person rollup and the profiles
(reports/rollups/groups.py)."""

from django.db import migrations, models

from reports.rollups import groups as rollups


def install(apps, schema_editor):
    # SQLite: installed after every migrate instead (reports/migrate_hooks.py).
    if schema_editor.connection.vendor != "sqlite":
        rollups.install(schema_editor)
        rollups.rebuild(schema_editor.connection.alias)


def uninstall(apps, schema_editor):
    rollups.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("academy", "0010_officers_for_admins"),
        ("reports", "0008_sessionrollup_recount"),
    ]

    operations = [
        migrations.CreateModel(
            name="PeopleGroupRollup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("gender", models.CharField(max_length=10)),
                ("has_disability", models.BooleanField()),
                ("youth", models.SmallIntegerField()),
                ("organization_kind", models.CharField(max_length=30)),
                ("position", models.CharField(max_length=200)),
                ("people", models.IntegerField()),
                ("registrations", models.IntegerField()),
                ("completed", models.IntegerField()),
            ],
            options={"db_table": "reports_peoplegrouprollup"},
        ),
        migrations.RunPython(install, uninstall),
    ]
