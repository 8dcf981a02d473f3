"""``reports.rollups.bulk.paused``: a bulk load writes past the triggers and leaves every rollup equal to the rows."""

import pytest

from courses.models import Registration, RegistrationStatus
from reports.models import PersonRollup, SessionRollup
from reports.rollups import bulk
from reports.rollups import people as person_rollups
from reports.rollups import sessions as session_rollups
from reports.rollups import surveys as survey_rollups

from ..conftest import make_session, person, register

pytestmark = pytest.mark.django_db


def assert_rollups_equal_rows():
    assert person_rollups.differences() == []
    assert session_rollups.differences() == []
    assert survey_rollups.differences() == []


def test_rows_written_while_paused_are_counted_when_the_block_ends(course):
    earlier = register(make_session(course), person())
    session = make_session(course)
    people = [person() for _ in range(5)]
    with bulk.paused():
        Registration.objects.bulk_create(
            Registration(session=session, user=someone, status=RegistrationStatus.CONFIRMED) for someone in people
        )
        Registration.objects.filter(pk=earlier.pk).update(status=RegistrationStatus.CANCELLED)
        # The triggers are off: nothing of this is in the rollups yet.
        assert not SessionRollup.objects.filter(session=session).exists()
        assert PersonRollup.objects.filter(user=earlier.user).exists()
    assert SessionRollup.objects.get(session=session).participants == 5
    assert not PersonRollup.objects.filter(user=earlier.user).exists()
    assert_rollups_equal_rows()
    # The triggers are back.
    later = register(session, person())
    assert PersonRollup.objects.get(user=later.user).registrations == 1
    assert SessionRollup.objects.get(session=session).participants == 6
    assert_rollups_equal_rows()


def test_a_failed_load_leaves_the_triggers_and_the_rollups_as_they_were(course):
    session = make_session(course)
    register(session, person())
    with pytest.raises(RuntimeError), bulk.paused():
        Registration.objects.create(session=session, user=person(), status=RegistrationStatus.CONFIRMED)
        raise RuntimeError("the generator failed")
    assert Registration.objects.filter(session=session).count() == 1
    assert SessionRollup.objects.get(session=session).participants == 1
    register(session, person())
    assert SessionRollup.objects.get(session=session).participants == 2
    assert_rollups_equal_rows()
