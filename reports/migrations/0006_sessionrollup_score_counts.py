"""The feedback report's score distribution and comment count in the per-session rollup: the columns, then the
triggers that write them (reports/rollups/sessions.py), and every row recomputed."""

from django.db import migrations, models

from reports.rollups import sessions as rollups_sessions


def install(apps, schema_editor):
    # SQLite: installed after every migrate instead (reports/migrate_hooks.py).
    if schema_editor.connection.vendor != "sqlite":
        rollups_sessions.uninstall(schema_editor)
        rollups_sessions.install(schema_editor)
        rollups_sessions.rebuild(schema_editor.connection.alias)


def uninstall(apps, schema_editor):
    rollups_sessions.uninstall(schema_editor)


def count(name):
    return migrations.AddField(model_name="sessionrollup", name=name, field=models.PositiveIntegerField(default=0))


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_sessionrollup")]

    operations = [
        *(
            count(f"{field}_{score}")
            for field in ("content_score", "trainer_score", "organisation_score")
            for score in range(1, 6)
        ),
        count("written"),
        migrations.RunPython(install, uninstall),
    ]
