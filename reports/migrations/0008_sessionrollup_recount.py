"""The rollup triggers again (reports/rollups/): a change of a
participant's completion or attendance alone recounts their session's counts, without recomputing the "first
session" flags of every session of the person (a check-in); a write that moves nothing is checked and left; and a
statement of more than a hundred rows plans its queries anew instead of reusing a plan made for one row. The rows
stay as they are: the same figures."""

from django.db import migrations

from reports.rollups import people, sessions, surveys


def reinstall(apps, schema_editor):
    # SQLite: installed after every migrate instead (reports/migrate_hooks.py).
    if schema_editor.connection.vendor != "sqlite":
        for module in (people, sessions, surveys):
            module.uninstall(schema_editor)
            module.install(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("reports", "0007_surveyrollup")]

    operations = [migrations.RunPython(reinstall, reinstall)]
