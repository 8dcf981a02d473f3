"""Taking attendance: roll call, paper entry and the slots (days or agenda blocks) it is taken for.

A *slot* is what one attendance mark is about: a day of the session when the course takes
attendance per day, or an agenda block when it takes it per block
(`CoursePage.attendance_granularity`). A block course whose session has no agenda yet falls
back to days, so attendance can always be taken.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from academy import pdf_metadata
from academy.errors import DomainError, PermissionDeniedError
from academy.formats import format_date
from courses.models import AgendaItem, Attendance, AttendanceMethod, AttendanceStatus, RegistrationStatus
from courses.models.attendance import ATTENDED_STATUSES
from courses.models.catalogue import AttendanceGranularity
from courses.permissions import can_manage_session

# A QR check-in later than this after the slot starts is recorded as "late".
LATE_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class Slot:
    day: date
    agenda_item: AgendaItem | None = None

    @property
    def agenda_item_id(self):
        return self.agenda_item.pk if self.agenda_item else None

    @property
    def key(self):
        """A stable key for forms and lookups: `2026-12-15` for a day, `b42` for an agenda block."""
        return f"b{self.agenda_item.pk}" if self.agenda_item else self.day.isoformat()

    @property
    def lookup(self):
        return (self.day, self.agenda_item_id)

    @property
    def label(self):
        day = format_date(self.day, "weekday_date")
        if self.agenda_item is None:
            return day
        item = self.agenda_item
        return f"{day}, {item.starts_at:%H:%M}–{item.ends_at:%H:%M} {item.title}"

    @property
    def short_label(self):
        if self.agenda_item is None:
            return date_format(self.day, "d.m")
        return f"{self.day:%d.%m} {self.agenda_item.starts_at:%H:%M}"

    def query(self):
        """Filter arguments matching this slot's attendance rows."""
        if self.agenda_item is None:
            return {"day": self.day, "agenda_item__isnull": True}
        return {"agenda_item": self.agenda_item}


def uses_blocks(session):
    return session.course.attendance_granularity == AttendanceGranularity.BLOCK


def session_slots(session, agenda_items=None):
    """Every slot of the session, in order: its agenda blocks, or its days."""
    days = session.days
    if uses_blocks(session):
        items = list(session.agenda_items.all()) if agenda_items is None else list(agenda_items)
        items = sorted((item for item in items if item.day in days), key=lambda i: (i.day, i.starts_at, i.sort_order))
        if items:
            return [Slot(item.day, item) for item in items]
    return [Slot(day) for day in days]


def parse_day(value, field="day"):
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise DomainError(_("Enter the day as YYYY-MM-DD."), field=field)


def _item_id(value, field="agenda_item"):
    if value in (None, "", 0, "0"):
        return None
    if isinstance(value, AgendaItem):
        return value.pk
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DomainError(_("Unknown agenda block."), field=field)


def resolve_slot(session, day=None, agenda_item=None, slots=None):
    """The slot for a day and/or agenda block of this session; DomainError when it is not one."""
    slots = session_slots(session) if slots is None else slots
    item_id = _item_id(agenda_item)
    day = parse_day(day) if day not in (None, "") else None
    if item_id is not None:
        item = next((s.agenda_item for s in slots if s.agenda_item_id == item_id), None)
        if item is None:
            if not session.agenda_items.filter(pk=item_id).exists():
                raise DomainError(_("This agenda block does not belong to this session."), field="agenda_item")
            if slots and slots[0].agenda_item is None:
                raise DomainError(
                    _("Attendance for this course is taken per day, not per agenda block."), field="agenda_item"
                )
            raise DomainError(_("This agenda block is outside the dates of the session."), field="agenda_item")
        if day is not None and day != item.day:
            raise DomainError(_("This agenda block is not on that day."), field="day")
        return Slot(item.day, item)
    if day is None:
        raise DomainError(_("Choose a day of the session."), field="day")
    if day not in session.days:
        raise DomainError(_("This day is outside the dates of the session."), field="day")
    if slots and slots[0].agenda_item is not None:
        raise DomainError(_("Choose an agenda block: this course takes attendance per block."), field="agenda_item")
    return Slot(day)


def default_slot(session, slots=None, now=None):
    """The slot a trainer most likely wants now: the running or next block of today, else the first."""
    slots = session_slots(session) if slots is None else slots
    now = timezone.localtime(now or timezone.now())
    today = [slot for slot in slots if slot.day == now.date()]
    if not today:
        return slots[0] if slots else None
    for slot in today:
        if slot.agenda_item is None or slot.agenda_item.ends_at >= now.time():
            return slot
    return today[-1]


def slot_starts_at(session, slot, agenda_items=None):
    """When a slot starts, in local time: the block's start, or the day's first block, or the session's start time."""
    if slot.agenda_item is not None:
        start = slot.agenda_item.starts_at
    else:
        items = list(session.agenda_items.all()) if agenda_items is None else agenda_items
        starts = [item.starts_at for item in items if item.day == slot.day]
        start = min(starts) if starts else timezone.localtime(session.starts_at).time()
    return timezone.make_aware(datetime.combine(slot.day, start))


def ensure_day_has_come(slot, now=None):
    """Refuse a mark for a day that has not come yet: nobody can have been present on it."""
    today = timezone.localdate(now or timezone.now())
    if slot.day > today:
        raise DomainError(
            _("Attendance cannot be taken for %(day)s: that day has not come yet.")
            % {"day": format_date(slot.day, "date")},
            field="day",
        )


def _ensure_manager(session, by):
    if not can_manage_session(by, session):
        raise PermissionDeniedError(_("Only the trainers of this session and academy admins can take attendance."))


def _registration_id(value):
    try:
        return int(getattr(value, "pk", value))
    except (TypeError, ValueError):
        raise DomainError(_("Unknown registration."), field="registration")


def mark_attendance(session, entries, *, by, method=AttendanceMethod.ROLL_CALL, now=None):
    """Record a list of marks {registration, day, agenda_item?, status} for a session, all or nothing.

    Only the session's trainers and admins; only confirmed registrations of this session; only
    days and blocks of this session. Completion is re-evaluated for the people whose marks changed.
    Returns the Attendance rows written (created or changed).
    """
    from courses.services import completion

    _ensure_manager(session, by)
    if method not in (AttendanceMethod.ROLL_CALL, AttendanceMethod.PAPER):
        raise DomainError(_("Attendance can be taken by roll call or from a paper sheet."), field="method")
    entries = list(entries or [])
    if not entries:
        raise DomainError(_("Nothing to record: send at least one attendance mark."), field="records")

    slots = session_slots(session)
    wanted = {}
    registration_ids = {_registration_id(entry.get("registration")) for entry in entries}
    registrations = {r.pk: r for r in session.registrations.filter(pk__in=registration_ids)}
    for entry in entries:
        registration = registrations.get(_registration_id(entry.get("registration")))
        if registration is None:
            raise DomainError(_("This registration is not part of this session."), field="registration")
        if registration.status != RegistrationStatus.CONFIRMED:
            raise DomainError(
                _("Attendance can only be taken for confirmed registrations (%(name)s is not confirmed).")
                % {"name": registration.user},
                field="registration",
            )
        status = entry.get("status")
        if status not in AttendanceStatus.values:
            raise DomainError(_("Choose present, late or absent."), field="status")
        slot = resolve_slot(session, entry.get("day"), entry.get("agenda_item"), slots=slots)
        ensure_day_has_come(slot, now=now)
        wanted[(registration.pk, *slot.lookup)] = (registration, slot, status)

    now = now or timezone.now()
    with transaction.atomic():
        written = _write(session, wanted, method=method, by=by, now=now)
    changed = {row.registration_id for row in written}
    if changed:
        completion.evaluate_session(session, now=now, registration_ids=changed)
    return written


def _write(session, wanted, *, method, by, now):
    existing = {
        (row.registration_id, row.day, row.agenda_item_id): row
        for row in Attendance.objects.filter(
            registration_id__in={key[0] for key in wanted}, registration__session=session
        )
    }
    to_create, to_update = [], []
    for key, (registration, slot, status) in wanted.items():
        row = existing.get(key)
        if row is None:
            to_create.append(
                Attendance(
                    registration=registration,
                    day=slot.day,
                    agenda_item=slot.agenda_item,
                    status=status,
                    method=method,
                    recorded_by=by,
                    recorded_at=now,
                )
            )
        elif row.status != status or row.method != method:
            row.status, row.method, row.recorded_by, row.recorded_at, row.client_id = status, method, by, now, None
            to_update.append(row)
    if to_update:
        Attendance.objects.bulk_update(to_update, ["status", "method", "recorded_by", "recorded_at", "client_id"])
    if to_create:
        try:
            with transaction.atomic():
                Attendance.objects.bulk_create(to_create)
        except IntegrityError:
            # Someone else wrote one of these marks meanwhile: write them one by one, the last writer wins.
            created = []
            for row in to_create:
                saved, _created = Attendance.objects.update_or_create(
                    registration=row.registration,
                    day=row.day,
                    agenda_item=row.agenda_item,
                    defaults={"status": row.status, "method": row.method, "recorded_by": by, "recorded_at": now},
                )
                created.append(saved)
            to_create = created
    return to_update + to_create


def _insert_unless_marked(row):
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id: True (and the pk set) when the row went in.

    `create()` in a savepoint costs three round trips (BEGIN or SAVEPOINT, INSERT, COMMIT or RELEASE) and
    `bulk_create(ignore_conflicts=True)` opens a transaction too and cannot tell whether the row went in.
    PostgreSQL and SQLite (3.35+) both speak this statement; without a conflict target it yields to either
    partial unique constraint of the slot."""
    meta = Attendance._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(row, True), connection) for field in fields]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT DO NOTHING RETURNING {}".format(  # noqa: S608 - names from the model
        quote(meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
        quote(meta.pk.column),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        inserted = cursor.fetchone()
    if inserted is None:
        return False
    row.pk = inserted[0]
    row._state.adding = False
    row._state.db = connection.alias
    return True


def record_self_check_in(registration, slot, *, now=None, agenda_items=None):
    """A participant's QR check-in: present, or late after LATE_AFTER. Returns (attendance, already_checked_in).

    A mark that already says present or late stays as it is (scanning twice changes nothing);
    an "absent" mark is corrected, since the person is in the room.
    """
    now = now or timezone.now()
    session = registration.session
    status = AttendanceStatus.PRESENT
    if now > slot_starts_at(session, slot, agenda_items) + LATE_AFTER:
        status = AttendanceStatus.LATE
    row = Attendance(
        registration=registration,
        day=slot.day,
        agenda_item=slot.agenda_item,
        status=status,
        method=AttendanceMethod.QR,
        recorded_by=registration.user,
        recorded_at=now,
    )
    # Most people scan once: the insert comes first, as one statement without a transaction of its own; a second
    # scan, or a mark the trainer made, meets the unique constraint on (registration, slot) and goes to the
    # locked read below.
    if _insert_unless_marked(row):
        return row, False
    with transaction.atomic():
        row = Attendance.objects.select_for_update().get(registration=registration, **slot.query())
        if row.status in ATTENDED_STATUSES:
            return row, True
        row.status, row.method, row.recorded_by = status, AttendanceMethod.QR, registration.user
        row.recorded_at, row.client_id = now, None
        row.save(update_fields=["status", "method", "recorded_by", "recorded_at", "client_id"])
    return row, False


def slot_marks(session, slot):
    """{registration id: Attendance} for one slot."""
    return {row.registration_id: row for row in Attendance.objects.for_session(session).filter(**slot.query())}


def session_marks(session):
    """{(registration id, day, agenda item id): Attendance} for the whole session."""
    return {(row.registration_id, row.day, row.agenda_item_id): row for row in Attendance.objects.for_session(session)}


def confirmed_registrations(session):
    """The people on the roll: confirmed registrations, by name, with what the pages show of them."""
    return (
        session.registrations.confirmed()
        .select_related("user__profile__organization")
        .order_by("user__profile__full_name", "user__email", "pk")
    )


def build_signin_sheet(session):
    """The data of the printable sign-in sheet (translated in the active language)."""
    from courses.signin_sheet import SheetTable, SigninSheet

    agenda_items = list(session.agenda_items.all())
    slots = session_slots(session, agenda_items)
    if slots and slots[0].agenda_item is not None:
        tables = []
        for day in sorted({slot.day for slot in slots}):
            columns = [
                f"{slot.agenda_item.starts_at:%H:%M}–{slot.agenda_item.ends_at:%H:%M}\n{slot.agenda_item.title[:60]}"
                for slot in slots
                if slot.day == day
            ]
            tables.append(SheetTable(heading=format_date(day, "weekday_date"), columns=columns))
    else:
        tables = [SheetTable(heading="", columns=[date_format(slot.day, "D, d.m.Y") for slot in slots])]

    participants = []
    for registration in confirmed_registrations(session):
        profile = getattr(registration.user, "profile", None)
        detail = ""
        if profile is not None:
            organisation = profile.organization.name if profile.organization_id else ""
            detail = ", ".join(part for part in (organisation, profile.position) if part)
        participants.append((registration.user.display_name, detail))

    lines = [
        _("Dates: %(start)s – %(end)s")
        % {"start": format_date(session.starts_at, "datetime"), "end": format_date(session.ends_at, "datetime")},
    ]
    if session.venue_id:
        lines.append(
            _("Venue: %(venue)s") % {"venue": ", ".join(p for p in (session.venue.name, session.venue.address) if p)}
        )
    trainers = ", ".join(trainer.display_name for trainer in session.trainers.select_related("profile"))
    if trainers:
        lines.append(_("Trainers: %(names)s") % {"names": trainers})
    return SigninSheet(
        title=_("Sign-in sheet: %(title)s") % {"title": session.title or session.course.title},
        lines=lines,
        tables=tables,
        participants=participants,
        labels={
            "number": "№",
            "name": _("Full name"),
            "organisation": _("Organisation, position"),
            "footer": _("Trainer: ____________________  Signature: ____________"),
            "subject": _("Sign-in sheet"),
        },
        author=pdf_metadata.academy_name(),
        printed_on=timezone.localdate(),
        language=get_language() or "",
    )
