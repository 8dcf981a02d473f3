"""Registration rules: register, cancel, approve or reject, promote the waitlist, notify.

The promise "no session is ever overbooked" rests on one rule: every change that can give
or take a seat runs in a transaction that first locks the session row
(``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's IMMEDIATE transactions take the write lock
at BEGIN). The seat count and the write then happen while nobody else can change the seats
of that session, so the waitlist order is the order in which the locks were granted.

The waitlist is served first: a seat that frees (a cancellation) goes to the first waiting person in
the same transaction, and every change that hands out a seat (register, approve, enrol) first gives
any free seat to the people waiting (`_serve_waitlist`). A newcomer is confirmed only when nobody is
waiting, so nobody gets ahead of the queue while the promotion task is still on its way.
"""

import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.errors import DomainError, NotFoundError, PermissionDeniedError
from academy.formats import format_date
from academy.models import OrganizationKind, Profile
from academy.prepared import Prepared
from academy.roles import is_academy_admin, is_trainer
from courses.models import SEAT_STATUSES, Registration, RegistrationSource, RegistrationStatus, Session, SessionStatus
from courses.permissions import can_manage_session
from courses.services import quotas
from courses.services.registration_emails import (  # noqa: F401 (the e-mail side, used by callers through here)
    EVENT_STATUS,
    STATUS_EVENT,
    absolute_url,
    email_context,
    has_deliverable_email,
    invite_on_commit,
    notify_on_commit,
    queue_session_reminders,
    send_invitation,
    send_registration_email,
)
from courses.services.registration_emails import stamp_of as _stamp  # noqa: F401 (tests build e-mail events)

logger = logging.getLogger(__name__)

# A profile needs these before its owner can register: reports for donors are cut by them,
# and eligibility is decided by the organisation kind.
REQUIRED_PROFILE_FIELDS = ("full_name", "gender", "organization_kind")
_UNREAD = object()  # "the caller did not read the profile": read it here

# --- checks -------------------------------------------------------------------------------


def _format_datetime(value):
    return format_date(value, "datetime")


def _profile_query(user):
    return Profile.objects.filter(user_id=user).values(*(field.attname for field in Profile._meta.concrete_fields))[:1]


_PROFILE = Prepared(_profile_query, user=int)  # read on every registration: its SQL compiled once


def profile_of(user):
    if not user.pk:
        return None
    row = _PROFILE.first(user=user.pk)
    return Profile.from_db("default", list(row), list(row.values())) if row else None


def missing_profile_fields(user, profile=_UNREAD):
    """Names of the profile fields the user still has to fill in; "consent" when consent is missing."""
    if profile is _UNREAD:
        profile = profile_of(user)
    if profile is None:
        return [*REQUIRED_PROFILE_FIELDS, "consent"]
    missing = [name for name in REQUIRED_PROFILE_FIELDS if not getattr(profile, name)]
    if not profile.consent_given_at:
        missing.append("consent")
    return missing


def check_profile(user, profile=_UNREAD):
    missing = missing_profile_fields(user, profile)
    if "consent" in missing and len(missing) == 1:
        raise DomainError(
            _("Please agree to the processing of your personal data in your profile before registering."),
            field="profile",
            code="profile_incomplete",
        )
    if missing:
        raise DomainError(
            _("Please complete your profile (full name, gender, organisation kind) before registering."),
            field="profile",
            code="profile_incomplete",
        )


def check_session_accepts(session, now=None, *, by_organiser=False):
    """Raise a DomainError when the session takes no registration now.

    Organisers (imports, admin enrolment) may add people to a draft or closed session and
    until it ends; participants only to an open session before it starts, inside the window.
    """
    now = now or timezone.now()
    if session.status == SessionStatus.DRAFT and not by_organiser:
        raise NotFoundError(_("This session does not exist or is not published yet."), code="not_found")
    if session.status == SessionStatus.CANCELLED:
        raise DomainError(_("This session has been cancelled."), code="session_cancelled")
    if session.status == SessionStatus.COMPLETED or session.ends_at <= now:
        raise DomainError(_("This session is over."), code="session_past")
    if by_organiser:
        return
    if session.starts_at <= now:
        raise DomainError(_("This session has already started; registration is closed."), code="session_started")
    if session.status == SessionStatus.CLOSED:
        raise DomainError(_("Registration for this session is closed."), code="registration_closed")
    if session.registration_opens_at and now < session.registration_opens_at:
        raise DomainError(
            _("Registration for this session opens on %(date)s.")
            % {"date": _format_datetime(session.registration_opens_at)},
            code="registration_not_open",
        )
    if session.registration_closes_at and now > session.registration_closes_at:
        raise DomainError(
            _("Registration for this session closed on %(date)s.")
            % {"date": _format_datetime(session.registration_closes_at)},
            code="registration_closed",
        )


def check_eligible(session, user, profile=_UNREAD):
    if profile is _UNREAD:
        profile = profile_of(user)
    kind = profile.organization_kind if profile else ""
    if not session.is_eligible(kind):
        labels = dict(OrganizationKind.choices)
        kinds = ", ".join(str(labels.get(code, code)) for code in session.eligible_organization_kinds)
        raise DomainError(
            _("This session is only for people from: %(kinds)s.") % {"kinds": kinds},
            field="organization_kind",
            code="not_eligible",
        )


def seats_taken(session):
    """Confirmed places and places offered to the waitlist (held until answered or expired)."""
    return session.registrations.filter(status__in=SEAT_STATUSES).count()


def seats_left(session):
    taken = getattr(session, "taken_seats", None)
    if taken is None:
        taken = seats_taken(session)
    return max(session.capacity - taken, 0)


def _course_title_in(language):
    """An expression on sessions: the course's title in `language` (its live translation, else its own title),
    from subqueries on the course id alone: no join, so a `FOR UPDATE` locks nothing but the session row."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce
    from wagtail.models import Page

    key = Page.objects.filter(pk=OuterRef(OuterRef("course_id"))).values("translation_key")[:1]
    translated = Page.objects.filter(translation_key=Subquery(key), locale__language_code=language, live=True)
    own = Page.objects.filter(pk=OuterRef("course_id")).values("title")[:1]
    return Coalesce(Subquery(translated.values("title")[:1]), Subquery(own))


_SESSION_FIELDS = [field.attname for field in Session._meta.concrete_fields]


def _locked_session_query(session_id, language=None):
    queryset = quotas.with_quota_flag(Session.objects.select_for_update()).filter(pk=session_id)
    names = [*_SESSION_FIELDS, "has_quotas"]
    if language is not None:
        queryset = queryset.annotate(localized_course_title=_course_title_in(language))
        names.append("localized_course_title")
    return queryset.values(*names).order_by()[:1]


# Every change of seats starts with this query: its SQL (three subqueries for the title) is compiled once.
_LOCKED_SESSION = Prepared(_locked_session_query, session_id=int)
_LOCKED_SESSION_WITH_TITLE = Prepared(_locked_session_query, session_id=int, language=str)


def _lock_session(session_id, *, with_title=False):
    """The session row, locked until the end of the current transaction. `with_title`: also its course's title
    in the active language (`session.localized_course_title`), read in the same statement."""
    if with_title:
        from courses.services.my_registrations import content_language

        row = _LOCKED_SESSION_WITH_TITLE.first(session_id=session_id, language=content_language())
    else:
        row = _LOCKED_SESSION.first(session_id=session_id)
    if row is None:
        raise NotFoundError(_("This session does not exist or is not published yet."), code="not_found")
    session = Session.from_db(_LOCKED_SESSION.using, _SESSION_FIELDS, [row[name] for name in _SESSION_FIELDS])
    session.has_quotas = row["has_quotas"]
    if with_title:
        session.localized_course_title = row["localized_course_title"]
    return session


def _session_id(session):
    return session.pk if isinstance(session, Session) else int(session)


def _set_status(registration, status, *, actor=None, note=None, requeue=False):
    now = timezone.now()
    registration.status = status
    registration.status_changed_at = now
    if requeue:  # joining the waitlist (or coming back) puts the person at its end
        registration.created_at = now
    if actor is not None:
        registration.decided_by = actor
    if note is not None:
        registration.decision_note = note


# --- registering ----------------------------------------------------------------------------


def register(session, user, *, source=RegistrationSource.WEB, notify=True, now=None):
    """The participant registers themself. Returns the registration (confirmed, waitlisted or pending).

    Only ever for `user`: no endpoint lets a participant name somebody else.
    """
    if not user or not user.is_authenticated:
        raise PermissionDeniedError(_("Please log in to register."), code="not_authenticated")
    profile = profile_of(user)  # read once: the profile check here, eligibility under the lock
    check_profile(user, profile)
    return _register(_session_id(session), user, source=source, actor=None, notify=notify, now=now, profile=profile)


def enrol(session, user, *, actor, trusted=False, source=RegistrationSource.ADMIN, notify=True, now=None):
    """An organiser (admin or trainer of the session) registers someone: no approval, window or eligibility step.

    `trusted` skips the permission check for callers that have no user (the command line).
    """
    session_obj = session if isinstance(session, Session) else Session.objects.filter(pk=session).first()
    if session_obj is None:
        raise NotFoundError(_("This session does not exist or is not published yet."), code="not_found")
    if not trusted and not can_manage_session(actor, session_obj):
        raise PermissionDeniedError(_("You cannot add people to this session."))
    return _register(session_obj.pk, user, source=source, actor=actor, by_organiser=True, notify=notify, now=now)


def _register(session_id, user, *, source, actor, notify, now, by_organiser=False, profile=_UNREAD, nominated_by=None):
    """Register under the session lock. `nominated_by`: the municipality's officer who nominates the person
    (courses/services/nominations.py), which stands for the municipality's approval. The registration returned carries `waitlist_position` (None unless
    waitlisted), known exactly under the lock: whoever waits arrived earlier (callers need not re-read it)."""
    with transaction.atomic():
        session = _lock_session(session_id, with_title=True)
        now = now or timezone.now()
        check_session_accepts(session, now, by_organiser=by_organiser)
        if not by_organiser:
            check_eligible(session, user, profile)
        # The seats and this person's earlier registration, in one statement (after the lock: exact).
        counts = _counts(session, user.pk)
        registration = None
        if counts["mine"] is not None:
            registration = Registration.objects.get(pk=counts["mine"])
            _check_can_come_back(registration, user, by_organiser=by_organiser)
        waiting, quota_reason = 0, ""
        needs_municipality = session.requires_municipality_approval and nominated_by is None and not by_organiser
        if needs_municipality:
            _check_has_municipality(user, profile)
        if (session.requires_approval or needs_municipality) and not by_organiser:
            status = RegistrationStatus.PENDING
        else:
            free, waiting = _seats(session, now, counts)
            # Seats are free, but perhaps not for this person: their oblast's or municipality's quota is full.
            quota_reason = quotas.SeatBook(session, now, free).full_reason(user.pk)
            status = RegistrationStatus.CONFIRMED if free > 0 and not quota_reason else RegistrationStatus.WAITLISTED
        if registration is None:
            try:
                # No savepoint of its own: a duplicate (a row written without the session lock) ends this
                # transaction, or rolls back to the caller's savepoint, as the DomainError leaves the block.
                registration = Registration.objects.create(
                    session=session,
                    user=user,
                    status=status,
                    source=source,
                    decided_by=actor,
                    municipality_approved_by=nominated_by,
                    municipality_approved_at=now if nominated_by else None,
                )
            except IntegrityError:
                raise DomainError(_("You are already registered for this session."), code="duplicate")
        else:
            _set_status(registration, status, note="", requeue=True)
            registration.decided_by = actor
            registration.source = source
            registration.municipality_approved_by = nominated_by
            registration.municipality_approved_at = now if nominated_by else None
            registration.save(
                update_fields=[
                    "status",
                    "status_changed_at",
                    "created_at",
                    "decided_by",
                    "decision_note",
                    "source",
                    "municipality_approved_by",
                    "municipality_approved_at",
                ]
            )
        if notify:
            notify_on_commit(registration, STATUS_EVENT[status])
    registration.waitlist_position = waiting + 1 if status == RegistrationStatus.WAITLISTED else None
    registration.quota_reason = quota_reason
    return registration


def _check_has_municipality(user, profile):
    """A session approved by municipalities needs to know whose municipality decides."""
    if profile is _UNREAD:
        profile = profile_of(user)
    if profile is None or profile.municipality_id is None:
        raise DomainError(
            _("Your municipality approves registrations for this session: please choose it in your profile first."),
            field="municipality",
            code="municipality_required",
        )


def _check_can_come_back(registration, user, *, by_organiser):
    if registration.is_active:
        if by_organiser:
            raise DomainError(_("This person is already registered for this session."), code="duplicate")
        raise DomainError(_("You are already registered for this session."), code="duplicate")
    if by_organiser:
        return
    if registration.status == RegistrationStatus.REJECTED:
        raise DomainError(_("The organisers declined your registration for this session."), code="rejected")
    if registration.decided_by_id not in (None, user.pk):
        raise DomainError(
            _("The organisers cancelled your registration for this session; please contact them."),
            code="cancelled_by_organiser",
        )


# --- cancelling -----------------------------------------------------------------------------


def cancel(registration, *, actor, reason="", now=None, notify=True):
    """Cancel a registration: its owner before the start, an admin any time, a trainer of the session with a reason."""
    with transaction.atomic():
        session = _lock_session(registration.session_id)
        registration = Registration.objects.select_related("user").get(pk=registration.pk)
        now = now or timezone.now()
        _cancel_locked(session, registration, actor=actor, reason=reason, now=now, notify=notify)
        _serve_waitlist(session, now)
    return registration


def _cancel_locked(session, registration, *, actor, reason, now, notify=True):
    reason = (reason or "").strip()
    is_owner = actor is not None and actor.pk == registration.user_id
    is_admin = is_academy_admin(actor)
    is_session_trainer = is_trainer(actor) and session.trainers.filter(pk=actor.pk).exists()
    if not (is_owner or is_admin or is_session_trainer):
        raise PermissionDeniedError(_("You cannot cancel this registration."))
    if not registration.is_active:
        raise DomainError(_("This registration is not active, so it cannot be cancelled."), code="not_active")
    as_organiser = not is_owner
    if not as_organiser and session.starts_at <= now:
        raise DomainError(
            _("The session has already started; please ask the organisers to cancel your registration."),
            code="session_started",
        )
    if as_organiser and not is_admin and not reason:
        raise DomainError(_("Please give a reason for the cancellation."), field="reason", code="reason_required")
    had_seat = registration.status == RegistrationStatus.CONFIRMED
    # The caller gives a freed seat to the waitlist (_serve_waitlist) before it commits.
    _set_status(registration, RegistrationStatus.CANCELLED, actor=actor, note=reason)
    registration.save(update_fields=["status", "status_changed_at", "decided_by", "decision_note"])
    if not notify:
        return
    if as_organiser:
        notify_on_commit(registration, "cancelled")
    elif had_seat and has_deliverable_email(registration.user):
        # The confirmation put the session in their calendar: a cancellation (.ics METHOD:CANCEL) takes it out.
        notify_on_commit(registration, "self_cancelled")


# --- decisions by organisers ------------------------------------------------------------------


@dataclass
class Decision:
    changed: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (registration id, message)


def _registrations_for_decision(session, ids):
    return list(
        Registration.objects.filter(session=session, pk__in=list(ids))
        .select_related("user")
        .order_by("created_at", "pk")
    )


def _check_manager(actor, session):
    if not can_manage_session(actor, session):
        raise PermissionDeniedError(_("Only the trainers of this session and academy admins can do this."))


def approve(session, registration_ids, *, actor, note="", notify=True):
    """Approve pending registrations in arrival order: confirmed while seats are free and nobody approved
    earlier is waiting, then waitlisted behind them."""
    decision = Decision()
    with transaction.atomic():
        session = _lock_session(_session_id(session))
        _check_manager(actor, session)
        now = timezone.now()
        seats = quotas.SeatBook(session, now, _open_seats(session, now))  # the quotas of the session included
        for registration in _registrations_for_decision(session, registration_ids):
            if registration.status != RegistrationStatus.PENDING:
                decision.skipped.append((registration.pk, _("Only registrations awaiting approval can be approved.")))
                continue
            if seats.take(registration.user_id):
                _set_status(registration, RegistrationStatus.CONFIRMED, actor=actor, note=note)
            else:
                _set_status(registration, RegistrationStatus.WAITLISTED, actor=actor, note=note, requeue=True)
            registration.save(
                update_fields=["status", "status_changed_at", "created_at", "decided_by", "decision_note"]
            )
            if notify:
                notify_on_commit(registration, STATUS_EVENT[registration.status])
            decision.changed.append(registration)
    return decision


def reject(session, registration_ids, *, actor, note=""):
    decision = Decision()
    with transaction.atomic():
        session = _lock_session(_session_id(session))
        _check_manager(actor, session)
        for registration in _registrations_for_decision(session, registration_ids):
            if registration.status != RegistrationStatus.PENDING:
                decision.skipped.append((registration.pk, _("Only registrations awaiting approval can be rejected.")))
                continue
            _set_status(registration, RegistrationStatus.REJECTED, actor=actor, note=(note or "").strip())
            registration.save(update_fields=["status", "status_changed_at", "decided_by", "decision_note"])
            notify_on_commit(registration, "rejected")
            decision.changed.append(registration)
    return decision


def cancel_many(session, registration_ids, *, actor, reason=""):
    """An organiser cancels several registrations of one session."""
    decision = Decision()
    with transaction.atomic():
        session = _lock_session(_session_id(session))
        _check_manager(actor, session)
        if not is_academy_admin(actor) and not (reason or "").strip():
            raise DomainError(_("Please give a reason for the cancellation."), field="reason", code="reason_required")
        now = timezone.now()
        for registration in _registrations_for_decision(session, registration_ids):
            try:
                with transaction.atomic():
                    _cancel_locked(session, registration, actor=actor, reason=reason, now=now)
            except PermissionDeniedError:
                raise
            except DomainError as error:
                decision.skipped.append((registration.pk, str(error.message)))
            else:
                decision.changed.append(registration)
        # Once all are cancelled: a waiting person promoted midway could be one of those being cancelled.
        _serve_waitlist(session, now)
    return decision


def _single(decision):
    if decision.skipped:
        raise DomainError(decision.skipped[0][1], code="invalid_status")
    if not decision.changed:
        raise NotFoundError(_("This registration does not exist."), code="not_found")
    return decision.changed[0]


def approve_one(registration, *, actor, note=""):
    return _single(approve(registration.session_id, [registration.pk], actor=actor, note=note))


def reject_one(registration, *, actor, note=""):
    return _single(reject(registration.session_id, [registration.pk], actor=actor, note=note))


# --- the waitlist ---------------------------------------------------------------------------


def schedule_promotion(session_id):
    """After commit, run the promotion task for this session (it promotes only while seats are free).

    For changes made outside this module (a capacity raised in the admin); until the task runs, the
    next registration of the session serves the waitlist first anyway."""

    def enqueue():
        from academy.services.tasks import enqueue_or_run
        from courses.tasks.registration import promote_waitlist

        enqueue_or_run(promote_waitlist, session_id)

    transaction.on_commit(enqueue, robust=True)


def promote_waitlist(session_id, *, now=None):
    """Confirm the first people on the waitlist while seats are free. Safe to run any number of times.

    The seat-changing services already serve the waitlist in their own transaction; this is the catch-up
    for seats freed elsewhere (a capacity raised in the admin)."""
    with transaction.atomic():
        session = quotas.with_quota_flag(Session.objects.select_for_update()).filter(pk=session_id).first()
        if session is None:
            return []
        return _serve_waitlist(session, now or timezone.now())


def _promotes(session, now):
    return session.status in (SessionStatus.OPEN, SessionStatus.CLOSED) and session.ends_at > now


def _serve_waitlist(session, now):
    """Give the free seats of the locked `session` to the first people waiting, in order. Returns them."""
    if not _promotes(session, now):
        return []
    free = session.capacity - seats_taken(session)
    return _promote_first(session, free, now) if free > 0 else []


def _promote_first(session, count, now):
    """Confirm the first `count` people waiting, or offer them the places when the session asks for an answer."""
    from courses.services import waitlist_offers

    promoted = quotas.first_waiting(session, count, now)  # in order, passing over people whose quota is full
    offers = waitlist_offers.offers_places(session, now)
    for registration in promoted:
        if offers:
            waitlist_offers.make_offer(session, registration, now)
            continue
        _set_status(registration, RegistrationStatus.CONFIRMED)
        registration.save(update_fields=["status", "status_changed_at"])
        notify_on_commit(registration, "promoted")
    return promoted


def _open_seats(session, now):
    """Seats a newcomer (or an approval) may take in the locked `session`: none while anyone is waiting."""
    return _seats(session, now)[0]


def _counts_query(session_id, user_id):
    return (
        Registration.objects.filter(session_id=session_id)
        .values("session_id")
        .annotate(
            confirmed=Count("pk", filter=Q(status__in=SEAT_STATUSES)),
            waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
            mine=Max("pk", filter=Q(user_id=user_id)),
        )
        .order_by()
    )


_COUNTS = Prepared(_counts_query, session_id=int, user_id=int)  # read on every registration


def _counts(session, user_id=None):
    """Seats held, people waiting and `user_id`'s registration id (None) in the locked `session`: one query."""
    # No user has the id 0: without a user, `mine` is None.
    row = _COUNTS.first(session_id=session.pk, user_id=user_id or 0)
    if row is None:  # nobody registered yet
        return {"confirmed": 0, "waiting": 0, "mine": None}
    return {"confirmed": row["confirmed"], "waiting": row["waiting"], "mine": row["mine"]}


def _seats(session, now, counts=None):
    """(seats a newcomer may take, people still waiting) in the locked `session`, counted in one query.

    Free seats go to the waitlist first; when the session promotes nobody (a draft, or one that is over)
    they stay held for the people waiting."""
    counts = counts or _counts(session)
    free, waiting = session.capacity - counts["confirmed"], counts["waiting"]
    if free <= 0 or not waiting:
        return max(free, 0), waiting
    if _promotes(session, now):
        promoted = len(_promote_first(session, free, now))
        return free - promoted, waiting - promoted
    return 0, waiting


def sessions_with_free_seats_and_waitlist(now=None):
    from django.db.models import Exists, OuterRef

    now = now or timezone.now()
    waiting = Registration.objects.filter(session=OuterRef("pk"), status=RegistrationStatus.WAITLISTED)
    return list(
        Session.objects.filter(status__in=[SessionStatus.OPEN, SessionStatus.CLOSED], ends_at__gt=now)
        .filter(Exists(waiting))
        .with_seats()
        .filter(seats_left__gt=0)
        .values_list("pk", flat=True)
    )


# --- what the public pages show ----------------------------------------------------------------


@dataclass
class RegistrationState:
    registration: Registration | None
    seats_left: int
    can_register: bool
    reason: str = ""
    reason_code: str = ""
    can_cancel: bool = False
    waitlist_position: int | None = None


def registration_state(session, user, now=None):
    """What the registration box on a session page shows to `user` (anonymous included)."""
    now = now or timezone.now()
    registration = None
    position = None
    if user is not None and user.is_authenticated:
        registration = Registration.objects.filter(session=session, user=user).with_waitlist_position().first()
        position = registration.waitlist_position if registration else None
    state = RegistrationState(registration=registration, seats_left=seats_left(session), can_register=False)
    state.waitlist_position = position
    if registration is not None and registration.is_active:
        state.can_cancel = session.starts_at > now
        return state
    try:
        check_session_accepts(session, now)
        if registration is not None:
            _check_can_come_back(registration, user, by_organiser=False)
        if user is not None and user.is_authenticated:
            profile = profile_of(user)
            check_profile(user, profile)
            check_eligible(session, user, profile)
            if session.requires_municipality_approval:
                _check_has_municipality(user, profile)
    except DomainError as error:
        state.reason = str(error.message)
        state.reason_code = error.code
        return state
    state.can_register = True
    return state


def localized_course_titles(course_ids):
    """{course id: its title in the active language} in one query, without loading the pages.

    The same choice as `attach_localized_courses`: the live translation in the active locale, else the
    course's own page."""
    from django.conf import settings
    from django.utils import translation
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Page

    ids = {course_id for course_id in course_ids if course_id is not None}
    if not ids:
        return {}
    try:
        language = get_supported_content_language_variant(translation.get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        language = settings.LANGUAGE_CODE
    keys = Page.objects.filter(pk__in=ids).values("translation_key")
    rows = Page.objects.filter(
        Q(pk__in=ids) | Q(translation_key__in=keys, locale__language_code=language, live=True)
    ).values_list("pk", "translation_key", "title", "locale__language_code", "live")
    own, translated = {}, {}
    for pk, key, title, code, live in rows:
        if pk in ids:
            own[pk] = (key, title)
        if code == language and live:
            translated[key] = title
    return {pk: translated.get(key, title) for pk, (key, title) in own.items()}


def attach_localized_courses(sessions):
    """Set `session.localized_course` to the course page in the active language, in one query."""
    from wagtail.models import Locale

    from courses.models import CoursePage

    sessions = list(sessions)
    try:
        locale = Locale.get_active()
    except (LookupError, Locale.DoesNotExist):
        locale = None
    pages = {}
    keys = {session.course.translation_key for session in sessions}
    if locale is not None and keys:
        pages = {
            page.translation_key: page
            for page in CoursePage.objects.filter(translation_key__in=keys, locale=locale, live=True)
        }
    for session in sessions:
        session.localized_course = pages.get(session.course.translation_key, session.course)
    return sessions
