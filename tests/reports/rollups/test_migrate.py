"""SQLite: a migration that rebuilds a table the rollup triggers read must not stop ``migrate``.

Django's SQLite schema editor remakes a table to alter it (new__x, copy, drop x, rename). With the
triggers in place the rename failed ("error in trigger ...: no such table: main.courses_registration")
and the rebuilt table lost its own triggers. ``pre_migrate`` now drops them and ``post_migrate``
installs them again and recomputes the rows (reports/migrate_hooks.py).
"""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from courses.models import Registration
from reports import migrate_hooks
from reports.models import PersonRollup, SessionRollup
from reports.rollups import people as person_rollups
from reports.rollups import sessions as session_rollups

from ..conftest import make_session, person, register

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite table rebuilds")

TRIGGERS = 7 + 6 + 3 + 8 + 7  # per person (and trainer), people per group, per trainer, per session, survey tallies


def triggers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'reports_%'")
        return cursor.fetchone()[0]


def assert_rollups_follow_writes(course):
    session = make_session(course)
    registration = register(session, person())
    assert PersonRollup.objects.get(user=registration.user).registrations == 1
    assert SessionRollup.objects.get(session=session).participants == 1
    Registration.objects.filter(pk=registration.pk).update(status="cancelled")
    assert not PersonRollup.objects.filter(user=registration.user).exists()
    assert person_rollups.differences() == []
    assert session_rollups.differences() == []


@pytest.mark.django_db
def test_the_test_database_made_by_migrate_has_the_triggers(course):
    assert triggers() == TRIGGERS
    assert_rollups_follow_writes(course)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_table_rebuild_between_the_migrate_hooks_keeps_the_rollups(course):
    earlier = register(make_session(course), person())
    reports = apps.get_app_config("reports")
    migrate_hooks.drop_sqlite_triggers(app_config=reports, using="default")
    try:
        assert triggers() == 0
        with connection.schema_editor() as editor:  # what an AlterField of courses_registration does
            editor._remake_table(Registration)
        Registration.objects.filter(pk=earlier.pk).update(status="cancelled")  # while the triggers are off
    finally:
        migrate_hooks.install_sqlite_triggers(app_config=reports, using="default")
    assert triggers() == TRIGGERS
    assert not PersonRollup.objects.filter(user=earlier.user).exists()  # recomputed after migrate
    assert_rollups_follow_writes(course)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migrate_again_is_harmless(course):
    register(make_session(course), person())
    call_command("migrate", verbosity=0)
    call_command("migrate", verbosity=0)
    assert triggers() == TRIGGERS
    assert person_rollups.differences() == []
    assert session_rollups.differences() == []
    assert_rollups_follow_writes(course)
