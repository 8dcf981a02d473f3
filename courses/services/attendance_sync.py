"""Marks taken offline on the trainer's phone and sent in a batch when the connection returns.

Each mark carries the phone's own id (`client_id`, a UUID) and the time it was made (`recorded_at`).
The rules:

* **Idempotent.** Every synced mark is kept once in the audit (`AttendanceChange.client_id` is unique);
  a mark whose id was seen before answers `duplicate` and changes nothing, so a batch sent twice (the
  phone lost the answer) or two identical batches at once change the roll once.
* **The newest mark wins.** When the slot already holds another status, the mark made later (by
  `recorded_at`) stays. A mark that overrides, or loses to, a mark by someone else answers `conflict`,
  and both marks stay in the audit; the trainer correcting their own earlier mark is simply `applied`.
* **Per mark refusals.** A mark for a person or a day not of this session, or for a day that has not
  come yet, answers `refused` with a translated message; the other marks of the batch still count.
* Completion is re-evaluated once per batch, by a task enqueued when the batch commits.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.errors import DomainError
from academy.services.tasks import enqueue_or_run
from academy.transactions import on_commit_once
from courses.models import (
    Attendance,
    AttendanceChange,
    AttendanceChangeOutcome,
    AttendanceMethod,
    AttendanceStatus,
    RegistrationStatus,
    Session,
)
from courses.services.attendance import _ensure_manager, ensure_day_has_come, resolve_slot, session_slots

MAX_BATCH = 500

APPLIED, DUPLICATE, CONFLICT, REFUSED = "applied", "duplicate", "conflict", "refused"
KEPT_YOURS, KEPT_SERVER = "yours", "server"


@dataclass
class MarkResult:
    client_id: str
    outcome: str
    status: str | None = None  # what the server holds for the slot after the batch
    kept: str | None = None  # for a conflict: whose mark stays
    detail: str = ""
    field: str | None = None


@dataclass
class _Mark:
    index: int
    client_id: uuid.UUID
    registration: object
    slot: object
    status: str
    recorded_at: datetime


def _client_id(value):
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def _refused(client_id, message, field=None):
    return MarkResult(client_id=str(client_id or ""), outcome=REFUSED, detail=str(message), field=field)


def _check(session, entry, registrations, slots, now):
    """A _Mark, or raise DomainError with the translated reason the mark is refused."""
    registration = registrations.get(entry.get("registration"))
    if registration is None:
        raise DomainError(_("This person is not registered for this session."), field="registration")
    if registration.status != RegistrationStatus.CONFIRMED:
        raise DomainError(
            _("Attendance can only be taken for confirmed registrations (%(name)s is not confirmed).")
            % {"name": registration.user.display_name},
            field="registration",
        )
    if entry.get("status") not in AttendanceStatus.values:
        raise DomainError(_("Choose present, late or absent."), field="status")
    slot = resolve_slot(session, entry.get("day"), entry.get("agenda_item"), slots=slots)
    ensure_day_has_come(slot, now=now)
    recorded_at = entry.get("recorded_at")
    if not isinstance(recorded_at, datetime):
        raise DomainError(_("Send the time the mark was made."), field="recorded_at")
    if timezone.is_naive(recorded_at):
        recorded_at = timezone.make_aware(recorded_at)
    # A phone whose clock runs ahead must not win every later conflict: no mark is newer than its arrival.
    recorded_at = min(recorded_at, now)
    return _Mark(0, entry["client_id"], registration, slot, entry["status"], recorded_at)


def sync_marks(session, entries, *, by, now=None):
    """Apply a batch of offline marks [{client_id, registration, day?, agenda_item?, status, recorded_at}].

    Returns one MarkResult per entry, in the order sent. Only the session's trainers and admins
    (PermissionDeniedError otherwise); a batch that is not a list of at most MAX_BATCH marks is a DomainError.
    """
    _ensure_manager(session, by)
    entries = [dict(entry) for entry in entries or []]
    if not entries:
        raise DomainError(_("Nothing to record: send at least one attendance mark."), field="marks")
    if len(entries) > MAX_BATCH:
        raise DomainError(_("Send at most %(count)s marks at once.") % {"count": MAX_BATCH}, field="marks")
    now = now or timezone.now()
    slots = session_slots(session)
    results = [None] * len(entries)
    wanted_ids = set()
    for entry in entries:
        entry["client_id"] = _client_id(entry.get("client_id"))
        try:
            entry["registration"] = int(getattr(entry.get("registration"), "pk", entry.get("registration")))
        except (TypeError, ValueError):
            entry["registration"] = None
        wanted_ids.add(entry["registration"])
    registrations = {
        r.pk: r for r in session.registrations.filter(pk__in=wanted_ids - {None}).select_related("user__profile")
    }

    with transaction.atomic():
        # One batch of a session at a time (a row lock on PostgreSQL; SQLite writes one at a time anyway):
        # two identical batches sent at once then meet the first one's audit rows and answer `duplicate`.
        Session.objects.select_for_update().filter(pk=session.pk).values_list("pk", flat=True).first()
        client_ids = [entry["client_id"] for entry in entries if entry["client_id"] is not None]
        seen = set(AttendanceChange.objects.filter(client_id__in=client_ids).values_list("client_id", flat=True))
        marks = []
        for index, entry in enumerate(entries):
            client_id = entry["client_id"]
            if client_id is None:
                results[index] = _refused(entry.get("client_id"), _("Send the mark's id as a UUID."), "client_id")
                continue
            if client_id in seen:
                results[index] = MarkResult(client_id=str(client_id), outcome=DUPLICATE)
                continue
            seen.add(client_id)
            try:
                mark = _check(session, entry, registrations, slots, now)
            except DomainError as error:
                results[index] = _refused(client_id, error.message, error.field)
                continue
            mark.index = index
            marks.append(mark)
        changed = _apply(session, marks, results, by=by, now=now)
        slot_keys = {str(mark.client_id): (mark.registration.pk, *mark.slot.lookup) for mark in marks}
        _current_statuses(session, results, slot_keys)
        if changed:
            from courses.tasks.attendance import evaluate_session_completion

            on_commit_once(
                ("sync-completion", session.pk), partial(enqueue_or_run, evaluate_session_completion, session.pk)
            )
    return results


def _apply(session, marks, results, *, by, now):
    """Write the checked marks, oldest first, so a later mark of the batch overrides an earlier one."""
    rows = {
        (row.registration_id, row.day, row.agenda_item_id): row
        for row in Attendance.objects.select_for_update().filter(
            registration_id__in={mark.registration.pk for mark in marks}, registration__session=session
        )
    }
    changed = set()
    for mark in sorted(marks, key=lambda m: (m.recorded_at, m.index)):
        key = (mark.registration.pk, *mark.slot.lookup)
        row = rows.get(key)
        result = MarkResult(client_id=str(mark.client_id), outcome=APPLIED)
        outcome = AttendanceChangeOutcome.APPLIED
        if row is None:
            row = _create(mark, by)
            rows[key] = row
            changed.add(mark.registration.pk)
        elif row.status == mark.status:
            pass  # the roll already says so: nothing to change, the mark is kept in the audit
        elif mark.recorded_at <= row.recorded_at:
            # Someone marked the slot later than this phone did: their mark stays.
            result.outcome, result.kept = CONFLICT, KEPT_SERVER
            result.detail = _("Changed meanwhile on the server by a later mark; the later mark is kept.")
            outcome = AttendanceChangeOutcome.LOST
        else:
            own = row.recorded_by_id == by.pk and row.method == AttendanceMethod.ROLL_CALL
            if not own:
                result.outcome, result.kept = CONFLICT, KEPT_YOURS
                result.detail = _("Marked differently on the server earlier; your later mark is kept.")
                outcome = AttendanceChangeOutcome.WON
            _keep_replaced(row, now)
            row.status, row.method, row.recorded_by = mark.status, AttendanceMethod.ROLL_CALL, by
            row.recorded_at, row.client_id = mark.recorded_at, mark.client_id
            row.save(update_fields=["status", "method", "recorded_by", "recorded_at", "client_id"])
            changed.add(mark.registration.pk)
        AttendanceChange.objects.create(
            registration=mark.registration,
            day=mark.slot.day,
            agenda_item=mark.slot.agenda_item,
            status=mark.status,
            method=AttendanceMethod.ROLL_CALL,
            recorded_by=by,
            recorded_at=mark.recorded_at,
            received_at=now,
            client_id=mark.client_id,
            outcome=outcome,
        )
        results[mark.index] = result
    return changed


def _create(mark, by):
    try:
        with transaction.atomic():
            return Attendance.objects.create(
                registration=mark.registration,
                day=mark.slot.day,
                agenda_item=mark.slot.agenda_item,
                status=mark.status,
                method=AttendanceMethod.ROLL_CALL,
                recorded_by=by,
                recorded_at=mark.recorded_at,
                client_id=mark.client_id,
            )
    except IntegrityError:
        # A QR check-in or the online roll call wrote the slot a moment ago: newest wins against it.
        row = Attendance.objects.select_for_update().get(registration=mark.registration, **mark.slot.query())
        if mark.recorded_at > row.recorded_at:
            _keep_replaced(row, timezone.now())
            row.status, row.method, row.recorded_by = mark.status, AttendanceMethod.ROLL_CALL, by
            row.recorded_at, row.client_id = mark.recorded_at, mark.client_id
            row.save(update_fields=["status", "method", "recorded_by", "recorded_at", "client_id"])
        return row


def _keep_replaced(row, now):
    """Keep the value a synced mark overwrites: mark its own audit row, or copy a mark made online."""
    if row.client_id is not None and AttendanceChange.objects.filter(client_id=row.client_id).exists():
        AttendanceChange.objects.filter(client_id=row.client_id).update(outcome=AttendanceChangeOutcome.REPLACED)
        return
    AttendanceChange.objects.create(
        registration_id=row.registration_id,
        day=row.day,
        agenda_item_id=row.agenda_item_id,
        status=row.status,
        method=row.method,
        recorded_by_id=row.recorded_by_id,
        recorded_at=row.recorded_at,
        received_at=now,
        outcome=AttendanceChangeOutcome.REPLACED,
    )


def _current_statuses(session, results, slot_keys):
    """Fill in what the server holds now for the slot of each applied, conflicting or duplicate mark."""
    duplicates = [_client_id(r.client_id) for r in results if r.outcome == DUPLICATE]
    for client_id, *key in AttendanceChange.objects.filter(client_id__in=duplicates).values_list(
        "client_id", "registration_id", "day", "agenda_item_id"
    ):
        slot_keys[str(client_id)] = tuple(key)
    held = {
        (row.registration_id, row.day, row.agenda_item_id): row.status
        for row in Attendance.objects.filter(
            registration_id__in={key[0] for key in slot_keys.values()}, registration__session=session
        )
    }
    for result in results:
        if result.outcome != REFUSED:
            result.status = held.get(slot_keys.get(result.client_id))
