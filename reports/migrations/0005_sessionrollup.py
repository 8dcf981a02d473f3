"""Per-session rollups of participant registrations and answers, kept by triggers (reports/rollups_sessions.py)."""

import django.db.models.deletion
from django.db import migrations, models

from reports import rollups_sessions


def install(apps, schema_editor):
    # SQLite: installed after every migrate instead (reports/migrate_hooks.py), so that no later
    # table rebuild of a migration trips over them.
    if schema_editor.connection.vendor != "sqlite":
        rollups_sessions.install(schema_editor)
        rollups_sessions.rebuild(schema_editor.connection.alias)


def uninstall(apps, schema_editor):
    rollups_sessions.uninstall(schema_editor)


def count(name):
    return (name, models.PositiveIntegerField())


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0018_course_article_links"),
        ("reports", "0004_personrollup"),
    ]

    operations = [
        migrations.CreateModel(
            name="SessionRollup",
            fields=[
                (
                    "session",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="courses.session",
                    ),
                ),
                *map(count, rollups_sessions.COLUMNS),
            ],
            options={"db_table": "reports_sessionrollup"},
        ),
        migrations.RunPython(install, uninstall),
    ]
