"""Scheduling sessions: the rules live here, and the admin form, the API and the demo all call them.

`check_session` holds every rule about one session (dates, capacity, venue and trainer clashes,
agenda); `save_session` checks permission, runs the rules and saves the session with its trainers
and agenda in one go; `cancel_session` and `copy_agenda_from_previous` are the two other changes a
trainer makes. Each raises `DomainError` with a translated message and the name of the input at
fault, and changes nothing when it does.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from academy.base_url import site_base_url
from academy.errors import DomainError, NotFoundError, PermissionDeniedError
from academy.roles import is_academy_admin, is_trainer
from courses.models import AgendaItem, CoursePage, Session, SessionFormat, SessionStatus
from courses.models.registrations import ACTIVE_STATUSES
from courses.permissions import can_manage_session, can_schedule_sessions
from courses.services import public_pages

logger = logging.getLogger(__name__)

AGENDA_FIELD = "agenda"
# Whoever is told when a session moves or is cancelled: a person holding an offered place too.
ACTIVE_REGISTRATION_STATUSES = tuple(str(status) for status in ACTIVE_STATUSES)


# --- reading -------------------------------------------------------------------------------------


def attach_localized_courses(sessions, language=None):
    """Give each session its course page in `language` (default: active) with one query for the lot."""
    sessions = list(sessions)
    language = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    keys = {session.course.translation_key for session in sessions}
    if not keys:
        return sessions
    pages = {
        page.translation_key: page
        for page in CoursePage.objects.live()
        .filter(translation_key__in=keys, locale__language_code=language)
        .select_related("locale")
    }
    for session in sessions:
        session.localized_course = pages.get(session.course.translation_key, session.course)
    return sessions


def session_titles(sessions):
    """{session id: its title, else its course's title in the active language} in one query for the lot."""
    from wagtail.models import Locale

    keys = {session.course.translation_key for session in sessions}
    if not keys:
        return {}
    localized = dict(
        CoursePage.objects.filter(translation_key__in=keys, locale=Locale.get_active()).values_list(
            "translation_key", "title"
        )
    )
    return {
        session.pk: session.title or localized.get(session.course.translation_key) or session.course.title
        for session in sessions
    }


def session_label(session):
    """A short name for messages: title and dates, e.g. «Batken (12.03.2026–13.03.2026)»."""
    starts = timezone.localtime(session.starts_at)
    ends = timezone.localtime(session.ends_at)
    dates = f"{starts:%d.%m.%Y}" if starts.date() == ends.date() else f"{starts:%d.%m.%Y}–{ends:%d.%m.%Y}"
    return f"«{session.display_title}» ({dates})"


def previous_session_with_agenda(session):
    """The latest other session of the same course that has an agenda, preferring earlier ones."""
    candidates = (
        Session.objects.for_course(session.course)
        .exclude(pk=session.pk)
        .filter(agenda_items__isnull=False)
        .distinct()
    )
    earlier = candidates.filter(starts_at__lt=session.starts_at).order_by("-starts_at", "-pk").first()
    return earlier or candidates.order_by("-starts_at", "-pk").first()


# --- rules ---------------------------------------------------------------------------------------


def _local(day, time):
    return timezone.make_aware(datetime.combine(day, time), timezone.get_default_timezone())


def _agenda_error(message, item):
    error = DomainError(message, field=AGENDA_FIELD)
    error.item = item
    return error


def effective_trainers(session, trainers, user):
    """The trainers a save will store: a trainer who creates a session becomes one of its trainers."""
    trainers = list(trainers)
    if session.pk is None and user is not None and is_trainer(user) and all(t.pk != user.pk for t in trainers):
        trainers.append(user)
    return trainers


def _check_dates_and_capacity(session, previous):
    if session.starts_at is None:
        raise DomainError(_("Enter when the session starts."), field="starts_at")
    if session.ends_at is None:
        raise DomainError(_("Enter when the session ends."), field="ends_at")
    if session.ends_at <= session.starts_at:
        raise DomainError(_("The session must end after it starts."), field="ends_at")
    if session.capacity is None or session.capacity < 1:
        raise DomainError(_("The capacity must be at least one seat."), field="capacity")
    if session.venue_id and session.capacity > session.venue.capacity:
        raise DomainError(
            _("The capacity (%(capacity)s) is above the room capacity of %(venue)s (%(room)s seats).")
            % {"capacity": session.capacity, "venue": session.venue, "room": session.venue.capacity},
            field="capacity",
        )
    if session.pk is not None:
        # Places offered to the waitlist are held like confirmed ones.
        confirmed = session.registrations.holding_seats().count()
        if session.capacity < confirmed:
            raise DomainError(
                _("%(count)s participants are already confirmed; the capacity cannot be lower than that.")
                % {"count": confirmed},
                field="capacity",
            )
    opens, closes = session.registration_opens_at, session.registration_closes_at
    if opens and closes and closes <= opens:
        raise DomainError(_("Registration must close after it opens."), field="registration_closes_at")
    if closes and closes > session.ends_at:
        raise DomainError(_("Registration cannot close after the session ends."), field="registration_closes_at")
    if session.status != SessionStatus.DRAFT and session.format == SessionFormat.IN_PERSON and not session.venue_id:
        raise DomainError(_("Choose a venue for an in-person session before publishing it."), field="venue")
    if previous is not None and previous.status == SessionStatus.CANCELLED and session.status != SessionStatus.CANCELLED:
        raise DomainError(
            _("A cancelled session cannot be reopened; schedule a new session instead."), field="status"
        )


def _check_agenda(session, trainers, agenda):
    days = set(session.days)
    trainer_ids = {trainer.pk for trainer in trainers}
    blocks = []
    for item in agenda:
        if item.day is None or item.starts_at is None or item.ends_at is None:
            raise _agenda_error(_("Each agenda item needs a day, a start and an end time."), item)
        if item.ends_at <= item.starts_at:
            raise _agenda_error(
                _("The agenda item «%(title)s» must end after it starts.") % {"title": item.title}, item
            )
        starts, ends = _local(item.day, item.starts_at), _local(item.day, item.ends_at)
        if item.day not in days or starts < session.starts_at or ends > session.ends_at:
            raise _agenda_error(
                _("The agenda item «%(title)s» is outside the session's dates and times.") % {"title": item.title},
                item,
            )
        if item.trainer_id and item.trainer_id not in trainer_ids:
            raise _agenda_error(
                _("%(trainer)s leads «%(title)s» but is not a trainer of this session.")
                % {"trainer": item.trainer, "title": item.title},
                item,
            )
        blocks.append((starts, ends, item))
    blocks.sort(key=lambda block: (block[0], block[1]))
    for (_starts, first_ends, first), (second_starts, _ends, second) in zip(blocks, blocks[1:], strict=False):
        if second_starts < first_ends:
            raise _agenda_error(
                _("The agenda items «%(first)s» and «%(second)s» overlap.")
                % {"first": first.title, "second": second.title},
                second,
            )


def _check_clashes(session, trainers):
    if session.status == SessionStatus.CANCELLED:
        return
    others = Session.objects.overlapping(session.starts_at, session.ends_at).select_related("course")
    if session.pk is not None:
        others = others.exclude(pk=session.pk)
    trainer_ids = [trainer.pk for trainer in trainers]
    if trainer_ids:
        clash = others.filter(trainers__in=trainer_ids).order_by("starts_at", "pk").first()
        if clash is not None:
            busy = clash.trainers.filter(pk__in=trainer_ids).select_related("profile").first() or trainers[0]
            raise DomainError(
                _("%(trainer)s already trains %(session)s at that time.")
                % {"trainer": busy, "session": session_label(clash)},
                field="trainers",
            )
    if session.venue_id:
        clash = others.filter(venue_id=session.venue_id).order_by("starts_at", "pk").first()
        if clash is not None:
            raise DomainError(
                _("%(venue)s is already booked for %(session)s at that time.")
                % {"venue": session.venue, "session": session_label(clash)},
                field="venue",
            )


def check_session(session, *, trainers, agenda, user=None, previous=None):
    """Raise DomainError if `session` (saved or not, with its new values) breaks a scheduling rule.

    `trainers` and `agenda` are the trainers and agenda items the session is about to have;
    `previous` is the stored version of the session, if any.
    """
    trainers = effective_trainers(session, trainers, user)
    _check_dates_and_capacity(session, previous)
    if (
        user is not None
        and previous is not None
        and not is_academy_admin(user)
        and previous.trainers.filter(pk=user.pk).exists()
        and all(trainer.pk != user.pk for trainer in trainers)
    ):
        raise DomainError(
            _("You cannot remove yourself from the trainers of a session; ask an academy admin."), field="trainers"
        )
    _check_agenda(session, trainers, agenda)
    _check_clashes(session, trainers)


def _stored(session):
    if session.pk is None:
        return None
    return Session.objects.filter(pk=session.pk).first()


def _check_permission(user, previous):
    if user is None:  # the system itself: demo data, imports
        return
    if previous is None:
        if not can_schedule_sessions(user):
            raise PermissionDeniedError(_("Only trainers and academy admins can schedule sessions."))
    elif not can_manage_session(user, previous):
        raise PermissionDeniedError(_("You can only change the sessions you train."))


# --- changes -------------------------------------------------------------------------------------


def save_session(session, *, user, trainers=None, agenda=None):
    """Create or update `session` with its trainers and agenda, after checking every rule.

    `session` carries the new field values (saved or not). `trainers` (users) and `agenda`
    (unsaved or saved AgendaItem objects) replace the current ones when given; otherwise the
    values already set on the session in memory (e.g. by an admin form) are kept. `user` is the
    person scheduling (None for the system itself).
    """
    previous = _stored(session)
    _check_permission(user, previous)
    if trainers is not None:
        session.trainers.set(list(trainers))
    if agenda is not None:
        for position, item in enumerate(agenda):
            item.sort_order = position
        session.agenda_items = list(agenda)
    final_trainers = effective_trainers(session, session.trainers.all(), user)
    check_session(
        session, trainers=final_trainers, agenda=list(session.agenda_items.all()), user=user, previous=previous
    )
    if previous is None and user is not None:
        session.created_by = user
    moved = previous is not None and (_moved(previous, session) or _hours_changed(previous, session))
    cancelling = previous is not None and previous.status != SessionStatus.CANCELLED and (
        session.status == SessionStatus.CANCELLED
    )
    if previous is not None and (moved or cancelling or _calendar_text_changed(previous, session)):
        # Calendars replace an event only when its SEQUENCE grows (RFC 5546): every change they show bumps it.
        session.calendar_sequence = previous.calendar_sequence + 1
    session.trainers.set(final_trainers)
    with transaction.atomic():
        session.save()
    if previous is not None and previous.status != SessionStatus.CANCELLED and session.status == SessionStatus.CANCELLED:
        _notify_cancellation_after_commit(session.pk)
        return session
    if previous is not None and session.capacity > previous.capacity:
        _promote_waitlist_after_commit(session.pk)
    if moved and session.status != SessionStatus.CANCELLED:
        _notify_change_after_commit(session.pk)
    return session


# What participants must hear about: when and where the session is (their calendars hold it).
MOVING_FIELDS = ("starts_at", "ends_at", "venue_id", "online_url")


def _moved(previous, session):
    return any(getattr(previous, name) != getattr(session, name) for name in MOVING_FIELDS)


def _day_hours(items):
    return sorted((item.day, item.starts_at, item.ends_at) for item in items)


def _hours_changed(previous, session):
    """The agenda sets each day's hours in the calendar (courses/ical.py), so new hours move the session."""
    return _day_hours(previous.agenda_items.all()) != _day_hours(session.agenda_items.all())


def _calendar_text_changed(previous, session):
    reopened = previous.status == SessionStatus.CANCELLED and session.status != SessionStatus.CANCELLED
    return reopened or previous.title != session.title or previous.course_id != session.course_id


def _notify_change_after_commit(session_id):
    def enqueue():
        from academy.services.tasks import enqueue_or_run
        from courses.tasks.catalogue import notify_session_changed

        enqueue_or_run(notify_session_changed, session_id)

    transaction.on_commit(enqueue, robust=True)


def _promote_waitlist_after_commit(session_id):
    """More seats: the registration area confirms the waitlist in order (after commit)."""
    from courses.services import registration

    registration.schedule_promotion(session_id)


def cancel_session(session, *, user, reason=""):
    """Cancel the session and tell its registered participants. Cancelling twice changes nothing."""
    previous = _stored(session)
    if previous is None:
        raise NotFoundError(_("The session does not exist."))
    _check_permission(user, previous)
    if previous.status == SessionStatus.CANCELLED:
        return previous
    if previous.status == SessionStatus.COMPLETED:
        raise DomainError(_("A completed session cannot be cancelled."), field="status")
    Session.objects.filter(pk=previous.pk).update(
        status=SessionStatus.CANCELLED,
        cancellation_reason=reason or previous.cancellation_reason,
        calendar_sequence=F("calendar_sequence") + 1,  # the CANCEL must outrank every REQUEST sent before
        updated_at=timezone.now(),
    )
    _notify_cancellation_after_commit(previous.pk)
    public_pages.catalogue_changed()  # a queryset update sends no post_save
    previous.refresh_from_db()
    return previous


def copy_agenda_from_previous(session, *, user, replace=False):
    """Copy the agenda of the course's previous session, day by day, onto `session`.

    Day 1 of the source lands on day 1 of this session and so on; the block times are kept.
    Blocks led by someone who does not train this session lose their trainer. Returns
    (source session, number of blocks copied).
    """
    previous = _stored(session)
    if previous is None:
        raise NotFoundError(_("Save the session before copying an agenda into it."))
    _check_permission(user, previous)
    if previous.agenda_items.exists() and not replace:
        raise DomainError(
            _("This session already has an agenda; confirm that it should be replaced."), field=AGENDA_FIELD
        )
    source = previous_session_with_agenda(previous)
    if source is None:
        raise DomainError(_("No other session of this course has an agenda to copy."), field=AGENDA_FIELD)
    source_days = source.days
    target_days = previous.days
    source_items = list(source.agenda_items.order_by("day", "starts_at", "sort_order"))
    if (max(item.day for item in source_items) - source_days[0]).days >= len(target_days):
        raise DomainError(
            _("The agenda of %(source)s spans more days than this session.") % {"source": session_label(source)},
            field=AGENDA_FIELD,
        )
    trainer_ids = set(previous.trainers.values_list("pk", flat=True))
    copies = [
        AgendaItem(
            day=target_days[(item.day - source_days[0]).days],
            starts_at=item.starts_at,
            ends_at=item.ends_at,
            title=item.title,
            description=item.description,
            trainer_id=item.trainer_id if item.trainer_id in trainer_ids else None,
        )
        for item in source_items
    ]
    save_session(previous, user=user, agenda=copies)
    return source, len(copies)


# --- cancellation e-mails ------------------------------------------------------------------------


def _notify_cancellation_after_commit(session_id):
    def enqueue():
        from academy.services.tasks import enqueue_or_run
        from courses.tasks.catalogue import notify_session_cancelled

        enqueue_or_run(notify_session_cancelled, session_id)

    transaction.on_commit(enqueue)


def _public_url(path):
    return site_base_url() + path


def notify_session_cancelled(session_id):
    """Queue one e-mail per registered participant, each in their language. Safe to run twice."""
    from academy.services.messaging import deliver
    from courses import ical
    from courses.models import Registration, RegistrationStatus

    session = (
        Session.objects.select_related("course", "venue").prefetch_related("trainers").filter(pk=session_id).first()
    )
    if session is None or session.status != SessionStatus.CANCELLED:
        return 0
    registrations = (
        Registration.objects.filter(session=session, status__in=ACTIVE_REGISTRATION_STATUSES)
        .select_related("user__profile")
        .order_by("pk")
    )
    titles = {}
    urls = {}
    queued = 0
    for registration in registrations:
        profile = getattr(registration.user, "profile", None)
        language = getattr(profile, "preferred_language", "") or settings.LANGUAGE_CODE
        if language not in titles:
            with translation.override(language):
                titles[language] = session.title or session.course.localized.title
                urls[language] = (
                    _public_url(session.get_absolute_url()),
                    _public_url(reverse("course_catalogue")),
                )
        had_seat = registration.status == RegistrationStatus.CONFIRMED and registration.user.email
        with translation.override(language):
            attachments = (ical.invitation(session, registration.user.email, method="CANCEL"),) if had_seat else ()
        _email, created = deliver(
            attachments=attachments,
            key=f"session-cancelled:{session.pk}:{registration.pk}",
            user=registration.user,
            template="catalogue_session_cancelled",
            context={
                "name": registration.user.display_name,
                "session_title": titles[language],
                "starts_at": session.starts_at,
                "ends_at": session.ends_at,
                "venue": session.venue,
                "reason": session.cancellation_reason,
                "url": urls[language][0],
                "catalogue_url": urls[language][1],
            },
            language=language,
        )
        queued += created
    return queued


def notify_session_changed(session_id):
    """Tell everyone registered that the session moved (dates, venue, online link), with the updated calendar
    entry for those who have a seat. One message per change and person: a rerun sends nothing new."""
    from academy.services.messaging import deliver
    from courses import ical
    from courses.models import Registration, RegistrationStatus

    session = (
        Session.objects.select_related("course", "venue").prefetch_related("trainers").filter(pk=session_id).first()
    )
    if session is None or session.status == SessionStatus.CANCELLED:
        return 0
    change = session.calendar_sequence
    registrations = (
        Registration.objects.filter(session=session, status__in=ACTIVE_REGISTRATION_STATUSES)
        .select_related("user__profile")
        .order_by("pk")
    )
    queued = 0
    for registration in registrations:
        profile = getattr(registration.user, "profile", None)
        language = getattr(profile, "preferred_language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            title = session.title or session.course.localized.title
            has_seat = registration.status == RegistrationStatus.CONFIRMED and registration.user.email
            attachments = (
                (ical.invitation(session, registration.user.email, agenda=session.agenda_items.all()),) if has_seat else ()
            )
        _row, created = deliver(
            key=f"session-changed:{session.pk}:{registration.pk}:{change}",
            user=registration.user,
            template="catalogue_session_changed",
            context={
                "name": registration.user.display_name,
                "session_title": title,
                "starts_at": session.starts_at,
                "ends_at": session.ends_at,
                "venue": session.venue,
                "online_url": session.online_url,
                "url": _public_url(session.get_absolute_url()),
            },
            language=language,
            attachments=attachments,
        )
        queued += created
    return queued
