"""QR self check-in with rotating, signed, expiring codes.

The trainer's screen shows a QR code of `/<lang>/check-in/<code>/`. The code is
`django.core.signing.Signer(salt=SALT).sign_object([session id, day as YYYYMMDD, agenda item id or 0, slot])`
where *slot* is the number of the ROTATION_SECONDS-long time window (server clock) in which the
code was issued. The screen fetches a new code every window.

Validity, decided on the SERVER clock only (the participant's phone clock never matters, so a
phone that is minutes off is still accepted):

* a code is accepted from one window before the one it was issued in (several server
  processes may disagree by a few seconds) until VALID_SECONDS after its window ended, i.e.
  it keeps working for 2 minutes after the screen moved on to the next code;
* a code only records the day it was shown on (Asia/Bishkek date of its window): a code for
  tomorrow's day shown today is refused, so nobody is marked present in advance;
* a participant who scanned a valid code on the site gets SCAN_GRACE (10 minutes) to log in and
  tap "confirm": the time of the scan is kept in their server-side session, never sent by the client.

A forged or altered code fails the signature; a code of another salt (e.g. a certificate code)
fails too. Nothing is written until every check passed.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.errors import DomainError, PermissionDeniedError
from academy.formats import format_date
from academy.prepared import Prepared
from courses.models import Registration, RegistrationStatus, Session, SessionStatus
from courses.permissions import can_manage_session
from courses.services import attendance as attendance_service

SALT = "courses.checkin.v1"
ROTATION_SECONDS = 30
VALID_SECONDS = 120
EARLY_WINDOWS = 1
SCAN_GRACE = timedelta(minutes=10)


@dataclass(frozen=True)
class CheckinCode:
    session_id: int
    day: date
    agenda_item_id: int | None
    window: int

    @property
    def issued_at(self):
        return _at(self.window * ROTATION_SECONDS)

    @property
    def valid_from(self):
        return _at((self.window - EARLY_WINDOWS) * ROTATION_SECONDS)

    @property
    def expires_at(self):
        return _at((self.window + 1) * ROTATION_SECONDS + VALID_SECONDS)

    def is_valid_at(self, moment):
        return self.valid_from <= moment < self.expires_at


@dataclass(frozen=True)
class IssuedCode:
    code: str
    window: int
    refresh_at: datetime  # when the screen should fetch the next code
    expires_at: datetime


@dataclass(frozen=True)
class CheckinResult:
    session: Session
    slot: attendance_service.Slot
    attendance: object
    already_checked_in: bool


def _at(seconds):
    return datetime.fromtimestamp(seconds, tz=UTC)


def window_of(moment):
    return int(moment.timestamp()) // ROTATION_SECONDS


def _signer():
    return signing.Signer(salt=SALT)


def issue_code(session, slot, *, by, now=None):
    """A fresh code for a slot of the session; only its trainers and admins may show one."""
    if not can_manage_session(by, session):
        raise PermissionDeniedError(_("Only the trainers of this session and academy admins can show a check-in code."))
    if session.status == SessionStatus.CANCELLED:
        raise DomainError(_("This session has been cancelled."))
    now = now or timezone.now()
    window = window_of(now)
    payload = [session.pk, int(slot.day.strftime("%Y%m%d")), slot.agenda_item_id or 0, window]
    code = _signer().sign_object(payload)
    return IssuedCode(
        code=code,
        window=window,
        refresh_at=_at((window + 1) * ROTATION_SECONDS),
        expires_at=_at((window + 1) * ROTATION_SECONDS + VALID_SECONDS),
    )


def read_code(code, *, now=None, scanned_at=None):
    """Check a code's signature and age. `scanned_at` (server time of an earlier valid scan) extends the window."""
    invalid = DomainError(
        _("This check-in code is not valid. Scan the code on the trainer's screen again."),
        field="code",
        code="invalid_code",
    )
    try:
        payload = _signer().unsign_object(str(code or "").strip())
        session_id, day_number, item_id, window = payload
        day = datetime.strptime(str(int(day_number)), "%Y%m%d").date()
        parsed = CheckinCode(int(session_id), day, int(item_id) or None, int(window))
    except (signing.BadSignature, ValueError, TypeError, OverflowError):
        raise invalid
    now = now or timezone.now()
    if timezone.localdate(parsed.issued_at) != parsed.day:
        # A code shown today for another day of the session must not record that day in advance.
        raise DomainError(
            _("This check-in code is for %(day)s. You can check in only on that day.")
            % {"day": format_date(parsed.day, "short_date")},
            field="code",
            code="wrong_day",
        )
    if parsed.is_valid_at(now):
        return parsed
    if scanned_at is not None and parsed.is_valid_at(scanned_at) and scanned_at <= now < scanned_at + SCAN_GRACE:
        return parsed
    raise DomainError(
        _("This check-in code has expired. Scan the code on the trainer's screen again."),
        field="code",
        code="expired_code",
    )


def _resolve(parsed, session=None):
    if session is None:
        session = Session.objects.select_related("course").filter(pk=parsed.session_id).first()
    if session is None:
        raise DomainError(_("This check-in code is not valid."), field="code", code="invalid_code")
    if session.status == SessionStatus.CANCELLED:
        raise DomainError(_("This session has been cancelled."), field="code")
    agenda_items = list(session.agenda_items.all())
    slots = attendance_service.session_slots(session, agenda_items)
    try:
        slot = attendance_service.resolve_slot(session, parsed.day, parsed.agenda_item_id, slots=slots)
    except DomainError:
        # The agenda or the dates changed since the code was shown.
        raise DomainError(
            _("This check-in code no longer matches the session's programme. Ask the trainer to show a new one."),
            field="code",
            code="invalid_code",
        )
    return session, slot, agenda_items


# What a check-in reads of the course: its rules. A course page row is wide (Wagtail's page columns, the body
# StreamField); building and reading it all cost more than the rest of the check-in's queries together.
COURSE_FIELDS_FOR_CHECK_IN = {"title", "attendance_granularity", "min_attendance_percent", "requires_assignment"}


def _registration_query(session_id, user_id):
    from courses.models import CoursePage
    from courses.services import completion

    return completion.annotate_deciders(Registration.objects.filter(session_id=session_id, user_id=user_id)).values(
        *_row_columns(Registration, "")[1],
        *_row_columns(Session, "session__")[1],
        *_row_columns(CoursePage, "session__course__")[1],
        "has_completion_override",
        "has_accepted_assignment",
    )


def _attnames(model):
    return [field.attname for field in model._meta.concrete_fields]


@lru_cache(maxsize=4)
def _row_columns(model, prefix):
    """The fields of `model` that a row of `_REGISTRATION` carries (the course: its ids and rules), and their keys."""
    names = _attnames(model)
    if prefix == "session__course__":
        names = [name for name in names if name in {"id", "page_ptr_id", *COURSE_FIELDS_FOR_CHECK_IN}]
    return names, [prefix + name for name in names]


# Every check-in runs it: its SQL is compiled once per process (academy.prepared); Django would rebuild it, joins,
# deferred course columns and the two EXISTS, on every request (half the check-in's CPU time).
_REGISTRATION = Prepared(_registration_query, session_id=int, user_id=int)


def _registration_with_session(session_id, user):
    """The person's registration in the session, with the session and the course's rules attached and the two
    completion deciders annotated (as `completion.annotate_deciders` does), in one query; None without one."""
    from courses.models import CoursePage

    row = _REGISTRATION.first(session_id=session_id, user_id=user.pk)
    if row is None:
        return None

    def instance(model, prefix):
        names, keys = _row_columns(model, prefix)
        return model.from_db("default", names, [row[key] for key in keys])

    registration = instance(Registration, "")
    session = instance(Session, "session__")
    Session.course.field.set_cached_value(session, instance(CoursePage, "session__course__"))
    Registration.session.field.set_cached_value(registration, session)
    registration.has_completion_override = row["has_completion_override"]
    registration.has_accepted_assignment = row["has_accepted_assignment"]
    return registration


def _confirmed_registration(session, user):
    registration = session.registrations.select_related("user").filter(user=user).first() if user else None
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        raise PermissionDeniedError(
            _("You are not a confirmed participant of this session, so you cannot check in."),
            code="not_registered",
        )
    return registration


def preview(user, code, *, now=None, scanned_at=None):
    """What a check-in would record, without recording it: (session, slot, registration)."""
    parsed = read_code(code, now=now, scanned_at=scanned_at)
    session, slot, _items = _resolve(parsed)
    return session, slot, _confirmed_registration(session, user)


def check_in(user, code, *, now=None, scanned_at=None):
    """Record the user's attendance (method "qr") for the slot in the code. Changes nothing on any error."""
    from courses.services import completion

    now = now or timezone.now()
    if not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError(_("Log in to check in."), code="not_authenticated")
    parsed = read_code(code, now=now, scanned_at=scanned_at)
    # The person's registration and its session (with the course) in one query; without one, the session
    # alone, so that the errors come in the same order (a bad session before "not registered").
    registration = _registration_with_session(parsed.session_id, user)
    session, slot, agenda_items = _resolve(parsed, registration.session if registration else None)
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        registration = _confirmed_registration(session, user)  # raises
    registration.user = user  # the same person (filtered by it): the attendance row is recorded by them
    row, already = attendance_service.record_self_check_in(registration, slot, now=now, agenda_items=agenda_items)
    if not already:
        completion.evaluate_completion(registration, now=now, with_deciders=False, agenda_items=agenda_items)
    return CheckinResult(session=session, slot=slot, attendance=row, already_checked_in=already)


def checked_in_count(session, slot):
    from courses.models import Attendance

    return (
        Attendance.objects.for_session(session)
        .filter(registration__status=RegistrationStatus.CONFIRMED, **slot.query())
        .attended()
        .count()
    )
