"""One GIN index of the tsvector per language (partial), instead of one for all: a search reads only its own
language's matches (before, both languages' rows were read and half thrown away). PostgreSQL only."""

from django.db import migrations

LANGUAGES = ("ky", "ru", "en")


class PostgresOnly(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("site_search", "0001_initial")]

    operations = [
        *(
            PostgresOnly(
                f"CREATE INDEX IF NOT EXISTS searchdoc_vector_{language} ON site_search_searchdocument "
                f"USING gin (vector) WHERE language = '{language}'",
                f"DROP INDEX IF EXISTS searchdoc_vector_{language}",
            )
            for language in LANGUAGES
        ),
        PostgresOnly(
            "DROP INDEX IF EXISTS searchdoc_vector",
            "CREATE INDEX searchdoc_vector ON site_search_searchdocument USING gin (vector)",
        ),
    ]
