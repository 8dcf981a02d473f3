"""Loading many rows at once: the rollup triggers off while the rows are written, every rollup rebuilt after.

A trigger recomputes every session of each person a statement touches (their "first session" flags depend
on each other), so a generator that writes a year of registrations in 5,000-row statements recomputes the
whole table again and again. ``paused()`` drops the triggers, lets the block write, puts them back and
rebuilds each rollup with one INSERT … SELECT, in the caller's transaction: a failure leaves the triggers
and the rollups as they were (PostgreSQL's DDL is transactional; SQLite's too). Other writers wait for the
block (PostgreSQL's DROP TRIGGER locks the tables), so nothing is written past the triggers.
"""

from contextlib import contextmanager

from django.db import connections, transaction

from . import groups, people, sessions, surveys, trainers

#: In rebuild order: the groups and the trainers' counts sum the per-person rows.
MODULES = (people, groups, trainers, sessions, surveys)


class SchemaCursor:
    """What a rollup's install() and uninstall() need of a schema editor, on a plain cursor (usable inside
    ``atomic()``, where SQLite's schema editor is not)."""

    def __init__(self, connection):
        self.connection = connection

    def execute(self, sql, params=None):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)


def remove(using="default"):
    """Take every rollup's triggers out (the tables stay, no longer kept)."""
    editor = SchemaCursor(connections[using])
    for module in MODULES:
        module.uninstall(editor)


def reinstall(using="default", modules=MODULES):
    """Put the triggers of `modules` in again and recompute their tables from the rows."""
    editor = SchemaCursor(connections[using])
    for module in modules:
        module.uninstall(editor)
        module.install(editor)
        module.rebuild(using)


@contextmanager
def paused(using="default"):
    """The rollup triggers off inside the block; then back on and every rollup rebuilt (one transaction)."""
    with transaction.atomic(using=using):
        remove(using)
        yield
        reinstall(using)


def fold(using="default"):
    """Fold the append-only counters (``groups``, ``trainers``): one row per group and per trainer."""
    with transaction.atomic(using=using):
        groups.fold(using)
        trainers.fold(using)
