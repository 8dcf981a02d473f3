"""Every calendar the product emits (session download, trainer feed, invitation, cancellation) is read by two
independent parsers, icalendar and vobject, and must carry what calendars need to update an event instead of
duplicating it: UID, DTSTAMP, SEQUENCE, DTSTART/DTEND, a title naming the course and the place."""

from datetime import timedelta

import pytest
import vobject
from icalendar import Calendar

from courses.models import Session
from courses.services import catalogue
from courses.services.registration import cancel, register
from tests.factories import bishkek

from .conftest import agenda_item, make_session

pytestmark = pytest.mark.django_db

TITLE = "Муниципалдык кызмат көрсөтүүлөр — Баткен"


def parse(content, method=None):
    """[(uid, sequence, start, end, summary, status)] as both parsers read them; they must agree."""
    content = content if isinstance(content, str) else content.decode()
    calendar = Calendar.from_ical(content)
    assert str(calendar["version"]) == "2.0" and str(calendar["prodid"])
    if method:
        assert str(calendar["method"]) == method
    first = []
    for event in calendar.walk("VEVENT"):
        for name in ("uid", "dtstamp", "sequence", "dtstart", "dtend", "summary", "status"):
            assert name in event, f"{name} missing"
        first.append(
            (
                str(event["uid"]),
                int(event["sequence"]),
                event.decoded("dtstart"),
                event.decoded("dtend"),
                str(event["summary"]),
                str(event["status"]),
            )
        )
    strict = vobject.readOne(content, validate=True)
    second = []
    for event in strict.vevent_list:
        assert event.dtstamp.value.tzinfo is not None
        assert event.dtend.value > event.dtstart.value
        second.append(
            (
                event.uid.value,
                int(event.sequence.value),
                event.dtstart.value,
                event.dtend.value,
                event.summary.value,
                event.status.value,
            )
        )
    assert first == second and first
    assert len({row[0] for row in first}) == len(first), "UIDs must differ between days"
    return first


@pytest.fixture
def session(course, trainer, venue, clock):
    """15-17 Dec 2026, 09:00-17:00 daily; the second day has an agenda 10:00-13:00 and 14:00-15:30."""
    session = make_session(course, trainers=[trainer], venue=venue, starts_at=bishkek(2026, 12, 15), days=3)
    session.ends_at = bishkek(2026, 12, 17, 17)
    catalogue.save_session(
        session,
        user=None,
        agenda=[
            agenda_item(bishkek(2026, 12, 16).date(), (10, 0), (13, 0)),
            agenda_item(bishkek(2026, 12, 16).date(), (14, 0), (15, 30)),
        ],
    )
    session.refresh_from_db()
    return session


def test_the_download_has_one_event_per_day_with_that_days_hours(client, session):
    response = client.get(f"/ky/sessions/{session.pk}/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = parse(response.content, "PUBLISH")
    assert [(start, end) for _uid, _seq, start, end, _title, _status in events] == [
        (bishkek(2026, 12, 15, 9), bishkek(2026, 12, 15, 17)),
        (bishkek(2026, 12, 16, 10), bishkek(2026, 12, 16, 15, 30)),  # the agenda's hours
        (bishkek(2026, 12, 17, 9), bishkek(2026, 12, 17, 17)),
    ]
    assert [row[0].split("@")[0] for row in events] == [
        f"session-{session.pk}",
        f"session-{session.pk}-day2",
        f"session-{session.pk}-day3",
    ]
    assert {row[4] for row in events} == {TITLE} and {row[5] for row in events} == {"CONFIRMED"}


def test_the_trainer_feed_parses_in_both(client, session, trainer):
    events = parse(client.get(f"/ky/trainers/{trainer.pk}/calendar.ics").content, "PUBLISH")
    assert len(events) == 3 and {row[4] for row in events} == {TITLE}


def test_an_online_session_names_the_format(client, course, trainer, clock):
    online = make_session(course, trainers=[trainer], format="online", days=1, online_url="https://meet.example/x")
    [event] = parse(client.get(f"/ky/sessions/{online.pk}/calendar.ics").content)
    assert event[4].startswith("Муниципалдык кызмат көрсөтүүлөр — ") and event[4] != "Муниципалдык кызмат көрсөтүүлөр — "


def _ics(email):
    [(name, content, mimetype)] = email.attachments
    assert name.endswith(".ics")
    method = mimetype.split("method=")[1]
    return method, parse(content, method)


def test_invitation_update_and_cancellation_bump_the_sequence(
    session, participant, admin_user, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        register(session, participant)
    method, booked = _ics(mailoutbox[-1])
    assert method == "REQUEST" and len(booked) == 3 and booked[0][4] == TITLE
    uids = [row[0] for row in booked]

    session.refresh_from_db()
    session.starts_at += timedelta(days=1)
    session.ends_at += timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        catalogue.save_session(session, user=admin_user)
    method, moved = _ics(mailoutbox[-1])
    assert method == "REQUEST" and [row[0] for row in moved] == uids
    assert all(after[1] > before[1] for before, after in zip(booked, moved, strict=True))

    with django_capture_on_commit_callbacks(execute=True):
        catalogue.cancel_session(Session.objects.get(pk=session.pk), user=admin_user, reason="Жол жабык")
    method, cancelled = _ics(mailoutbox[-1])
    assert method == "CANCEL" and [row[0] for row in cancelled] == uids
    assert {row[5] for row in cancelled} == {"CANCELLED"}
    assert all(after[1] > before[1] for before, after in zip(moved, cancelled, strict=True))


def test_own_cancellation_outranks_the_request_and_registering_again_outranks_the_cancel(
    session, participant, clock, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        mine = register(session, participant)
    _method, booked = _ics(mailoutbox[-1])
    with django_capture_on_commit_callbacks(execute=True):
        cancel(mine, actor=participant)
    method, cancelled = _ics(mailoutbox[-1])
    assert method == "CANCEL" and cancelled[0][1] > booked[0][1]
    clock.shift(60)
    with django_capture_on_commit_callbacks(execute=True):
        register(Session.objects.get(pk=session.pk), participant)
    method, again = _ics(mailoutbox[-1])
    assert method == "REQUEST" and again[0][1] > cancelled[0][1]


def test_a_title_or_agenda_hour_change_bumps_the_sequence(session, admin_user):
    before = session.calendar_sequence
    session.title = "Ош шаары"
    catalogue.save_session(session, user=admin_user)
    session.refresh_from_db()
    assert session.calendar_sequence == before + 1
    catalogue.save_session(session, user=admin_user, agenda=[agenda_item(session.days[0], (9, 0), (12, 0))])
    session.refresh_from_db()
    assert session.calendar_sequence == before + 2
    catalogue.save_session(session, user=admin_user)  # nothing changed
    session.refresh_from_db()
    assert session.calendar_sequence == before + 2


@pytest.mark.parametrize("broken", ["UID", "DTSTAMP", "SEQUENCE"])
def test_the_check_fails_when_a_property_is_missing(client, session, broken):
    content = client.get(f"/ky/sessions/{session.pk}/calendar.ics").content.decode()
    damaged = "\r\n".join(line for line in content.split("\r\n") if not line.startswith(broken + ":"))
    with pytest.raises(AssertionError):
        parse(damaged)


def test_the_check_fails_on_an_invalid_value(client, session):
    content = client.get(f"/ky/sessions/{session.pk}/calendar.ics").content.decode()
    damaged = content.replace("SEQUENCE:", "SEQUENCE:x", 1)
    with pytest.raises(Exception):  # noqa: B017, PT011 - either parser may be the one that refuses it
        parse(damaged)
