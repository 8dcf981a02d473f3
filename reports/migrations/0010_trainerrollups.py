"""People per trainer: a row per person and trainer, recomputed with the person's row (reports/rollups/people.py,
whose triggers are put in again), and a count per trainer kept by triggers on them (reports/rollups/trainers.py)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from reports.rollups import people, trainers


def install(apps, schema_editor):
    # SQLite: installed after every migrate instead (reports/migrate_hooks.py).
    if schema_editor.connection.vendor != "sqlite":
        people.uninstall(schema_editor)
        people.install(schema_editor)
        trainers.install(schema_editor)
        people.rebuild(schema_editor.connection.alias)
        trainers.rebuild(schema_editor.connection.alias)


def uninstall(apps, schema_editor):
    # The per-person triggers write the person × trainer table this migration's reversal drops: they go too (a
    # table rebuild of the migrations reversed next would trip over them on SQLite). Migrating forward again puts
    # them back and recomputes every row.
    trainers.uninstall(schema_editor)
    people.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("academy", "0010_officers_for_admins"),
        ("reports", "0009_peoplegrouprollup"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TrainerRollup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("people", models.IntegerField()),
                (
                    "trainer",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "db_table": "reports_trainerrollup",
            },
        ),
        migrations.CreateModel(
            name="TrainerPersonRollup",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "user_id", "trainer_id", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("sessions", models.PositiveIntegerField()),
                (
                    "trainer",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "db_table": "reports_trainerpersonrollup",
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
