"""Officers hear that self-registrations of their municipality wait for them: once per new arrival, counted."""

import pytest

from academy.models import MunicipalityOfficer, OutboxEmail
from courses.services import registration as service
from courses.tasks.municipality import send_officer_digests
from tests import factories

from .conftest import make_session

pytestmark = pytest.mark.django_db


def test_the_officer_hears_once_per_new_registration_and_only_of_their_municipality(course, clock):
    kyshtut = factories.municipality("kyshtut")
    officer = factories.participant(profile__municipality=kyshtut, profile__preferred_language="ru")
    MunicipalityOfficer.objects.create(user=officer, municipality=kyshtut)
    other = factories.participant(profile__municipality=factories.municipality("suu_bashy"))
    MunicipalityOfficer.objects.create(user=other, municipality=factories.municipality("suu_bashy"))
    session = make_session(course, requires_municipality_approval=True)
    for _ in range(2):
        service.register(session, factories.participant(profile__municipality=kyshtut), notify=False)
    assert send_officer_digests.apply().get() == 1
    assert send_officer_digests.apply().get() == 0  # run twice: nothing new
    service.register(session, factories.participant(profile__municipality=kyshtut), notify=False)
    assert send_officer_digests.apply().get() == 1
    emails = list(OutboxEmail.objects.filter(key__startswith="municipality-digest:").order_by("pk"))
    assert [email.to for email in emails] == [officer.email, officer.email]  # not the Suu-Bashy officer
    assert emails[1].subject.startswith("3 ")
    assert "/ru/municipality/approvals/" in emails[1].body_text


def test_nothing_waiting_sends_nothing(course, clock):
    make_session(course, requires_municipality_approval=True)
    assert send_officer_digests.apply().get() == 0


def test_trainers_hear_of_a_registration_only_once_the_municipality_approved_it(course, trainer, clock):
    from courses.services import nominations
    from courses.tasks.registration import send_pending_digests

    kyshtut = factories.municipality("kyshtut")
    officer = factories.participant(profile__municipality=kyshtut)
    MunicipalityOfficer.objects.create(user=officer, municipality=kyshtut)
    session = make_session(course, trainers=[trainer], requires_approval=True, requires_municipality_approval=True)
    registration = service.register(session, factories.participant(profile__municipality=kyshtut), notify=False)
    assert send_pending_digests.apply().get() == 0  # the officer decides first
    nominations.approve(registration.pk, actor=officer)
    assert send_pending_digests.apply().get() == 1
    # A municipality without an officer: the trainers hear at once, nobody else could decide.
    service.register(
        session, factories.participant(profile__municipality=factories.municipality("ak_sai")), notify=False
    )
    assert send_pending_digests.apply().get() == 1
