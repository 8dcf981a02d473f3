"""Per-person rollups of participant registrations, kept current by triggers (reports/rollups/people.py)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from reports.rollups import people as rollups


def install(apps, schema_editor):
    # SQLite: installed after every migrate instead (reports/migrate_hooks.py), so that no later
    # table rebuild of a migration trips over them.
    if schema_editor.connection.vendor != "sqlite":
        rollups.install(schema_editor)
        rollups.rebuild_people(schema_editor.connection.alias)


def uninstall(apps, schema_editor):
    rollups.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("courses", "0018_course_article_links"),
        ("reports", "0003_default_survey"),
    ]

    operations = [
        migrations.CreateModel(
            name="PersonRollup",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("registrations", models.PositiveIntegerField()),
                ("completed", models.PositiveIntegerField()),
                ("first_start", models.DateTimeField()),
            ],
            options={"db_table": "reports_personrollup"},
        ),
        migrations.RunPython(install, uninstall),
    ]
