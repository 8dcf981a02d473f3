"""Registration e-mails carry the session as an .ics invitation that calendars accept, updated or cancelled
when the seat or the session changes."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from courses.models import RegistrationStatus
from courses.services import catalogue
from courses.services.registration import cancel, register
from courses.tasks.catalogue import notify_session_changed
from tests import factories

pytestmark = pytest.mark.django_db


def _invitation(email):
    [(name, content, mimetype)] = email.attachments
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    event = calendar.walk("VEVENT")[0]  # day 1; a multi-day session has one event per day
    return calendar, event


@pytest.fixture
def session(course):
    from courses.models import Venue

    venue = Venue.objects.create(name="Кыштут айыл өкмөтү", municipality=factories.municipality("kyshtut"), capacity=40)
    starts_at = (timezone.now() + timedelta(days=14)).replace(microsecond=0)  # calendars count whole seconds
    return factories.make_session(course, starts_at=starts_at, capacity=1, venue=venue)


def test_the_confirmation_puts_the_session_in_the_calendar(session, participant, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        register(session, participant)
    calendar, event = _invitation(mailoutbox[-1])
    assert str(calendar["method"]) == "REQUEST" and str(calendar["version"]) == "2.0"
    assert str(event["uid"]) == f"session-{session.pk}@testserver"
    assert event.decoded("dtstart") == session.starts_at and event.decoded("dtend") == session.ends_at
    assert str(event["organizer"]).startswith("mailto:") and str(event["attendee"]) == f"mailto:{participant.email}"
    assert event["attendee"].params["PARTSTAT"] == "ACCEPTED" and int(event["sequence"]) == 0
    assert calendar.walk("VTIMEZONE"), "calendars need the time zone of local times"


def test_a_waitlisted_person_gets_no_calendar_entry_and_a_cancellation_takes_it_out(
    session, participant, other_participant, admin_user, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        mine = register(session, participant)
        assert register(session, other_participant).status == RegistrationStatus.WAITLISTED
    assert mailoutbox[-1].attachments == []  # waitlisted: nothing in the calendar yet
    _calendar, booked = _invitation(mailoutbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        cancel(mine, actor=admin_user)  # the organisers cancel: the person is told, and the calendar follows
    cancellation = next(email for email in mailoutbox[2:] if email.to == [participant.email])
    calendar, event = _invitation(cancellation)
    assert str(calendar["method"]) == "CANCEL" and str(event["status"]) == "CANCELLED"
    assert event["uid"] == booked["uid"] and int(event["sequence"]) >= int(booked["sequence"])


def test_a_moved_session_sends_the_update_once_with_a_higher_sequence(
    session, participant, other_participant, admin_user, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        register(session, participant)
        register(session, other_participant)  # waitlisted
    _calendar, booked = _invitation(mailoutbox[0])
    mailoutbox.clear()
    session.refresh_from_db()
    session.starts_at += timedelta(days=1, hours=1)
    session.ends_at += timedelta(days=1, hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        catalogue.save_session(session, user=admin_user)
    assert sorted(email.to[0] for email in mailoutbox) == sorted([participant.email, other_participant.email])
    update = next(email for email in mailoutbox if email.to == [participant.email])
    calendar, event = _invitation(update)
    assert str(calendar["method"]) == "REQUEST" and event["uid"] == booked["uid"]
    assert int(event["sequence"]) > int(booked["sequence"]) and event.decoded("dtstart") == session.starts_at
    assert next(email for email in mailoutbox if email.to == [other_participant.email]).attachments == []
    assert notify_session_changed(session.pk) == 0  # run twice: nothing more


def test_saving_without_moving_the_session_tells_nobody(session, participant, admin_user, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        register(session, participant)
    mailoutbox.clear()
    session.refresh_from_db()
    session.capacity = 30
    with django_capture_on_commit_callbacks(execute=True):
        catalogue.save_session(session, user=admin_user)
    assert mailoutbox == []


def test_a_cancelled_session_takes_the_entry_out_of_calendars(session, participant, admin_user, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        register(session, participant)
        catalogue.cancel_session(session, user=admin_user, reason="Жол жабык")
    calendar, event = _invitation(mailoutbox[-1])
    assert str(calendar["method"]) == "CANCEL" and str(event["status"]) == "CANCELLED"


# --- reminders the course sets ---------------------------------------------------------------------


def test_reminders_go_the_days_before_the_course_sets_each_once(course, participant, clock, mailoutbox):
    from courses.services.registration_emails import queue_session_reminders

    course.reminder_days = "7,1"
    course.save()
    start = timezone.now() + timedelta(days=7, minutes=30)
    session = factories.make_session(course, starts_at=start, capacity=5)
    register(session, participant, notify=False)
    assert queue_session_reminders() == 1 and queue_session_reminders() == 0
    clock.shift(timedelta(days=3))
    assert queue_session_reminders() == 0  # between the two reminders
    clock.shift(timedelta(days=3))
    assert queue_session_reminders() == 1 and queue_session_reminders() == 0
    from academy.models import OutboxEmail

    subjects = list(OutboxEmail.objects.order_by("pk").values_list("subject", flat=True))
    assert len(subjects) == 2 and "7" in subjects[0] and "7" not in subjects[1]


def test_a_course_without_reminder_days_sends_none(course, participant, mailoutbox):
    from courses.services.registration_emails import queue_session_reminders

    course.reminder_days = ""
    course.save()
    session = factories.make_session(course, starts_at=timezone.now() + timedelta(days=1, minutes=30), capacity=5)
    register(session, participant, notify=False)
    assert queue_session_reminders() == 0 and mailoutbox == []


@pytest.mark.parametrize("value", ["7,x", "0", "61", "7;1", "¹"])
def test_reminder_days_refuse_what_is_not_a_list_of_days(value):
    from django.core.exceptions import ValidationError

    from courses.models.catalogue import validate_reminder_days

    with pytest.raises(ValidationError):
        validate_reminder_days(value)
    validate_reminder_days("14, 7,1")
