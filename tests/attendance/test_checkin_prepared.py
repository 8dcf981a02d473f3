"""The check-in's registration query is compiled once per process (academy.prepared, issue #17): what it gives
must be what the ORM gives — the registration, its session, the course's rules and the two completion deciders."""

import pytest

from courses.models import Registration
from courses.services import checkin
from courses.services import completion as completion_service

pytestmark = pytest.mark.django_db


def orm_registration(session, user):
    return (
        completion_service.annotate_deciders(Registration.objects.select_related("session__course"))
        .filter(session=session, user=user)
        .get()
    )


def fields(instance, names):
    return {name: getattr(instance, name) for name in names}


def assert_same(prepared, expected):
    for model, prefix, got, want in (
        (Registration, "", prepared, expected),
        (type(expected.session), "session__", prepared.session, expected.session),
        (type(expected.session.course), "session__course__", prepared.session.course, expected.session.course),
    ):
        names, _keys = checkin._row_columns(model, prefix)
        assert fields(got, names) == fields(want, names), model
    assert prepared.has_completion_override == expected.has_completion_override
    assert prepared.has_accepted_assignment == expected.has_accepted_assignment
    assert prepared.session.course.pk == expected.session.course.pk
    assert prepared._state.adding is False and prepared.session._state.db == "default"


def test_the_prepared_row_equals_the_orms(session, registration, participant):
    prepared = checkin._registration_with_session(session.pk, participant)
    assert_same(prepared, orm_registration(session, participant))
    assert prepared.has_completion_override is False and prepared.has_accepted_assignment is False
    assert set(checkin._row_columns(type(session.course), "session__course__")[0]) >= {"attendance_granularity"}


def test_the_deciders_are_read_for_the_person(session, registration, participant, trainer):
    completion_service.override_completion(registration, completed=True, reason="Болгон", by=trainer)
    prepared = checkin._registration_with_session(session.pk, participant)
    assert prepared.has_completion_override is True
    assert_same(prepared, orm_registration(session, participant))


def test_someone_without_a_registration_gets_none(session, other_participant):
    assert checkin._registration_with_session(session.pk, other_participant) is None
    assert checkin._registration_with_session(10**9, other_participant) is None
