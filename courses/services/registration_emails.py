"""Registration e-mails: one outbox row per event (a task that runs twice sends one e-mail), in the
participant's language; invitations for imported people; reminders a day before the session."""

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from academy.base_url import site_base_url
from academy.services.messaging import has_deliverable_email, language_of  # noqa: F401 - re-exported
from courses.models import Registration, RegistrationStatus, SessionStatus

# The calendar invitation that goes with an event's e-mail: the seat in the person's calendar, or out of it.
CALENDAR_METHOD = {"confirmed": "REQUEST", "promoted": "REQUEST", "cancelled": "CANCEL", "self_cancelled": "CANCEL"}

# The e-mail sent when a registration enters each status, by event name.
EVENT_STATUS = {
    "pending": RegistrationStatus.PENDING,
    "confirmed": RegistrationStatus.CONFIRMED,
    "waitlisted": RegistrationStatus.WAITLISTED,
    "promoted": RegistrationStatus.CONFIRMED,
    "rejected": RegistrationStatus.REJECTED,
    "cancelled": RegistrationStatus.CANCELLED,
    # The participant cancelled: the calendar entry goes away (the e-mail only confirms it).
    "self_cancelled": RegistrationStatus.CANCELLED,
    # A freed place offered from the waitlist (courses/services/waitlist_offers.py).
    "offered": RegistrationStatus.OFFERED,
}
STATUS_EVENT = {
    RegistrationStatus.PENDING: "pending",
    RegistrationStatus.CONFIRMED: "confirmed",
    RegistrationStatus.WAITLISTED: "waitlisted",
}


def stamp_of(registration):
    return int(registration.status_changed_at.timestamp() * 1_000_000)


# --- sending --------------------------------------------------------------------------------




def notify_on_commit(registration, event):
    """After commit, send the e-mail for `event` (one of EVENT_STATUS) through a Celery task."""
    registration_id, stamp = registration.pk, stamp_of(registration)

    def enqueue():
        from academy.services.tasks import enqueue_or_run
        from courses.tasks.registration import send_registration_email as task

        enqueue_or_run(task, registration_id, event, stamp)

    transaction.on_commit(enqueue, robust=True)


def absolute_url(path):
    return site_base_url() + path


def _session_path(session):
    try:
        return reverse("session_detail", args=[session.pk])
    except NoReverseMatch:
        return reverse("my_trainings")


def email_context(registration, language, **extra):
    """What every registration e-mail shows, in `language` (course title and links)."""
    session = registration.session
    with translation.override(language):
        course = session.course.localized
        context = {
            "registration": registration,
            "session": session,
            "title": session.title or course.title,
            "course_title": course.title,
            "name": registration.user.display_name,
            "venue": session.venue,
            "session_url": absolute_url(_session_path(session)),
            "my_trainings_url": absolute_url(reverse("my_trainings")),
            "starts_at": timezone.localtime(session.starts_at),
            "ends_at": timezone.localtime(session.ends_at),
        }
    context.update(extra)
    return context


def send_registration_email(registration_id, event, stamp):
    """Queue the e-mail of one registration event once. Stale events (the status moved on) send nothing."""
    from academy.services.messaging import deliver

    if event not in EVENT_STATUS:
        return False
    registration = (
        Registration.objects.select_related("user", "session__course", "session__venue")
        .with_waitlist_position()
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.status != EVENT_STATUS[event] or stamp_of(registration) != stamp:
        return False
    language = language_of(registration.user)
    _email, created = deliver(
        key=f"registration-{event}:{registration.pk}:{stamp}",
        user=registration.user,
        template=f"registration_{event}",
        context=email_context(
            registration, language, position=registration.waitlist_position, **_offer_context(registration)
        ),
        language=language,
        attachments=_calendar_invitation(registration, CALENDAR_METHOD.get(event), language),
    )
    return created


def _offer_context(registration):
    """The deadline and the link that answers an offer (the SMS carries that link)."""
    if registration.status != RegistrationStatus.OFFERED:
        return {}
    accept_url = absolute_url(reverse("registration_offer_accept", args=[registration.pk]))
    return {
        "deadline": timezone.localtime(registration.offer_expires_at),
        "accept_url": accept_url,
        "sms_url": accept_url,
    }


def _calendar_invitation(registration, method, language):
    """The session as an .ics attachment in the person's language, for events that change their calendar."""
    if method is None or not registration.user.email:
        return ()
    from django.db.models import F

    from courses import ical
    from courses.models import Session

    session = registration.session
    if method == "CANCEL":
        # One person's seat going: their CANCEL must outrank the REQUEST they had (+1), and a later REQUEST
        # (registering again) must outrank the CANCEL, so the session keeps +2.
        Session.objects.filter(pk=session.pk).update(calendar_sequence=F("calendar_sequence") + 2)
        session.refresh_from_db(fields=["calendar_sequence"])
        session.calendar_sequence -= 1
    with translation.override(language):
        agenda = session.agenda_items.order_by("day", "starts_at", "sort_order")
        return (ical.invitation(session, registration.user.email, method=method, agenda=agenda),)


def send_invitation(user_id, session_id):
    """Invite a person created by an import: the session they are registered for and a link to set a password."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from academy.services.messaging import deliver

    user = get_user_model().objects.filter(pk=user_id).first()
    registration = (
        Registration.objects.select_related("session__course", "session__venue", "user")
        .with_waitlist_position()
        .filter(user_id=user_id, session_id=session_id)
        .first()
    )
    if user is None or registration is None:
        return False
    language = language_of(user)
    with translation.override(language):
        path = reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    _email, created = deliver(
        key=f"invitation:{user.pk}:{session_id}",
        user=user,
        template="registration_invitation",
        context=email_context(
            registration,
            language,
            position=registration.waitlist_position,
            set_password_url=absolute_url(path),
            needs_password=not user.has_usable_password(),
        ),
        language=language,
    )
    return created


def invite_on_commit(user, session):
    user_id, session_id = user.pk, getattr(session, "pk", session)

    def enqueue():
        from academy.services.tasks import enqueue_or_run
        from courses.tasks.registration import send_invitation as task

        enqueue_or_run(task, user_id, session_id)

    transaction.on_commit(enqueue, robust=True)


def queue_session_reminders(now=None):
    """Queue the reminders that are due: for each day count the course sets (`reminder_days`, e.g. 7 and 1), one
    reminder per confirmed registration of sessions starting in that many days (within the next hour, as the beat
    runs every 15 minutes). People who register later than a reminder's time simply do not get that one.
    Returns how many are new."""
    from datetime import timedelta

    from academy.services.messaging import deliver
    from courses.models.catalogue import reminder_offsets

    now = now or timezone.now()
    created = 0
    for days in _reminder_days_in_use():
        registrations = (
            Registration.objects.confirmed()
            .filter(
                session__status__in=[SessionStatus.OPEN, SessionStatus.CLOSED],
                session__starts_at__gt=now + timedelta(days=days),
                session__starts_at__lte=now + timedelta(days=days, hours=1),
            )
            .select_related("user__profile", "session__course", "session__venue")
            .order_by("pk")
        )
        for registration in registrations.iterator(chunk_size=200):
            if days not in reminder_offsets(registration.session.course.reminder_days):
                continue
            profile = getattr(registration.user, "profile", None)
            language = (profile.preferred_language if profile else "") or settings.LANGUAGE_CODE
            _row, new = deliver(
                # The day-before reminder keeps the key it had before reminders were set per course.
                key=f"reminder:{registration.pk}" if days == 1 else f"reminder:{registration.pk}:{days}d",
                user=registration.user,
                template="registration_reminder",
                context=email_context(registration, language, days=days),
                language=language,
            )
            created += new
    return created


def _reminder_days_in_use():
    from courses.models import CoursePage
    from courses.models.catalogue import reminder_offsets

    days = set()
    for text in CoursePage.objects.values_list("reminder_days", flat=True).distinct():
        try:
            days.update(reminder_offsets(text))
        except ValueError:  # an old value the form would refuse today: those courses send no reminder
            continue
    return sorted(days)


# --- registrations waiting for a decision -------------------------------------------------------


def queue_pending_digests():
    """Tell the people who decide (the session's trainers, or the academy admins when it has none) that
    registrations wait for their approval: one message per session and person each time a new one arrives,
    counting all that wait. Returns how many are new."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Max

    from academy.roles import ACADEMY_ADMINS
    from academy.services.messaging import deliver
    from courses.models import Session

    waiting = (
        Registration.objects.filter(status=RegistrationStatus.PENDING, session__starts_at__gt=timezone.now())
        # Waiting for their municipality's officer first (courses/services/nominations.py), who is told instead.
        .exclude(
            session__requires_municipality_approval=True,
            municipality_approved_at__isnull=True,
            user__profile__municipality__officers__isnull=False,
        )
        .values("session_id")
        .annotate(count=Count("pk"), newest=Max("pk"))
    )
    waiting = {row["session_id"]: row for row in waiting}
    if not waiting:
        return 0
    sessions = Session.objects.filter(pk__in=waiting).select_related("course").prefetch_related("trainers__profile")
    admins = None
    created = 0
    for session in sessions:
        deciders = list(session.trainers.all())
        if not deciders:
            if admins is None:
                admins = list(
                    get_user_model().objects.filter(groups__name=ACADEMY_ADMINS, is_active=True).select_related("profile")
                )
            deciders = admins
        row = waiting[session.pk]
        for person in deciders:
            language = language_of(person)
            with translation.override(language):
                title = session.title or session.course.localized.title
            _row, new = deliver(
                # A new pending registration (a higher newest id) makes a new message; a rerun sends nothing.
                key=f"pending-digest:{session.pk}:{person.pk}:{row['newest']}",
                user=person,
                template="registration_pending_digest",
                context={
                    "name": person.display_name,
                    "session_title": title,
                    "count": row["count"],
                    "starts_at": session.starts_at,
                    "url": absolute_url(reverse("registrations_admin:roster", args=[session.pk])),
                },
                language=language,
            )
            created += new
    return created
