"""Small academies for the browser tests: courses, sessions, people and certificates, dated from today.

The live server runs on the real clock (a frozen clock would also freeze the browser's timers), so every
date here is relative to now: an upcoming two-day session starts in two weeks, a past one ended a month ago.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from tests import factories

# The two-day Batken training of seed 001: (day, start, end) of its eleven agenda blocks.
BATKEN_TIMES = [
    (1, "09:00", "09:45"),
    (1, "09:45", "11:15"),
    (1, "11:30", "13:00"),
    (1, "14:00", "15:30"),
    (1, "15:45", "17:00"),
    (1, "17:10", "18:00"),
    (2, "09:00", "10:30"),
    (2, "10:45", "12:15"),
    (2, "13:15", "14:45"),
    (2, "15:00", "16:30"),
    (2, "16:45", "18:00"),
]


def local_day(offset_days):
    """The calendar date in Bishkek `offset_days` from today."""
    return timezone.localdate() + timedelta(days=offset_days)


def at(day, hour=9, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), timezone.get_default_timezone())


def make_session(course, *, in_days=14, days=2, trainers=(), **fields):
    """A session of `days` days from 09:00 to 18:00, starting `in_days` from today (negative: in the past)."""
    from courses.models import Session

    session = factories.make_session(course, starts_at=at(local_day(in_days)), days=days, trainers=trainers, **fields)
    session.save()  # trainers is a ParentalManyToManyField: kept in memory until the session is saved
    return Session.objects.select_related("course").get(pk=session.pk)


def make_agenda(session, blocks=BATKEN_TIMES, title="Сессия"):
    """Agenda blocks at the Batken times, on the session's days; returns them."""
    from courses.models import AgendaItem

    days = session.days
    return [
        AgendaItem.objects.create(
            session=session,
            day=days[day - 1],
            starts_at=time.fromisoformat(start),
            ends_at=time.fromisoformat(end),
            title=f"{title} {position + 1}",
            sort_order=position,
        )
        for position, (day, start, end) in enumerate(blocks)
    ]


def bring_forward(session, days=1):
    """The training day arrives: move the session and its agenda `days` earlier (check-in works only on the day)."""
    from django.db.models import F

    from courses.models import AgendaItem, Session

    shift = timedelta(days=days)
    Session.objects.filter(pk=session.pk).update(starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift)
    AgendaItem.objects.filter(session=session).update(day=F("day") - shift)
    session.refresh_from_db()
    return session


def make_venue(name="Баткен шаарындагы окуу залы", capacity=40, municipality="batken_city"):
    from courses.models import Venue

    return Venue.objects.create(name=name, municipality=factories.municipality(municipality), capacity=capacity)


def certificate_template():
    """The default certificate template (what an academy sets up once)."""
    from certificates.models import CertificateTemplate, Signatory

    template = CertificateTemplate.objects.filter(is_default=True).first()
    if template is None:
        template = CertificateTemplate.objects.create(
            name="Default", is_default=True, licence_number="LIC-0042", languages="ky+ru"
        )
        Signatory.objects.create(
            template=template,
            name="Асел Асанова",
            name_latin="Asel Asanova",
            title_ky="Академиянын директору",
            title_ru="Директор академии",
            title_en="Director of the academy",
        )
    return template


def complete(registration, when=None):
    """Mark a registration completed (what the trainer's completion step records)."""
    registration.completed_at = when or registration.session.ends_at
    registration.save(update_fields=["completed_at"])
    return registration


def issue_certificate(registration, admin):
    """Issue the certificate of a completed registration through the certificates service."""
    from certificates.services import issuance

    certificate_template()
    certificate, _created = issuance.issue_certificate(registration, issued_by=admin, notify=False)
    return certificate
