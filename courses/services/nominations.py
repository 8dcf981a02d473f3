"""Nomination by municipalities: the municipality is the participant's manager.

A municipality's head or HR officer (`academy.models.MunicipalityOfficer`, assigned by academy admins)
speaks for the people whose profile names that municipality, and for nobody else:

* **nominates** them to a session open for registration: a registration with the source
  `nomination`, through the registration service (session lock, seats, quotas, waitlist), that
  already carries the municipality's approval;
* **approves or rejects** their self-registrations for sessions that ask for it
  (`Session.requires_municipality_approval`): the approval gives a seat (or the waitlist) under the
  session lock, or, when the academy approves too (`requires_approval`), passes the registration on to
  the academy, still awaiting approval.

An officer asking about a person or a registration outside their municipality is told it does not
exist: the officer's view of the academy is their municipality.
"""

from django.db import transaction
from django.db.models import F as models_F
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.errors import DomainError, NotFoundError, PermissionDeniedError
from academy.models import Profile, User
from academy.roles import municipality_officer
from courses.models import Registration, RegistrationSource, RegistrationStatus, Session
from courses.services import quotas
from courses.services import registration as registration_service


def require_officer(user):
    """The officer record of `user`, or PermissionDeniedError."""
    officer = municipality_officer(user)
    if officer is None:
        raise PermissionDeniedError(_("Only a municipality's head or HR officer can do this."))
    return officer


def staff_profiles(officer):
    """The profiles of the people of the officer's municipality, by name."""
    return (
        Profile.objects.filter(municipality_id=officer.municipality_id, user__is_active=True)
        .select_related("user", "organization")
        .order_by("full_name", "pk")
    )


def staff_member(officer, user_id):
    """The person `user_id` of the officer's municipality (NotFoundError for anybody else)."""
    user = (
        User.objects.filter(pk=user_id, is_active=True, profile__municipality_id=officer.municipality_id)
        .select_related("profile")
        .first()
        if str(user_id).isdigit()
        else None
    )
    if user is None:
        raise NotFoundError(_("This person is not on your municipality's staff list."), code="not_found")
    return user


def open_sessions(now=None):
    """Sessions an officer may nominate to: open for registration, soonest first, with their seats."""
    now = now or timezone.now()
    return Session.objects.open_for_registration(now).for_listing().with_seats().order_by("starts_at", "pk")


def _check_profile_for_nomination(user):
    missing = [name for name in registration_service.missing_profile_fields(user) if name != "consent"]
    if missing:
        raise DomainError(
            _(
                "The profile of %(name)s lacks the full name, gender or organisation kind; "
                "ask them (or the academy) to complete it first."
            )
            % {"name": user.display_name},
            field="user",
            code="profile_incomplete",
        )


def nominate(session, user_id, *, actor, notify=True, now=None):
    """The officer `actor` nominates a person of their municipality to `session` (a Session or its id).

    The participant rules apply (open session, inside the registration window, eligibility, quotas); the
    municipality's approval is given by the nomination itself."""
    officer = require_officer(actor)
    person = staff_member(officer, user_id)
    session_id = session.pk if isinstance(session, Session) else session
    if not Session.objects.published().filter(pk=session_id).exists():
        raise NotFoundError(_("This session does not exist or is not published yet."), code="not_found")
    _check_profile_for_nomination(person)
    return registration_service._register(
        int(session_id),
        person,
        source=RegistrationSource.NOMINATION,
        actor=actor,
        notify=notify,
        now=now,
        profile=person.profile,
        nominated_by=actor,
    )


# --- approvals ---------------------------------------------------------------------------------


def pending_approvals(officer, now=None):
    """Self-registrations of the officer's people awaiting their municipality's approval, oldest first."""
    now = now or timezone.now()
    return (
        Registration.objects.filter(
            status=RegistrationStatus.PENDING,
            municipality_approved_at__isnull=True,
            session__requires_municipality_approval=True,
            session__ends_at__gt=now,
            user__profile__municipality_id=officer.municipality_id,
        )
        .select_related("session__course", "user__profile")
        .order_by("created_at", "pk")
    )


def _pending_for(officer, registration_id, now):
    registration = pending_approvals(officer, now).filter(pk=registration_id).first()
    if registration is None:
        # Somebody else's registration, or one decided already: nothing to decide here.
        raise NotFoundError(_("There is no registration awaiting your approval with this number."), code="not_found")
    return registration


def approve(registration_id, *, actor, note="", now=None):
    """The officer approves one self-registration of their municipality. Returns it with its new status."""
    officer = require_officer(actor)
    now = now or timezone.now()
    registration = _pending_for(officer, registration_id, now)
    with transaction.atomic():
        session = registration_service._lock_session(registration.session_id)
        registration = _pending_for(officer, registration_id, now)  # re-read under the lock
        registration.municipality_approved_by = actor
        registration.municipality_approved_at = now
        fields = ["municipality_approved_by", "municipality_approved_at"]
        if not session.requires_approval:
            seats = quotas.SeatBook(session, now, registration_service._open_seats(session, now))
            if seats.take(registration.user_id):
                registration_service._set_status(registration, RegistrationStatus.CONFIRMED, actor=actor, note=note)
            else:
                registration_service._set_status(
                    registration, RegistrationStatus.WAITLISTED, actor=actor, note=note, requeue=True
                )
            fields += ["status", "status_changed_at", "created_at", "decided_by", "decision_note"]
            registration_service.notify_on_commit(registration, registration_service.STATUS_EVENT[registration.status])
        registration.save(update_fields=fields)
    return registration


def reject(registration_id, *, actor, note="", now=None):
    """The officer declines one self-registration of their municipality (the person is told, with the note)."""
    officer = require_officer(actor)
    now = now or timezone.now()
    note = (note or "").strip()
    with transaction.atomic():
        registration = _pending_for(officer, registration_id, now)
        registration_service._lock_session(registration.session_id)
        registration = _pending_for(officer, registration_id, now)
        registration_service._set_status(registration, RegistrationStatus.REJECTED, actor=actor, note=note)
        registration.save(update_fields=["status", "status_changed_at", "decided_by", "decision_note"])
        registration_service.notify_on_commit(registration, "rejected")
    return registration


def nominations_of(officer, now=None):
    """Upcoming registrations of the officer's people (nominated or not), for their overview."""
    now = now or timezone.now()
    return (
        Registration.objects.active()
        .filter(user__profile__municipality_id=officer.municipality_id, session__ends_at__gt=now)
        .select_related("session__course", "user__profile")
        .order_by("session__starts_at", "user__profile__full_name", "pk")
    )


# --- telling officers ----------------------------------------------------------------------------------


def queue_officer_digests(now=None):
    """Tell each officer that self-registrations of their municipality wait for them: one message each time a
    new one arrives, counting all that wait. Safe to run any number of times. Returns how many are new."""
    from django.db.models import Count, Max
    from django.urls import reverse
    from django.utils import translation

    from academy.models import MunicipalityOfficer
    from academy.services.messaging import deliver, language_of
    from courses.services.registration_emails import absolute_url

    now = now or timezone.now()
    waiting = {
        row["municipality"]: row
        for row in Registration.objects.filter(
            status=RegistrationStatus.PENDING,
            municipality_approved_at__isnull=True,
            session__requires_municipality_approval=True,
            session__starts_at__gt=now,
            user__profile__municipality__isnull=False,
        )
        .values(municipality=models_F("user__profile__municipality_id"))
        .annotate(count=Count("pk"), newest=Max("pk"))
    }
    created = 0
    officers = MunicipalityOfficer.objects.filter(municipality_id__in=waiting, user__is_active=True).select_related(
        "user__profile", "municipality"
    )
    for officer in officers:
        row = waiting[officer.municipality_id]
        language = language_of(officer.user)
        with translation.override(language):
            url = absolute_url(reverse("municipality_approvals"))
            municipality = str(officer.municipality)
        _row, new = deliver(
            # A new registration (a higher newest id) makes a new message; a rerun sends nothing.
            key=f"municipality-digest:{officer.user_id}:{row['newest']}",
            user=officer.user,
            template="municipality_pending_digest",
            context={
                "name": officer.user.display_name,
                "municipality": municipality,
                "count": row["count"],
                "url": url,
            },
            language=language,
        )
        created += new
    return created
