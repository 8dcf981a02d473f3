"""Per-session tallies of the answers to the academy's own survey questions, and the triggers that keep them
(reports/rollups/surveys.py)."""

import django.db.models.deletion
from django.db import migrations, models

from reports.rollups import surveys as rollups_surveys


def install(apps, schema_editor):
    # SQLite: installed after every migrate instead (reports/migrate_hooks.py).
    if schema_editor.connection.vendor != "sqlite":
        rollups_surveys.install(schema_editor)
        rollups_surveys.rebuild(schema_editor.connection.alias)


def uninstall(apps, schema_editor):
    rollups_surveys.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0018_course_article_links"),
        ("reports", "0006_sessionrollup_score_counts"),
    ]

    operations = [
        migrations.CreateModel(
            name="SurveyRollup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("option", models.SmallIntegerField()),
                ("answers", models.PositiveIntegerField()),
                ("total", models.PositiveIntegerField(default=0)),
                ("written", models.PositiveIntegerField(default=0)),
                (
                    "question",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="reports.surveyquestion",
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="courses.session",
                    ),
                ),
            ],
            options={
                "db_table": "reports_surveyrollup",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("session", "question", "option"), name="surveyrollup_one_row_per_option"
                    )
                ],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
