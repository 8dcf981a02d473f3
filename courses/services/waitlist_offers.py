"""Waitlist offers: a freed place offered to the first person waiting, who accepts within the hours the session
sets (`Session.waitlist_offer_hours`) before it passes to the next person.

Sessions with 0 hours keep the automatic promotion (courses/services/registration.py). With more, the seat-changing
services call `make_offer` instead of confirming; the offered registration holds the seat (SEAT_STATUSES) until its
person accepts (confirmed), declines (cancelled) or the deadline passes (`expire_offers`, run by beat: cancelled, and
the place offered to the next person). Every change runs under the session row lock, like every other seat change,
so an accept racing the expiry or a second accept sees the state the first one left.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.errors import DomainError, NotFoundError, PermissionDeniedError
from courses.models import Registration, RegistrationStatus
from courses.services.registration_emails import notify_on_commit

OFFER_EVENT = "offered"


def offers_places(session, now):
    """Whether a freed place of `session` is offered rather than given. Once the session has started there is no
    time left to answer: the place is given as before."""
    return session.waitlist_offer_hours > 0 and session.starts_at > now


def offer_deadline(session, now):
    """The offer's deadline: the session's hours from now, but never after the session starts."""
    return min(now + timedelta(hours=session.waitlist_offer_hours), session.starts_at)


def make_offer(session, registration, now):
    """Offer the place to a waiting `registration` of the locked `session` (the caller counted the free seat)."""
    registration.status = RegistrationStatus.OFFERED
    registration.status_changed_at = now
    registration.offer_expires_at = offer_deadline(session, now)
    registration.save(update_fields=["status", "status_changed_at", "offer_expires_at"])
    notify_on_commit(registration, OFFER_EVENT)
    return registration


# --- the person answers ------------------------------------------------------------------------------


def _locked(registration, actor):
    """(session, registration) re-read under the session lock; only the registration's own person answers."""
    from courses.services.registration import _lock_session

    if actor is None or not actor.is_authenticated:
        raise PermissionDeniedError(_("Please log in to answer the offer."), code="not_authenticated")
    session = _lock_session(registration.session_id)
    registration = Registration.objects.select_related("user").filter(pk=registration.pk).first()
    if registration is None:
        raise NotFoundError(_("This registration does not exist."), code="not_found")
    if registration.user_id != actor.pk:
        raise PermissionDeniedError(_("This place was offered to someone else."), code="not_yours")
    return session, registration


def _check_open(registration, now, *, answered_status):
    """None when the offer can be answered now; True when `answered_status` is already the answer (a second
    click changes nothing); a DomainError otherwise."""
    if registration.status == RegistrationStatus.OFFERED:
        if registration.offer_expires_at is not None and registration.offer_expires_at <= now:
            raise DomainError(
                _("This offer has expired; the place has passed to the next person."), code="offer_expired"
            )
        return None
    answered = (RegistrationStatus.CONFIRMED, RegistrationStatus.CANCELLED)
    if registration.offer_expires_at is None or registration.status not in answered:
        raise DomainError(_("No place is offered to you for this session."), code="no_offer")
    if registration.offer_expired:
        raise DomainError(_("This offer has expired; the place has passed to the next person."), code="offer_expired")
    if registration.status == answered_status:
        return True
    raise DomainError(_("You have already answered this offer."), code="already_answered")


def accept_offer(registration, *, actor, now=None):
    """The person takes the offered place: confirmed, with the usual confirmation and calendar invitation."""
    with transaction.atomic():
        now = now or timezone.now()
        _session, registration = _locked(registration, actor)
        if _check_open(registration, now, answered_status=RegistrationStatus.CONFIRMED):
            return registration
        registration.status = RegistrationStatus.CONFIRMED
        registration.status_changed_at = now
        registration.save(update_fields=["status", "status_changed_at"])
        notify_on_commit(registration, "confirmed")
    return registration


def decline_offer(registration, *, actor, now=None):
    """The person turns the place down: cancelled (they may register again later), the place offered to the next."""
    from courses.services.registration import _serve_waitlist

    with transaction.atomic():
        now = now or timezone.now()
        session, registration = _locked(registration, actor)
        if _check_open(registration, now, answered_status=RegistrationStatus.CANCELLED):
            return registration
        registration.status = RegistrationStatus.CANCELLED
        registration.status_changed_at = now
        registration.decided_by = actor
        registration.save(update_fields=["status", "status_changed_at", "decided_by"])
        _serve_waitlist(session, now)
    return registration


# --- expiry ----------------------------------------------------------------------------------------


def sessions_with_expired_offers(now):
    return list(
        Registration.objects.offered()
        .filter(offer_expires_at__lte=now)
        .order_by()
        .values_list("session_id", flat=True)
        .distinct()
    )


def expire_session_offers(session_id, now=None):
    """Cancel the expired offers of one session and offer the places to the next people. Returns how many expired.

    Run twice, the second run finds nothing expired: same result."""
    from courses.services.registration import _lock_session, _serve_waitlist

    now = now or timezone.now()
    with transaction.atomic():
        try:
            session = _lock_session(session_id)
        except NotFoundError:
            return 0
        expired = list(session.registrations.offered().filter(offer_expires_at__lte=now))
        for registration in expired:
            # status_changed_at at or after the deadline is what tells an expired offer from a declined one.
            registration.status = RegistrationStatus.CANCELLED
            registration.status_changed_at = now
            registration.decided_by = None
            registration.save(update_fields=["status", "status_changed_at", "decided_by"])
        if expired:
            _serve_waitlist(session, now)
    return len(expired)


def expire_offers(now=None):
    """Beat: every expired offer cancelled and its place offered onward, one session (one lock) at a time."""
    now = now or timezone.now()
    return {session_id: expire_session_offers(session_id, now) for session_id in sessions_with_expired_offers(now)}
