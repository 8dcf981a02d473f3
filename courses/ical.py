"""iCalendar (.ics) files: one per session, and a trainer's public schedule as a feed.

Only what the public session page shows goes in: title, dates, place, link, and the agenda. No
participant and no contact detail is ever written.
"""

from datetime import datetime
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from academy.base_url import site_base_url

PRODID = "-//Central Asian Academy of Local Governance//Academy//EN"


def _absolute(path):
    return site_base_url() + path


def _host():
    return settings.WAGTAILADMIN_BASE_URL.split("://", 1)[-1].split("/", 1)[0] or "academy"


def _location(session):
    venue = session.venue
    if venue is None:
        return session.get_format_display()
    parts = [venue.name, venue.address, venue.municipality.name if venue.municipality_id else ""]
    return ", ".join(part for part in parts if part)


def _description(session, agenda):
    lines = [session.localized_course.title]
    if session.title:
        lines.append(session.title)
    trainers = ", ".join(str(trainer) for trainer in session.trainers.all())
    if trainers:
        lines.append(trainers)
    for item in agenda:
        lines.append(f"{item.day:%d.%m} {item.starts_at:%H:%M}–{item.ends_at:%H:%M} {item.title}")
    return "\n".join(lines)


def summary(session):
    """"<course> — <place>": a calendar shows the title alone, and the place alone ("Ош шаары") says nothing."""
    course = session.localized_course.title
    venue = session.venue
    if venue is None:
        place = session.get_format_display()
    else:
        place = venue.municipality.name if venue.municipality_id else venue.name
    return f"{course} — {place}" if place else course


def day_uid(session, number):
    """Day 1 keeps the UID invitations had before days were split, so calendars replace those entries."""
    suffix = "" if number == 1 else f"-day{number}"
    return f"session-{session.pk}{suffix}@{_host()}"


def day_spans(session, agenda=()):
    """[(day number, start, end)] in local time: one per calendar day with that day's hours, from the agenda
    when the day has blocks, else the session's daily start and end. A session whose end time of day is not
    after its start time of day (overnight) stays one span, as do one-day sessions."""
    zone = timezone.get_default_timezone()
    starts, ends = timezone.localtime(session.starts_at, zone), timezone.localtime(session.ends_at, zone)
    days = session.days
    if len(days) == 1 or ends.time() <= starts.time():
        return [(1, starts, ends)]
    blocks = {}
    for item in agenda:
        first, last = blocks.get(item.day, (item.starts_at, item.ends_at))
        blocks[item.day] = (min(first, item.starts_at), max(last, item.ends_at))
    spans = []
    for number, day in enumerate(days, start=1):
        first, last = blocks.get(day, (starts.time(), ends.time()))
        spans.append((number, datetime.combine(day, first, zone), datetime.combine(day, last, zone)))
    return spans


def session_events(session, agenda=()):
    """The session as calendar events, one per day; every one carries the session's SEQUENCE, which grows
    with each change and cancellation (courses/services/catalogue.py) so calendars replace, not duplicate."""
    agenda = list(agenda)
    cancelled = session.status == "cancelled"
    events = []
    for number, starts, ends in day_spans(session, agenda):
        event = Event()
        event.add("uid", day_uid(session, number))
        event.add("dtstamp", timezone.now())
        event.add("sequence", session.calendar_sequence)
        event.add("dtstart", starts)
        event.add("dtend", ends)
        event.add("summary", summary(session))
        event.add("location", _location(session))
        event.add("description", _description(session, agenda))
        event.add("url", _absolute(session.get_absolute_url()))
        event.add("last-modified", session.updated_at)
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        events.append(event)
    return events


def calendar(name, events, method="PUBLISH"):
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


INVITATION_MIMETYPE = {
    "REQUEST": "text/calendar; charset=utf-8; method=REQUEST",
    "CANCEL": "text/calendar; charset=utf-8; method=CANCEL",
}


def invitation(session, email, *, method="REQUEST", agenda=()):
    """An iTIP invitation (RFC 5546) for one participant, for an e-mail attachment: `REQUEST` puts the session
    in their calendar or updates it (same UIDs, higher SEQUENCE), `CANCEL` takes every day of it out.

    Outlook, Gmail and phone calendars need the organiser and the attendee to offer "add to calendar";
    the attendee is marked accepted, so no reply is asked for. Returns (filename, content, mimetype)."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    events = session_events(session, agenda)
    for event in events:
        organizer = vCalAddress(f"mailto:{address}")
        organizer.params["cn"] = vText(name or settings.WAGTAIL_SITE_NAME)
        event.add("organizer", organizer)
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params.update({"role": "REQ-PARTICIPANT", "partstat": "ACCEPTED", "rsvp": "FALSE"})
        event.add("attendee", attendee)
        if method == "CANCEL":
            event["status"] = "CANCELLED"
    content = calendar(summary(session), events, method=method).decode()
    return (f"session-{session.pk}.ics", content, INVITATION_MIMETYPE[method])
