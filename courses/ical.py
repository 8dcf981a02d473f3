"""iCalendar (.ics) files: one per session, and a trainer's public schedule as a feed.

Only what the public session page shows goes in: title, dates, place, link, and the agenda. No
participant and no contact detail is ever written.
"""

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


def session_event(session, agenda=()):
    zone = timezone.get_default_timezone()
    event = Event()
    event.add("uid", f"session-{session.pk}@{_host()}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(session.starts_at, zone))
    event.add("dtend", timezone.localtime(session.ends_at, zone))
    event.add("summary", session.display_title)
    event.add("location", _location(session))
    event.add("description", _description(session, agenda))
    event.add("url", _absolute(session.get_absolute_url()))
    event.add("last-modified", session.updated_at)
    event.add("status", "CANCELLED" if session.status == "cancelled" else "CONFIRMED")
    return event


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
    in their calendar or updates it (same UID, higher SEQUENCE), `CANCEL` takes it out.

    Outlook, Gmail and phone calendars need the organiser and the attendee to offer "add to calendar";
    the attendee is marked accepted, so no reply is asked for. Returns (filename, content, mimetype)."""
    event = session_event(session, agenda)
    event.add("sequence", session.calendar_sequence)
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(name or settings.WAGTAIL_SITE_NAME)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{email}")
    attendee.params.update({"role": "REQ-PARTICIPANT", "partstat": "ACCEPTED", "rsvp": "FALSE"})
    event.add("attendee", attendee)
    if method == "CANCEL":
        event["status"] = "CANCELLED"
    content = calendar(session.display_title, [event], method=method).decode()
    return (f"session-{session.pk}.ics", content, INVITATION_MIMETYPE[method])
