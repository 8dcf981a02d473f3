"""The per-session rollup's triggers again (reports/rollups_sessions.py): a change of a participant's completion or
attendance alone recounts their session's counts, without recomputing the "first session" flags of every session
of the person (a check-in). The rows stay as they are: the same figures."""

from django.db import migrations

from reports import rollups_sessions


def reinstall(apps, schema_editor):
    # SQLite: installed after every migrate instead (reports/migrate_hooks.py).
    if schema_editor.connection.vendor != "sqlite":
        rollups_sessions.uninstall(schema_editor)
        rollups_sessions.install(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("reports", "0007_surveyrollup")]

    operations = [migrations.RunPython(reinstall, reinstall)]
