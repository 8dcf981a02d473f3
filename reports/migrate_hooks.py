"""SQLite: the rollup triggers are taken off during ``migrate`` and put back after it.

Django's SQLite schema editor rebuilds a table to alter it (create ``new__x``, copy, drop ``x``,
rename ``new__x`` to ``x``). SQLite checks every trigger of the schema at the rename, and the
rollup triggers on other tables name the dropped one: "error in trigger ...: no such table"; the
rebuilt table also loses its own triggers. So on SQLite the rollup migrations (0004–0010) install nothing;
``pre_migrate`` drops the triggers, ``post_migrate`` installs them again and recomputes every
rollup row (writes made while they were off are counted). Both are idempotent. PostgreSQL alters
tables in place: its triggers stay, installed by the migrations.
"""

from django.db import connections

from reports.rollups.bulk import MODULES, reinstall, remove

_SOURCES = {
    "academy_profile",
    "courses_registration",
    "courses_session",
    "courses_session_trainers",
    "reports_feedback",
    "reports_surveyanswer",
    "wagtailcore_page",
}


def drop_sqlite_triggers(using="default", **kwargs):
    if connections[using].vendor == "sqlite":
        remove(using)


def install_sqlite_triggers(using="default", **kwargs):
    connection = connections[using]
    if connection.vendor != "sqlite":
        return  # PostgreSQL: the migrations installed them
    tables = set(connection.introspection.table_names())
    # A rollup whose migrations are not all applied (yet, or any more: a test migrating back) is left alone.
    reinstall(
        using, [module for module in MODULES if tables >= {*getattr(module, "TABLES", [module.TABLE]), *_SOURCES}]
    )
