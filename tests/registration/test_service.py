from datetime import timedelta

import pytest
from django.utils import timezone, translation

from academy.errors import DomainError, NotFoundError, PermissionDeniedError
from academy.models import OutboxEmail, Profile
from courses.models import Registration, RegistrationSource, RegistrationStatus
from courses.services import registration as service
from tests import factories

pytestmark = pytest.mark.django_db


def statuses(session):
    return list(session.registrations.order_by("created_at", "pk").values_list("status", flat=True))


def test_confirmed_while_seats_are_free_then_waitlisted(session, make_participant, register):
    people = [make_participant() for _ in range(5)]
    results = [register(session, person).status for person in people]
    assert results == ["confirmed"] * 3 + ["waitlisted"] * 2
    assert list(session.registrations.waitlist().values_list("user", flat=True)) == [people[3].pk, people[4].pk]


def test_a_session_needing_approval_makes_registrations_pending(approval_session, participant, register):
    assert register(approval_session, participant).status == RegistrationStatus.PENDING


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"consent_given_at": None}, "profile_incomplete"),
        ({"gender": ""}, "profile_incomplete"),
        ({"organization_kind": ""}, "profile_incomplete"),
    ],
)
def test_an_incomplete_profile_is_asked_to_be_completed(session, participant, register, change, code):
    Profile.objects.filter(user=participant).update(**change)
    with pytest.raises(DomainError) as error:
        register(session, participant)
    assert error.value.code == code
    assert not Registration.objects.exists()


def test_a_person_without_a_profile_is_asked_to_complete_it(session, register):
    user = factories.UserFactory(profile=None)
    Profile.objects.filter(user=user).delete()
    with pytest.raises(DomainError) as error:
        register(session, user)
    assert error.value.code == "profile_incomplete"


def test_eligibility_by_organisation_kind(session, make_participant, register):
    session.eligible_organization_kinds = ["local_council"]
    session.save()
    with translation.override("en"), pytest.raises(DomainError) as error:
        register(session, make_participant(organization_kind="ayil_okmotu"))
    assert error.value.code == "not_eligible"
    assert "Local council" in str(error.value)
    assert register(session, make_participant(organization_kind="local_council")).status == "confirmed"


@pytest.mark.parametrize(
    ("fields", "error_class", "code"),
    [
        ({"status": "draft"}, NotFoundError, "not_found"),
        ({"status": "closed"}, DomainError, "registration_closed"),
        ({"status": "cancelled"}, DomainError, "session_cancelled"),
        ({"status": "completed"}, DomainError, "session_past"),
        (
            {"starts_at": factories.bishkek(2026, 11, 20), "ends_at": factories.bishkek(2026, 11, 21)},
            DomainError,
            "session_past",
        ),
        (
            {"starts_at": factories.bishkek(2026, 12, 1, 8), "ends_at": factories.bishkek(2026, 12, 2)},
            DomainError,
            "session_started",
        ),
        ({"registration_opens_at": factories.bishkek(2026, 12, 5)}, DomainError, "registration_not_open"),
        ({"registration_closes_at": factories.bishkek(2026, 11, 30)}, DomainError, "registration_closed"),
    ],
)
def test_sessions_that_take_no_registration(session, participant, register, fields, error_class, code):
    for key, value in fields.items():
        setattr(session, key, value)
    session.save()
    with translation.override("ru"), pytest.raises(error_class) as error:
        register(session, participant)
    assert error.value.code == code
    assert str(error.value)
    assert not Registration.objects.exists()


def test_inside_the_registration_window(session, participant, register):
    session.registration_opens_at = factories.bishkek(2026, 11, 25)
    session.registration_closes_at = factories.bishkek(2026, 12, 10)
    session.save()
    assert register(session, participant).status == "confirmed"


def test_registering_twice_is_refused(session, participant, register):
    register(session, participant)
    with pytest.raises(DomainError) as error:
        register(session, participant)
    assert error.value.code == "duplicate"
    assert Registration.objects.count() == 1


def test_coming_back_after_own_cancellation_reuses_the_row_at_the_end_of_the_queue(
    session, make_participant, register, clock
):
    people = [make_participant() for _ in range(5)]
    for person in people:
        register(session, person)
        clock.shift(timedelta(seconds=1))
    waitlisted = Registration.objects.get(user=people[3])
    service.cancel(waitlisted, actor=people[3])
    clock.shift(timedelta(seconds=1))
    again = register(session, people[3])
    assert again.pk == waitlisted.pk
    assert again.status == "waitlisted"
    assert list(session.registrations.waitlist().values_list("user", flat=True)) == [people[4].pk, people[3].pk]
    assert Registration.objects.count() == 5


def test_a_rejected_person_cannot_register_again(approval_session, participant, admin_user, register):
    registration = register(approval_session, participant)
    service.reject_one(registration, actor=admin_user, note="Not a municipal servant")
    with pytest.raises(DomainError) as error:
        register(approval_session, participant)
    assert error.value.code == "rejected"


def test_after_an_organiser_cancelled_the_person_cannot_come_back_alone(session, participant, admin_user, register):
    registration = register(session, participant)
    service.cancel(registration, actor=admin_user, reason="Duplicate")
    with pytest.raises(DomainError) as error:
        register(session, participant)
    assert error.value.code == "cancelled_by_organiser"


# --- cancellation -------------------------------------------------------------------------------


def test_owner_cancels_before_the_start(session, participant, register):
    registration = service.cancel(register(session, participant), actor=participant)
    assert registration.status == "cancelled"
    assert registration.decided_by == participant


def test_owner_cannot_cancel_after_the_start(session, participant, register, clock):
    registration = register(session, participant)
    clock.move_to(factories.bishkek(2026, 12, 15, 10))
    with pytest.raises(DomainError) as error:
        service.cancel(registration, actor=participant)
    assert error.value.code == "session_started"
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_admin_cancels_any_time(session, participant, admin_user, register, clock):
    registration = register(session, participant)
    clock.move_to(factories.bishkek(2026, 12, 15, 10))
    assert service.cancel(registration, actor=admin_user).status == "cancelled"


def test_trainer_of_the_session_cancels_with_a_reason(session, participant, trainer, register):
    registration = register(session, participant)
    with pytest.raises(DomainError) as error:
        service.cancel(registration, actor=trainer)
    assert error.value.code == "reason_required"
    registration = service.cancel(registration, actor=trainer, reason="Did not confirm by phone")
    assert registration.status == "cancelled"
    assert registration.decision_note == "Did not confirm by phone"


@pytest.mark.parametrize("who", ["other_participant", "other_trainer"])
def test_others_cannot_cancel(session, participant, register, request, who):
    registration = register(session, participant)
    with pytest.raises(PermissionDeniedError):
        service.cancel(registration, actor=request.getfixturevalue(who), reason="x")
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_cancelling_twice_is_refused(session, participant, register):
    registration = service.cancel(register(session, participant), actor=participant)
    with pytest.raises(DomainError) as error:
        service.cancel(registration, actor=participant)
    assert error.value.code == "not_active"


# --- waitlist promotion ---------------------------------------------------------------------------


def test_a_freed_seat_goes_to_the_first_on_the_waitlist(session, make_participant, register, run_on_commit, mailoutbox):
    people = [make_participant() for _ in range(5)]
    for person in people:
        register(session, person)
    first = Registration.objects.get(user=people[0])
    run_on_commit(service.cancel, first, actor=people[0])
    assert Registration.objects.get(user=people[3]).status == "confirmed"
    assert Registration.objects.get(user=people[4]).status == "waitlisted"
    assert session.registrations.confirmed().count() == 3
    promoted_mail = [message for message in mailoutbox if people[3].email in message.to]
    assert len(promoted_mail) == 1


def test_promotion_is_safe_to_run_twice(session, make_participant, register):
    people = [make_participant() for _ in range(5)]
    for person in people:
        register(session, person)
    Registration.objects.filter(user=people[0]).update(status="cancelled")
    assert [r.user for r in service.promote_waitlist(session.pk)] == [people[3]]
    assert service.promote_waitlist(session.pk) == []
    assert session.registrations.confirmed().count() == 3


def test_no_promotion_for_a_cancelled_or_past_session(session, make_participant, register, clock):
    people = [make_participant() for _ in range(4)]
    for person in people:
        register(session, person)
    Registration.objects.filter(user=people[0]).update(status="cancelled")
    session.status = "cancelled"
    session.save()
    assert service.promote_waitlist(session.pk) == []
    session.status = "open"
    session.save()
    clock.move_to(factories.bishkek(2026, 12, 20))
    assert service.promote_waitlist(session.pk) == []


def test_capacity_raised_then_the_beat_safety_net_promotes(session, make_participant, register):
    from courses.tasks.registration import promote_waitlists

    people = [make_participant() for _ in range(5)]
    for person in people:
        register(session, person)
    session.capacity = 4
    session.save()
    assert promote_waitlists.apply().get() == {session.pk: 1}
    assert promote_waitlists.apply().get() == {}
    assert Registration.objects.get(user=people[3]).status == "confirmed"


# --- approval ------------------------------------------------------------------------------------


def test_approving_confirms_in_arrival_order_then_waitlists(
    approval_session, make_participant, register, trainer, clock
):
    people = [make_participant() for _ in range(3)]
    pending = []
    for person in people:
        pending.append(register(approval_session, person))
        clock.shift(timedelta(seconds=1))
    decision = service.approve(approval_session, [r.pk for r in reversed(pending)], actor=trainer)
    assert [r.user for r in decision.changed] == people
    assert statuses(approval_session) == ["confirmed", "confirmed", "waitlisted"]
    assert approval_session.registrations.confirmed().count() == 2


def test_approve_skips_what_is_not_pending(approval_session, participant, admin_user, register):
    registration = register(approval_session, participant)
    service.approve_one(registration, actor=admin_user)
    with pytest.raises(DomainError) as error:
        service.approve_one(registration, actor=admin_user)
    assert error.value.code == "invalid_status"


def test_reject_with_a_note(approval_session, participant, trainer, register):
    registration = service.reject_one(register(approval_session, participant), actor=trainer, note="Quota is full")
    assert registration.status == "rejected"
    assert registration.decided_by == trainer


@pytest.mark.parametrize("who", ["other_trainer", "other_participant", "participant"])
def test_only_trainers_of_the_session_and_admins_decide(approval_session, participant, register, request, who):
    registration = register(approval_session, participant)
    with pytest.raises(PermissionDeniedError):
        service.approve_one(registration, actor=request.getfixturevalue(who))
    with pytest.raises(PermissionDeniedError):
        service.reject_one(registration, actor=request.getfixturevalue(who))
    registration.refresh_from_db()
    assert registration.status == "pending"


def test_organiser_enrolment_skips_approval_but_not_capacity(approval_session, make_participant, admin_user):
    people = [make_participant() for _ in range(3)]
    results = [service.enrol(approval_session, person, actor=admin_user).status for person in people]
    assert results == ["confirmed", "confirmed", "waitlisted"]
    assert Registration.objects.filter(source=RegistrationSource.ADMIN).count() == 3


def test_a_trainer_cannot_enrol_people_into_another_session(session, participant, other_trainer):
    with pytest.raises(PermissionDeniedError):
        service.enrol(session, participant, actor=other_trainer)


# --- e-mails -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "subject_word"), [("ky", "орун"), ("ru", "мест"), ("en", "place")])
def test_confirmation_email_in_the_participant_language(
    session, make_participant, register, run_on_commit, mailoutbox, language, subject_word
):
    person = make_participant(preferred_language=language)
    run_on_commit(register, session, person)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [person.email]
    assert "http://testserver/" in message.body
    assert message.alternatives and "<html" in message.alternatives[0][0]
    if language == "en":
        assert subject_word in message.subject.lower()


@pytest.mark.parametrize(
    ("status", "event", "template"),
    [
        ("pending", "pending", "registration_pending"),
        ("confirmed", "confirmed", "registration_confirmed"),
        ("waitlisted", "waitlisted", "registration_waitlisted"),
        ("confirmed", "promoted", "registration_promoted"),
        ("rejected", "rejected", "registration_rejected"),
        ("cancelled", "cancelled", "registration_cancelled"),
    ],
)
def test_each_email_task_sends_once_when_run_twice(
    session, participant, status, event, template, django_capture_on_commit_callbacks, mailoutbox
):
    from courses.tasks.registration import send_registration_email

    registration = Registration.objects.create(
        session=session, user=participant, status=status, decision_note="Because"
    )
    stamp = service._stamp(registration)
    with django_capture_on_commit_callbacks(execute=True):
        first = send_registration_email.apply(args=[registration.pk, event, stamp]).get()
        second = send_registration_email.apply(args=[registration.pk, event, stamp]).get()
    assert (first, second) == (True, False)
    assert OutboxEmail.objects.count() == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [participant.email]


def test_a_stale_email_event_sends_nothing(session, participant, register):
    registration = register(session, participant)
    stamp = service._stamp(registration)
    service.cancel(registration, actor=participant)
    assert service.send_registration_email(registration.pk, "confirmed", stamp) is False
    assert OutboxEmail.objects.count() == 0


def test_cancellation_by_an_organiser_is_e_mailed_with_the_reason(
    session, participant, admin_user, register, run_on_commit, mailoutbox
):
    registration = register(session, participant)
    Profile.objects.filter(user=participant).update(preferred_language="en")
    run_on_commit(service.cancel, registration, actor=admin_user, reason="The venue changed")
    assert len(mailoutbox) == 1
    assert "The venue changed" in mailoutbox[0].body


def test_own_cancellation_sends_only_the_calendar_cancellation(session, participant, register, run_on_commit, mailoutbox):
    registration = register(session, participant)
    run_on_commit(service.cancel, registration, actor=participant)
    [email] = mailoutbox  # the confirmation put the session in their calendar: the cancellation takes it out
    [(name, _content, _mimetype)] = email.attachments
    assert name.endswith(".ics")


# --- reminders ------------------------------------------------------------------------------------


def test_reminders_go_once_to_confirmed_people_of_sessions_starting_in_24_to_25_hours(
    course, make_participant, clock, django_capture_on_commit_callbacks, mailoutbox
):
    from courses.tasks.registration import send_session_reminders

    now = timezone.now()
    soon = factories.make_session(course, starts_at=now + timedelta(hours=24, minutes=30), capacity=1)
    later = factories.make_session(course, starts_at=now + timedelta(hours=30), capacity=5)
    confirmed, waitlisted, other = make_participant(), make_participant(), make_participant()
    service.register(soon, confirmed, notify=False)
    service.register(soon, waitlisted, notify=False)
    service.register(later, other, notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_session_reminders.apply().get() == 1
        assert send_session_reminders.apply().get() == 0
    assert [message.to for message in mailoutbox] == [[confirmed.email]]
    assert OutboxEmail.objects.filter(key__startswith="reminder:").count() == 1
    clock.shift(timedelta(minutes=20))
    assert send_session_reminders.apply().get() == 0


def test_registration_state_for_the_box(session, participant, other_participant, register):
    from django.contrib.auth.models import AnonymousUser

    state = service.registration_state(session, AnonymousUser())
    assert state.can_register and state.seats_left == 3
    register(session, participant)
    state = service.registration_state(session, participant)
    assert state.registration.status == "confirmed" and state.can_cancel and not state.can_register
    assert state.seats_left == 2
    Profile.objects.filter(user=other_participant).update(consent_given_at=None)
    state = service.registration_state(session, other_participant)
    assert not state.can_register and state.reason_code == "profile_incomplete"
