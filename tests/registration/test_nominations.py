"""Nomination by municipalities (courses/services/nominations.py): officers nominate and approve their own people."""

import pytest

from academy.errors import DomainError, NotFoundError, PermissionDeniedError
from academy.models import MunicipalityOfficer
from courses.models import SessionQuota
from courses.services import nominations
from courses.services import registration as service
from tests import factories

from .conftest import make_session


@pytest.fixture
def kyshtut(db):
    return factories.municipality("kyshtut")


@pytest.fixture
def officer(kyshtut):
    user = factories.participant(profile__municipality=kyshtut, profile__position="Кадрлар боюнча адис")
    MunicipalityOfficer.objects.create(user=user, municipality=kyshtut, role="hr")
    return user


@pytest.fixture
def other_officer(db):
    user = factories.participant(profile__municipality=factories.municipality("suu_bashy"))
    MunicipalityOfficer.objects.create(user=user, municipality=factories.municipality("suu_bashy"), role="head")
    return user


@pytest.fixture
def staff(kyshtut):
    return factories.participant(profile__municipality=kyshtut)


@pytest.fixture
def outsider(db):
    return factories.participant(profile__municipality=factories.municipality("suu_bashy"))


@pytest.fixture
def municipal_session(course, trainer, clock):
    return make_session(course, capacity=3, trainers=[trainer], requires_municipality_approval=True)


def test_an_officer_nominates_their_staff(session, officer, staff):
    registration = nominations.nominate(session, staff.pk, actor=officer)
    assert registration.status == "confirmed"
    assert registration.source == "nomination"
    assert registration.municipality_approved_by == officer
    assert registration.decided_by == officer


def test_an_officer_cannot_nominate_someone_of_another_municipality(session, officer, outsider):
    with pytest.raises(NotFoundError):
        nominations.nominate(session, outsider.pk, actor=officer)
    assert not session.registrations.exists()


def test_a_participant_or_trainer_cannot_nominate(session, staff, participant, trainer):
    for actor in (participant, trainer):
        with pytest.raises(PermissionDeniedError):
            nominations.nominate(session, staff.pk, actor=actor)
    assert not session.registrations.exists()


def test_nomination_respects_the_quota(course, clock, officer, kyshtut):
    session = make_session(course, capacity=5)
    SessionQuota.objects.create(session=session, municipality=kyshtut, seats=1)
    people = [factories.participant(profile__municipality=kyshtut) for _ in range(2)]
    statuses = [nominations.nominate(session, person.pk, actor=officer).status for person in people]
    assert statuses == ["confirmed", "waitlisted"]


def test_nomination_follows_the_participant_rules(course, clock, officer, staff):
    closed = make_session(course, status="closed")
    with pytest.raises(DomainError) as error:
        nominations.nominate(closed, staff.pk, actor=officer)
    assert error.value.code == "registration_closed"
    draft = make_session(course, status="draft")
    with pytest.raises(NotFoundError):
        nominations.nominate(draft, staff.pk, actor=officer)
    nominations.nominate(make_session(course), staff.pk, actor=officer)


def test_nominating_twice_is_refused(session, officer, staff):
    nominations.nominate(session, staff.pk, actor=officer)
    with pytest.raises(DomainError) as error:
        nominations.nominate(session, staff.pk, actor=officer)
    assert error.value.code == "duplicate"
    assert session.registrations.count() == 1


def test_an_incomplete_profile_is_named(session, officer, kyshtut):
    person = factories.participant(profile__municipality=kyshtut, profile__gender="")
    with pytest.raises(DomainError) as error:
        nominations.nominate(session, person.pk, actor=officer)
    assert error.value.code == "profile_incomplete"
    assert person.profile.full_name in str(error.value.message)


def test_a_nomination_skips_the_municipality_approval_but_not_the_academy_one(course, clock, officer, staff):
    both = make_session(course, requires_approval=True, requires_municipality_approval=True)
    registration = nominations.nominate(both, staff.pk, actor=officer)
    assert registration.status == "pending"
    assert registration.municipality_approved_at is not None


# --- approvals --------------------------------------------------------------------------------------


def test_self_registration_waits_for_the_municipality(municipal_session, staff, officer):
    registration = service.register(municipal_session, staff)
    assert registration.status == "pending"
    assert list(nominations.pending_approvals(nominations.require_officer(officer))) == [registration]
    approved = nominations.approve(registration.pk, actor=officer)
    assert approved.status == "confirmed"
    assert approved.municipality_approved_by == officer


def test_self_registration_without_a_municipality_is_refused(municipal_session):
    person = factories.participant()
    with pytest.raises(DomainError) as error:
        service.register(municipal_session, person)
    assert error.value.code == "municipality_required"
    assert not municipal_session.registrations.exists()


def test_an_officer_sees_and_decides_only_their_own_municipality(
    municipal_session, staff, outsider, officer, other_officer
):
    own = service.register(municipal_session, staff)
    theirs = service.register(municipal_session, outsider)
    assert list(nominations.pending_approvals(nominations.require_officer(officer))) == [own]
    with pytest.raises(NotFoundError):
        nominations.approve(theirs.pk, actor=officer)
    with pytest.raises(NotFoundError):
        nominations.reject(theirs.pk, actor=officer)
    theirs.refresh_from_db()
    assert theirs.status == "pending"
    assert nominations.reject(theirs.pk, actor=other_officer, note="Кийинки жолу").status == "rejected"


def test_approval_by_the_municipality_passes_on_to_the_academy_when_it_approves_too(course, clock, staff, officer):
    both = make_session(course, requires_approval=True, requires_municipality_approval=True)
    registration = service.register(both, staff)
    approved = nominations.approve(registration.pk, actor=officer)
    assert approved.status == "pending" and approved.municipality_approved_at is not None
    assert list(nominations.pending_approvals(nominations.require_officer(officer))) == []


def test_approval_in_a_full_session_waitlists(course, clock, kyshtut, officer):
    session = make_session(course, capacity=1, requires_municipality_approval=True)
    people = [factories.participant(profile__municipality=kyshtut) for _ in range(2)]
    pending = [service.register(session, person) for person in people]
    assert [nominations.approve(registration.pk, actor=officer).status for registration in pending] == [
        "confirmed",
        "waitlisted",
    ]


def test_a_decided_registration_cannot_be_decided_again(municipal_session, staff, officer):
    registration = service.register(municipal_session, staff)
    nominations.reject(registration.pk, actor=officer)
    with pytest.raises(NotFoundError):
        nominations.approve(registration.pk, actor=officer)


def test_a_participant_cannot_approve(municipal_session, staff, participant):
    registration = service.register(municipal_session, staff)
    with pytest.raises(PermissionDeniedError):
        nominations.approve(registration.pk, actor=participant)
    with pytest.raises(PermissionDeniedError):
        nominations.approve(registration.pk, actor=staff)


def test_the_session_page_says_up_front_that_a_municipality_is_needed(municipal_session, staff):
    person = factories.participant()
    state = service.registration_state(municipal_session, person)
    assert not state.can_register and state.reason_code == "municipality_required"
    assert service.registration_state(municipal_session, staff).can_register
