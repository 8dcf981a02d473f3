"""Waitlist offers: a freed place offered to the first person waiting, accepted, declined or expired in turn."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from academy.errors import DomainError, PermissionDeniedError
from academy.models import OutboxEmail, OutboxMessage, Profile
from courses.models import Registration, RegistrationStatus, Session
from courses.services import registration as service
from courses.services import waitlist_offers
from courses.tasks.registration import expire_waitlist_offers
from tests import factories

from .conftest import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer_session(course, trainer, clock):
    """Two seats, 48 hours to accept a freed place; the session starts on 15 Dec (the clock is at 1 Dec)."""
    return make_session(course, capacity=2, trainers=[trainer], waitlist_offer_hours=48)


@pytest.fixture
def full(offer_session, make_participant, register, clock):
    """Two confirmed and two waiting, in that order."""
    people = []
    for _ in range(4):
        people.append(make_participant())
        register(offer_session, people[-1])
        clock.shift(timedelta(seconds=1))
    return people


def status_of(person, session):
    return Registration.objects.get(user=person, session=session).status


def cancel_first(session, people, run_on_commit):
    run_on_commit(service.cancel, Registration.objects.get(user=people[0], session=session), actor=people[0])


# --- offers made -----------------------------------------------------------------------------------


def test_a_freed_place_is_offered_to_the_first_waiting_with_a_deadline(offer_session, full, run_on_commit):
    cancel_first(offer_session, full, run_on_commit)
    offered = Registration.objects.get(user=full[2])
    assert offered.status == RegistrationStatus.OFFERED
    assert offered.offer_expires_at == timezone.now() + timedelta(hours=48)
    assert status_of(full[3], offer_session) == RegistrationStatus.WAITLISTED
    # The offered place is taken everywhere seats are counted: nobody gets ahead of the offer.
    assert service.seats_taken(offer_session) == 2
    assert Session.objects.with_seats().get(pk=offer_session.pk).seats_left == 0
    assert service.seats_left(offer_session) == 0
    newcomer = factories.participant()
    assert service.register(offer_session, newcomer).status == RegistrationStatus.WAITLISTED
    assert service.promote_waitlist(offer_session.pk) == []


def test_without_offer_hours_promotion_stays_automatic(session, make_participant, register, run_on_commit):
    people = [make_participant() for _ in range(4)]
    for person in people:
        register(session, person)
    run_on_commit(service.cancel, Registration.objects.get(user=people[0]), actor=people[0])
    assert status_of(people[3], session) == RegistrationStatus.CONFIRMED


def test_the_deadline_never_passes_the_start(offer_session, full, run_on_commit, clock):
    clock.move_to(offer_session.starts_at - timedelta(hours=5))
    cancel_first(offer_session, full, run_on_commit)
    assert Registration.objects.get(user=full[2]).offer_expires_at == offer_session.starts_at


def test_the_offer_message_has_the_link_and_the_local_deadline(offer_session, full, run_on_commit, mailoutbox):
    Profile.objects.filter(user=full[2]).update(preferred_language="en")
    mailoutbox.clear()
    cancel_first(offer_session, full, run_on_commit)
    [email] = [email for email in mailoutbox if email.to == [full[2].email]]
    registration = Registration.objects.get(user=full[2])
    assert "offered to you" in email.subject
    assert f"/my/registrations/{registration.pk}/accept-offer/" in email.body
    assert "3 December 2026" in email.body and "10:00" in email.body  # 1 Dec 10:00 Bishkek + 48 h
    assert email.attachments == []  # nothing in the calendar until accepted
    # Sent once: the task run again finds the key in the outbox.
    from courses.services.registration_emails import send_registration_email, stamp_of

    assert send_registration_email(registration.pk, "offered", stamp_of(registration)) is False


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_the_offer_sms_fits_and_carries_the_link(offer_session, full, language):
    from academy.services.messaging import short_text, sms
    from courses.services.registration_emails import _offer_context, email_context

    registration = Registration.objects.get(user=full[2])
    registration.status, registration.offer_expires_at = (
        RegistrationStatus.OFFERED,
        timezone.now() + timedelta(hours=48),
    )
    context = email_context(registration, language, **_offer_context(registration))
    text = short_text("registration_offered", context, language)
    assert text.endswith(context["accept_url"])
    assert "03.12.2026 10:00" in text
    assert sms.segments(text) <= sms.MAX_SEGMENTS


# --- answers -----------------------------------------------------------------------------------------


def test_accepting_confirms_with_the_calendar_invitation(offer_session, full, run_on_commit, mailoutbox):
    cancel_first(offer_session, full, run_on_commit)
    registration = Registration.objects.get(user=full[2])
    mailoutbox.clear()
    run_on_commit(waitlist_offers.accept_offer, registration, actor=full[2])
    assert status_of(full[2], offer_session) == RegistrationStatus.CONFIRMED
    [email] = mailoutbox
    [(name, content, _mimetype)] = email.attachments
    assert name.endswith(".ics") and str(Calendar.from_ical(content)["method"]) == "REQUEST"
    # A second click changes nothing and sends nothing.
    run_on_commit(waitlist_offers.accept_offer, registration, actor=full[2])
    assert len(mailoutbox) == 1


def test_declining_passes_the_place_to_the_next(offer_session, full, run_on_commit):
    cancel_first(offer_session, full, run_on_commit)
    run_on_commit(waitlist_offers.decline_offer, Registration.objects.get(user=full[2]), actor=full[2])
    assert status_of(full[2], offer_session) == RegistrationStatus.CANCELLED
    assert status_of(full[3], offer_session) == RegistrationStatus.OFFERED
    assert service.seats_taken(offer_session) == 2
    # Declined, the person may register again (at the end of the waitlist).
    assert service.register(offer_session, full[2]).status == RegistrationStatus.WAITLISTED


@pytest.mark.parametrize(
    ("first", "then", "code"),
    [
        ("accept", "decline", "already_answered"),
        ("decline", "accept", "already_answered"),
    ],
)
def test_an_answered_offer_cannot_be_answered_the_other_way(offer_session, full, run_on_commit, first, then, code):
    cancel_first(offer_session, full, run_on_commit)
    registration = Registration.objects.get(user=full[2])
    getattr(waitlist_offers, f"{first}_offer")(registration, actor=full[2])
    before = list(offer_session.registrations.order_by("pk").values_list("status", flat=True))
    with translation.override("en"), pytest.raises(DomainError) as error:
        getattr(waitlist_offers, f"{then}_offer")(registration, actor=full[2])
    assert error.value.code == code and "already answered" in str(error.value.message)
    assert list(offer_session.registrations.order_by("pk").values_list("status", flat=True)) == before


def test_only_the_person_offered_answers(offer_session, full, run_on_commit):
    cancel_first(offer_session, full, run_on_commit)
    registration = Registration.objects.get(user=full[2])
    for action in (waitlist_offers.accept_offer, waitlist_offers.decline_offer):
        with pytest.raises(PermissionDeniedError) as error:
            action(registration, actor=full[3])
        assert error.value.code == "not_yours"
    assert status_of(full[2], offer_session) == RegistrationStatus.OFFERED


def test_a_waiting_person_has_no_offer_to_answer(offer_session, full):
    with translation.override("ru"), pytest.raises(DomainError) as error:
        waitlist_offers.accept_offer(Registration.objects.get(user=full[3]), actor=full[3])
    assert error.value.code == "no_offer"
    assert str(error.value.message) != "No place is offered to you for this session."  # translated


# --- expiry ----------------------------------------------------------------------------------------------


def test_an_expired_offer_passes_to_the_next_and_the_task_runs_twice_the_same(
    offer_session, full, run_on_commit, clock, mailoutbox
):
    cancel_first(offer_session, full, run_on_commit)
    registration = Registration.objects.get(user=full[2])
    clock.shift(timedelta(hours=47))
    assert expire_waitlist_offers.apply().get() == {}
    clock.shift(timedelta(hours=1))
    with pytest.raises(DomainError) as error:
        waitlist_offers.accept_offer(registration, actor=full[2])
    assert error.value.code == "offer_expired"
    result, _callbacks = run_on_commit(lambda: expire_waitlist_offers.apply().get())
    assert result == {offer_session.pk: 1}
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED and registration.offer_expired
    assert status_of(full[3], offer_session) == RegistrationStatus.OFFERED
    snapshot = list(offer_session.registrations.order_by("pk").values_list("status", "offer_expires_at"))
    sent = OutboxEmail.objects.count() + OutboxMessage.objects.count()
    assert run_on_commit(lambda: expire_waitlist_offers.apply().get())[0] == {}
    assert list(offer_session.registrations.order_by("pk").values_list("status", "offer_expires_at")) == snapshot
    assert OutboxEmail.objects.count() + OutboxMessage.objects.count() == sent
    with pytest.raises(DomainError) as error:
        waitlist_offers.accept_offer(registration, actor=full[2])
    assert error.value.code == "offer_expired"


def test_an_expired_offer_with_nobody_waiting_frees_the_seat(offer_session, full, run_on_commit, clock):
    cancel_first(offer_session, full, run_on_commit)
    waitlist_offers.decline_offer(Registration.objects.get(user=full[2]), actor=full[2])  # full[3] offered
    clock.shift(timedelta(hours=49))
    assert waitlist_offers.expire_offers() == {offer_session.pk: 1}
    assert service.seats_taken(offer_session) == 1


# --- cancelling your own seat takes it out of your calendar --------------------------------------------------


def test_own_cancellation_sends_a_calendar_cancellation(offer_session, participant, run_on_commit, mailoutbox):
    registration = service.register(offer_session, participant)
    mailoutbox.clear()
    run_on_commit(service.cancel, registration, actor=participant)
    [email] = mailoutbox
    [(name, content, _mimetype)] = email.attachments
    calendar = Calendar.from_ical(content)
    assert str(calendar["method"]) == "CANCEL"
    assert all(str(event["uid"]).startswith(f"session-{offer_session.pk}") for event in calendar.walk("VEVENT"))


def test_leaving_the_waitlist_sends_no_calendar_cancellation(offer_session, full, run_on_commit, mailoutbox):
    mailoutbox.clear()
    run_on_commit(service.cancel, Registration.objects.get(user=full[3]), actor=full[3])
    assert mailoutbox == []


# --- My trainings --------------------------------------------------------------------------------------------


def test_my_trainings_shows_the_offer_with_buttons_that_work_without_js(
    client, offer_session, full, run_on_commit, django_assert_max_num_queries
):
    cancel_first(offer_session, full, run_on_commit)
    registration = Registration.objects.get(user=full[2])
    client.force_login(full[2])
    with translation.override("en"):
        url = reverse("my_trainings")
    with django_assert_max_num_queries(12):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'id="registration-{registration.pk}"' in page
    assert f"/my/registrations/{registration.pk}/accept-offer/" in page
    assert f"/my/registrations/{registration.pk}/decline-offer/" in page
    assert "csrfmiddlewaretoken" in page
    # The link in the message opens the page at the offer; it does not answer by itself.
    response = client.get(f"/en/my/registrations/{registration.pk}/accept-offer/")
    assert response.status_code == 302 and response["Location"].endswith(f"#registration-{registration.pk}")
    assert status_of(full[2], offer_session) == RegistrationStatus.OFFERED
    response = client.post(f"/en/my/registrations/{registration.pk}/accept-offer/")
    assert response.status_code == 302
    assert status_of(full[2], offer_session) == RegistrationStatus.CONFIRMED


def test_my_trainings_queries_stay_bounded_with_many_offers(
    client, course, participant, clock, django_assert_max_num_queries
):
    for _ in range(8):
        session = factories.make_session(course, capacity=1, waitlist_offer_hours=24)
        Registration.objects.create(
            session=session,
            user=participant,
            status=RegistrationStatus.OFFERED,
            offer_expires_at=timezone.now() + timedelta(hours=24),
        )
    client.force_login(participant)
    with django_assert_max_num_queries(12):
        response = client.get("/en/my/trainings/")
    assert response.content.decode().count("decline-offer/") == 8


def test_declining_in_the_page(client, offer_session, full, run_on_commit):
    cancel_first(offer_session, full, run_on_commit)
    registration = Registration.objects.get(user=full[2])
    client.force_login(full[2])
    assert client.post(f"/en/my/registrations/{registration.pk}/decline-offer/").status_code == 302
    assert status_of(full[2], offer_session) == RegistrationStatus.CANCELLED
    assert status_of(full[3], offer_session) == RegistrationStatus.OFFERED


def test_the_page_buttons_refuse_other_people_and_get_on_decline(client, offer_session, full, run_on_commit):
    cancel_first(offer_session, full, run_on_commit)
    registration = Registration.objects.get(user=full[2])
    client.force_login(full[3])
    for action in ("accept-offer", "decline-offer"):
        assert client.post(f"/en/my/registrations/{registration.pk}/{action}/").status_code == 404
    client.force_login(full[2])
    assert client.get(f"/en/my/registrations/{registration.pk}/decline-offer/").status_code == 405
    client.logout()
    response = client.post(f"/en/my/registrations/{registration.pk}/accept-offer/")
    assert response.status_code == 302 and "login" in response["Location"]
    assert status_of(full[2], offer_session) == RegistrationStatus.OFFERED


# --- API ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["accept-offer", "decline-offer"])
def test_api_answers_for_the_owner_only(api_client, offer_session, full, run_on_commit, action):
    cancel_first(offer_session, full, run_on_commit)
    registration = Registration.objects.get(user=full[2])
    url = f"/api/v1/registrations/{registration.pk}/{action}/"
    assert api_client.post(url).status_code == 401
    api_client.force_authenticate(full[3])
    assert api_client.post(url).status_code in (404, 302)
    assert status_of(full[2], offer_session) == RegistrationStatus.OFFERED
    api_client.force_authenticate(full[2])
    response = api_client.post(url)
    assert response.status_code == 200
    expected = "confirmed" if action == "accept-offer" else "cancelled"
    assert response.json()["status"] == expected and response.json()["offer_expires_at"]


def test_api_expired_offer_is_a_translated_400(api_client, offer_session, full, run_on_commit, clock):
    cancel_first(offer_session, full, run_on_commit)
    registration = Registration.objects.get(user=full[2])
    clock.shift(timedelta(hours=49))
    api_client.force_authenticate(full[2])
    response = api_client.post(f"/api/v1/registrations/{registration.pk}/accept-offer/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert response.json()["code"] == "offer_expired"
    assert status_of(full[2], offer_session) == RegistrationStatus.OFFERED


def test_api_schema_documents_the_offer_operations(client):
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)
    for action in ("accept-offer", "decline-offer"):
        operation = schema["paths"][f"/api/v1/registrations/{{registration_id}}/{action}/"]["post"]
        assert "200" in operation["responses"] and operation["description"]
    assert "offered" in str(schema["components"]["schemas"])


def test_the_admin_session_form_edits_the_offer_hours_with_translated_help():
    from courses.admin.catalogue import SessionViewSet

    form_class = SessionViewSet.edit_handler.bind_to_model(Session).get_form_class()
    field = form_class.base_fields["waitlist_offer_hours"]
    assert field.initial == 0 and field.min_value == 0
    with translation.override("ky"):
        assert "күтүү тизмесиндеги" in str(field.help_text)
    with translation.override("ru"):
        assert "листе ожидания" in str(field.help_text)


def test_a_session_moved_or_cancelled_tells_the_person_holding_an_offer_too():
    from courses.services.catalogue import ACTIVE_REGISTRATION_STATUSES

    assert "offered" in ACTIVE_REGISTRATION_STATUSES
