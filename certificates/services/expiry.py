"""Certificates that expire: the date set at issue, and the reminders sent to holders before it.

A course with `certificate_validity_years` gives its certificates a last valid day, `expires_at`, counted
from the completion date (issuance.py). After that day the verification page and API say "expired";
nothing is written to the certificate (its stored status stays `valid`), so the state follows the clock.

Holders are reminded `CERTIFICATES_EXPIRY_REMINDER_DAYS` before the date (60 and 14 by default), on their
channel, with the upcoming sessions of the course that renew it. `send_expiry_reminders` runs daily (beat):
it records each reminder in `ExpiryReminder`, whose (certificate, days_before) pair is unique, in the same
transaction as the message; so a second run, even a parallel one, finds the row taken and sends nothing.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from academy.reversing import cached_reverse
from academy.services.messaging import best_channel, deliver, language_of
from certificates.models import Certificate, CertificateStatus, ExpiryReminder
from certificates.services.notifications import absolute, verify_url
from courses.models import Session

logger = logging.getLogger(__name__)

# Expired certificates whose cached verification record and page are dropped by the daily run: a few days
# back, so a missed run is made good by the next one (the cache timeout bounds the rest).
INVALIDATE_DAYS_BACK = 3
SESSIONS_LISTED = 5


def add_years(day, years):
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def expiry_date(validity_years, completed_at, today=None):
    """The last valid day of a certificate: the completion date (or today) plus the course's validity."""
    if not validity_years:
        return None
    start = timezone.localdate(completed_at) if completed_at else (today or timezone.localdate())
    return add_years(start, validity_years)


def reminder_days():
    """The configured reminder offsets, largest first; values that are not positive whole numbers are ignored."""
    days = set()
    for value in getattr(settings, "CERTIFICATES_EXPIRY_REMINDER_DAYS", (60, 14)):
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if number > 0:
            days.add(number)
    return sorted(days, reverse=True)


def due_kind(days_left, kinds):
    """Which reminder is due with `days_left` to go: the nearest offset not yet passed (None: none is due).

    After a missed run only the most urgent reminder is sent, never the 60-day and the 14-day one together."""
    due = [kind for kind in kinds if 0 <= days_left <= kind]
    return min(due) if due else None


def _renewed(certificates):
    """Ids of certificates whose holder already has a newer valid certificate of the same course."""
    users = {certificate.user_id for certificate in certificates}
    newer = defaultdict(list)
    rows = Certificate.objects.valid().filter(user_id__in=users).values_list("pk", "user_id", "snapshot__course_key")
    for pk, user_id, course_key in rows:
        newer[(user_id, course_key)].append(pk)
    return {
        certificate.pk
        for certificate in certificates
        if any(pk > certificate.pk for pk in newer[(certificate.user_id, certificate.snapshot.get("course_key"))])
    }


def due_reminders(today=None, kinds=None):
    """(certificate, kind) pairs due today: valid, not expired, holder known, not renewed, not reminded yet."""
    today = today or timezone.localdate()
    kinds = reminder_days() if kinds is None else kinds
    if not kinds:
        return []
    certificates = list(
        Certificate.objects.filter(
            status=CertificateStatus.VALID,
            user__isnull=False,
            expires_at__gte=today,
            expires_at__lte=today + timedelta(days=max(kinds)),
        )
        .select_related("user__profile")
        .order_by("expires_at", "pk")
    )
    sent = defaultdict(set)
    for certificate_id, days in ExpiryReminder.objects.filter(
        certificate_id__in=[certificate.pk for certificate in certificates]
    ).values_list("certificate_id", "days_before"):
        sent[certificate_id].add(days)
    renewed = _renewed(certificates) if certificates else set()
    due = []
    for certificate in certificates:
        kind = due_kind((certificate.expires_at - today).days, kinds)
        # A reminder at this offset or a nearer one went out already (nearer: the task missed days meanwhile).
        if kind is None or any(days <= kind for days in sent[certificate.pk]) or certificate.pk in renewed:
            continue
        due.append((certificate, kind))
    return due


class RenewalSessions:
    """Upcoming sessions of a course, read once per course and language in a run."""

    def __init__(self, now=None):
        self.now = now or timezone.now()
        self._found = {}

    def for_course(self, course_key, language):
        key = (course_key, language)
        if key not in self._found:
            self._found[key] = self._read(course_key, language) if course_key else []
        return self._found[key]

    def _read(self, course_key, language):
        sessions = (
            Session.objects.filter(course__translation_key=course_key, starts_at__gt=self.now)
            .upcoming(self.now)
            .select_related("course", "venue__municipality")
            .order_by("starts_at", "pk")[:SESSIONS_LISTED]
        )
        listed = []
        with translation.override(language):
            for session in sessions:
                venue = session.venue
                listed.append(
                    {
                        "title": session.title or session.course.title,
                        "starts_on": timezone.localdate(session.starts_at),
                        "ends_on": timezone.localdate(session.ends_at),
                        "place": str(venue.municipality) if venue and venue.municipality_id else "",
                        "url": absolute(session.get_absolute_url()),
                    }
                )
        return listed


def reminder_context(certificate, kind, language, sessions, today):
    with translation.override(language):
        my_certificates_url = absolute(cached_reverse("my_certificates"))
    titles = certificate.snapshot.get("course_titles") or {}
    holder = certificate.holder_name_latin if language == "en" and certificate.holder_name_latin else None
    return {
        "holder_name": holder or certificate.holder_name,
        "number": certificate.number,
        "course_title": titles.get(language) or certificate.course_title,
        "expires_at": certificate.expires_at,
        "days_left": (certificate.expires_at - today).days,
        "days_before": kind,
        "sessions": sessions,
        "verify_url": verify_url(certificate, language),
        "my_certificates_url": my_certificates_url,
        # The link an SMS carries: the first session that renews it, else the holder's certificates.
        "sms_url": sessions[0]["url"] if sessions else my_certificates_url,
    }


def send_reminder(certificate, kind, *, today, renewal_sessions):
    """Record and queue one reminder in one transaction. False when it was recorded before (by any run)."""
    user = certificate.user
    language = language_of(user)
    sessions = renewal_sessions.for_course(certificate.snapshot.get("course_key"), language)
    try:
        with transaction.atomic():
            # Inserted first: a parallel run inserting the same pair waits here, then fails and sends nothing.
            reminder = ExpiryReminder.objects.create(
                certificate=certificate, days_before=kind, sent_on=today, channel=best_channel(user) or ""
            )
            deliver(
                user=user,
                key=f"certificate-expiring:{certificate.pk}:{kind}",
                template="certificates_expiring",
                context=reminder_context(certificate, kind, language, sessions, today),
                language=language,
            )
    except IntegrityError:
        return False
    return reminder


def send_expiry_reminders(today=None, now=None):
    """The daily run: send every reminder due today. Returns how many were sent now. Safe to run twice."""
    today = today or timezone.localdate()
    renewal_sessions = RenewalSessions(now)
    sent = 0
    for certificate, kind in due_reminders(today):
        if send_reminder(certificate, kind, today=today, renewal_sessions=renewal_sessions):
            sent += 1
    refresh_expired(today)
    if sent:
        logger.info("certificate expiry reminders sent: %s", sent)
    return sent


def refresh_expired(today=None):
    """Drop the cached verification of certificates that expired in the last few days (the page said "valid")."""
    from certificates.services.verification import invalidate_cached

    today = today or timezone.localdate()
    codes = list(
        Certificate.objects.filter(
            status=CertificateStatus.VALID,
            expires_at__lt=today,
            expires_at__gte=today - timedelta(days=INVALIDATE_DAYS_BACK),
        ).values_list("code", flat=True)
    )
    if codes:
        invalidate_cached(*codes)
    return len(codes)
