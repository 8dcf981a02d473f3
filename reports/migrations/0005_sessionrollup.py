"""Per-session rollups of participant registrations and answers, kept by triggers (reports/rollups/sessions.py)."""

import django.db.models.deletion
from django.db import migrations, models

from reports.rollups import sessions as rollups_sessions

#: The columns this migration creates; 0006 adds more, and installs the triggers that fill them all.
COLUMNS = (
    "participants",
    "completed",
    "attendance_recorded",
    "attendance_sum",
    "answers",
    "content_total",
    "trainer_total",
    "organisation_total",
    "new_in_course",
    "new_in_month",
)


def install(apps, schema_editor):
    # Nothing: the triggers write every column of the model, and 0006 adds some; it installs them (PostgreSQL).
    # SQLite: installed after every migrate instead (reports/migrate_hooks.py), so that no later
    # table rebuild of a migration trips over them.
    pass


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
                *map(count, COLUMNS),
            ],
            options={"db_table": "reports_sessionrollup"},
        ),
        migrations.RunPython(install, uninstall),
    ]
