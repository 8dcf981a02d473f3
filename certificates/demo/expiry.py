"""Demo certificates that expire (idempotent).

Runs after the demo certificates (ORDER 60): the course of the first demo session gets a certificate validity
of 2 years, and two earlier runs of it, held about two years before the day the demo is first seeded, give
two participants certificates under that rule:

* Nurbek Mamatov (the README's participant): his certificate expires in 40 days, so "My certificates" says
  "valid until …" and the daily task sends him the 60-day reminder;
* Jyldyz Toktosunova: hers expired 20 days ago, so its verification page says "expired".

Certificates issued before the rule was set keep no end date (a rule applies from the day it is set). A
second run finds both certificates and changes nothing.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from academy.models import User
from certificates.models import Certificate
from certificates.services import issuance
from certificates.services.expiry import add_years
from courses.models import CoursePage, Registration, Session, SessionStatus

ORDER = 62
VALIDITY_YEARS = 2
SESSION_TITLE = "Бишкек, 2024-жылдагы топ"
# (holder, days from today to the certificate's last day)
HOLDERS = [("nurbek.mamatov@example.org", 40), ("jyldyz.toktosunova@example.org", -20)]


def _course(context):
    sessions = context.get("sessions")
    if isinstance(sessions, dict):
        sessions = list(sessions.values())
    for session in sessions or ():
        return session.course
    return CoursePage.objects.live().order_by("pk").first()


def set_validity(course):
    """Give every language version of the course the validity, through a published revision (so the editor shows it)."""
    for page in CoursePage.objects.filter(translation_key=course.translation_key):
        if page.certificate_validity_years != VALIDITY_YEARS:
            page.certificate_validity_years = VALIDITY_YEARS
            revision = page.save_revision()
            if page.live:
                revision.publish()


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _session(course, last_day):
    """A two-day run of the course that ended on `last_day`."""
    session, _created = Session.objects.get_or_create(
        course=course,
        title=SESSION_TITLE,
        starts_at=_at(last_day - timedelta(days=1), 9),
        defaults={"ends_at": _at(last_day, 17), "capacity": 25, "status": SessionStatus.COMPLETED},
    )
    return session


def seed(context):
    today = timezone.localtime(context.get("now") or timezone.now()).date()
    course = _course(context)
    if course is None:
        return "no course"
    set_validity(course)
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    issuer = issuance.CertificateIssuer(issued_by=admin, notify=False)
    made = []
    for email, days in HOLDERS:
        user = User.objects.filter(email=email).first()
        if user is None or not getattr(getattr(user, "profile", None), "full_name", ""):
            continue
        mine = Certificate.objects.filter(user=user, session__title=SESSION_TITLE, expires_at__isnull=False)
        if mine.exists():
            continue
        completed_on = add_years(today + timedelta(days=days), -VALIDITY_YEARS)
        session = _session(course, completed_on)
        registration, _created = Registration.objects.get_or_create(
            session=session,
            user=user,
            defaults={"status": "confirmed", "completed_at": _at(completed_on, 17)},
        )
        certificate, _created = issuer.issue(registration)
        made.append(f"{certificate.number} valid until {certificate.expires_at:%Y-%m-%d}")
    return f"course “{course.title}” valid {VALIDITY_YEARS} years; " + (", ".join(made) or "nothing new")
