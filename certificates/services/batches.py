"""Bulk issuance: a batch of registrations, split into parts that Celery workers issue side by side.

A batch stores its registrations, how it is split, and each part's progress, so the admin and the
API can follow it from any process. A part issues its registrations chunk by chunk (one
transaction each, see issuance.py) and writes its own totals under the batch row's lock; the
batch's totals are the sum of its parts, and the part that finishes last finishes the batch.
Running a part again (a redelivered task, a worker killed halfway, a resumed batch) counts what
this batch already issued and issues only what is missing, so nothing is issued twice.

A running part holds a lease: its entry in `part_results` names its owner (the Celery task, or this
process) and a heartbeat renewed after every chunk. Another delivery of the part leaves a live lease
alone; a part whose lease went quiet for CERTIFICATES_STALLED_AFTER seconds (its worker was killed)
is queued again by the beat task `requeue_stalled_batch_parts`, and its new owner takes the lease
over. Numbers stay without gaps or duplicates whoever runs a chunk: that rests on the row locks and
unique constraints of issuance.py, not on the lease, which only keeps the work moving.
"""

import logging
import os
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from academy.errors import DomainError
from certificates.models import BatchStatus, IssuanceBatch, PartState
from certificates.services.issuance import CertificateIssuer, holder_label
from certificates.services.templates import default_template, validate_template
from courses.models import Registration, RegistrationStatus

logger = logging.getLogger(__name__)


def batch_registration_ids(session):
    """The registrations a session batch looks at: confirmed or completed ones, in a fixed order."""
    return list(
        session.registrations.filter(Q(status=RegistrationStatus.CONFIRMED) | Q(completed_at__isnull=False))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def start_batch(*, created_by, session=None, registration_ids=None, template=None, language=None, enqueue=True):
    """Check the input, store a batch and queue it after commit. Nothing is stored when the input is bad.

    With enqueue=False the caller runs the batch itself (the management command does).
    """
    template = validate_template(template or default_template())
    if registration_ids:
        registration_ids = sorted({int(pk) for pk in registration_ids})
        found = Registration.objects.filter(pk__in=registration_ids).select_related("user__profile")
        if session is not None:
            found = found.filter(session=session)
        found = {registration.pk: registration for registration in found}
        missing = [str(pk) for pk in registration_ids if pk not in found]
        if missing:
            raise DomainError(
                _("These registrations do not exist or belong to another session: %(ids)s")
                % {"ids": ", ".join(missing)},
                field="registrations",
                code="not_found",
            )
        not_completed = [holder_label(r) for r in found.values() if r.completed_at is None]
        if not_completed:
            raise DomainError(
                _("These participants have not completed the training: %(names)s")
                % {"names": ", ".join(sorted(not_completed))},
                field="registrations",
                code="not_completed",
            )
        sessions = {registration.session_id for registration in found.values()}
        if session is None and len(sessions) == 1:
            session = found[registration_ids[0]].session
    elif session is not None:
        registration_ids = batch_registration_ids(session)
        if not registration_ids:
            raise DomainError(
                _("This session has no confirmed or completed registrations."), field="session", code="empty"
            )
    else:
        raise DomainError(_("Choose a session or registrations."), field="session", code="required")
    batch = IssuanceBatch.objects.create(
        session=session,
        template=template,
        registration_ids=registration_ids,
        total=len(registration_ids),
        language=(language or translation.get_language() or settings.LANGUAGE_CODE)[:2],
        created_by=created_by,
    )
    if enqueue:
        transaction.on_commit(lambda: enqueue_batch(batch.pk, batch.language))
    return batch


def enqueue_batch(batch_id, language):
    from certificates.tasks import issue_certificate_batch

    try:
        issue_certificate_batch.delay(batch_id, language)
    except Exception:  # the broker is down: the batch stays pending and can be resumed
        logger.warning("Could not enqueue certificate batch %s; resume it later.", batch_id)


def enqueue_parts(batch_id, parts, language):
    from certificates.tasks import issue_certificate_batch_part

    for part in parts:
        try:
            issue_certificate_batch_part.delay(batch_id, part, language)
        except Exception:  # the broker is down: the part stays unfinished and the batch can be resumed
            logger.warning("Could not enqueue part %s of certificate batch %s; resume it later.", part, batch_id)


def resume_batch(batch):
    """Queue an unfinished batch again (after a broker outage, or a fixed template)."""
    if batch.status == BatchStatus.DONE:
        raise DomainError(_("This batch is already finished."), code="finished")
    transaction.on_commit(lambda: enqueue_batch(batch.pk, batch.language))
    return batch


def plan_parts(total):
    """How many parts a batch of `total` registrations is split into: one per worker process, but none
    smaller than CERTIFICATES_BATCH_MIN_PART (a part costs a task of its own)."""
    return max(1, min(settings.CERTIFICATES_BATCH_PARTS, total // settings.CERTIFICATES_BATCH_MIN_PART))


def part_registration_ids(batch, part):
    """The registrations of one part: a contiguous slice, so the parts keep the batch's order between them."""
    ids = batch.registration_ids
    return ids[part * len(ids) // batch.parts : (part + 1) * len(ids) // batch.parts]


def dispatch_batch(batch_id, *, notify=True, owner=None):
    """Start (or resume) a batch from a worker: queue its other unfinished parts, and issue the first one here."""
    batch, pending = prepare_batch(batch_id)
    if not pending:
        return batch
    if len(pending) > 1:
        language = translation.get_language() or batch.language
        transaction.on_commit(lambda: enqueue_parts(batch.pk, pending[1:], language))
    return run_batch_part(batch.pk, pending[0], notify=notify, owner=owner)


def run_batch(batch_id, *, notify=True):
    """Issue every unfinished part of a batch in this process (the management command and the demo data do).

    With notify=False no e-mail is queued."""
    batch, pending = prepare_batch(batch_id)
    for part in pending:
        batch = run_batch_part(batch.pk, part, notify=notify)
    return batch


def prepare_batch(batch_id):
    """Mark the batch running and split it (once: a resumed batch keeps its parts). Returns (batch, parts to run)."""
    batch = IssuanceBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status == BatchStatus.DONE:
        return batch, []
    IssuanceBatch.objects.filter(pk=batch.pk, parts=0).update(parts=plan_parts(batch.total))
    IssuanceBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.RUNNING,
        started_at=Coalesce(F("started_at"), timezone.now()),
        finished_at=None,
        runs=F("runs") + 1,
        error="",
    )
    batch.refresh_from_db()
    try:
        validate_template(batch.template)
    except DomainError as error:
        _fail(batch.pk, str(error.message))
        batch.refresh_from_db()
        return batch, []
    pending = [part for part in range(batch.parts) if batch.part_state(part) != PartState.DONE]
    return _mark_queued(batch.pk, pending, timezone.now()), pending


def run_batch_part(batch_id, part, *, notify=True, owner=None):
    """Issue one part of a batch, a chunk per transaction. Safe to run twice, or again after a crash.

    `owner` names this run in the part's lease (the task id: a redelivery of the same task takes its
    lease over); by default, this process. A part whose lease another run holds and renews is left to it."""
    owner = owner or process_owner()
    batch = IssuanceBatch.objects.select_related("template", "created_by").filter(pk=batch_id).first()
    if batch is None or batch.status == BatchStatus.DONE or not 0 <= part < batch.parts:
        return batch
    if batch.part_state(part) == PartState.DONE:
        return batch
    claimed = _claim_part(batch.pk, part, owner)
    if claimed is None:
        return IssuanceBatch.objects.filter(pk=batch_id).first()
    progress = {"state": PartState.RUNNING, "processed": 0, "issued": 0, "existing": 0, "skipped": []}
    try:
        issuer = CertificateIssuer(template=batch.template, issued_by=batch.created_by, batch=batch, notify=notify)
    except DomainError as error:
        failure = {**progress, "state": PartState.FAILED, "error": str(error.message)}
        return _record_part(batch.pk, part, failure, owner=owner)
    ids = part_registration_ids(batch, part)
    size = settings.CERTIFICATES_BATCH_CHUNK
    for start in range(0, len(ids), size):
        try:
            outcomes = issuer.issue_many(ids[start : start + size])
        except DatabaseError:
            raise  # a temporary database error: the task retries and the part resumes
        except Exception as error:
            failure = {**progress, "state": PartState.FAILED, "error": f"{type(error).__name__}: {error}"}
            _record_part(batch.pk, part, failure, owner=owner)
            raise
        _tally(progress, outcomes, batch.pk)
        if start + size < len(ids):
            batch = _record_part(batch.pk, part, progress, owner=owner)  # also the lease's heartbeat
            if not _holds(batch, part, owner):
                return batch  # another run took the part over (this one was too quiet): it finishes it
    return _record_part(batch.pk, part, {**progress, "state": PartState.DONE}, owner=owner)


def _tally(progress, outcomes, batch_id):
    for outcome in outcomes:
        progress["processed"] += 1
        if outcome.error is not None:
            progress["skipped"].append(
                {
                    "registration": outcome.registration_id,
                    "participant": outcome.participant,
                    "code": outcome.error.code,
                    "reason": str(outcome.error.message),
                }
            )
        elif outcome.certificate.batch_id == batch_id:
            progress["issued"] += 1  # issued now, or by an earlier run of this batch
        else:
            progress["existing"] += 1


def _record_part(batch_id, part, progress, *, owner=None):
    """Store a part's progress (and renew its lease) and add up the batch, under the batch row's lock; the
    last part to finish finishes the batch. Returns the batch."""
    with transaction.atomic():
        batch = _locked_batch(batch_id)
        stored = batch.part_results.get(str(part)) or {}
        if stored.get("state") == PartState.DONE and progress["state"] != PartState.DONE:
            return batch  # a late duplicate of a finished part
        if progress["state"] == PartState.RUNNING and stored.get("owner") not in (None, owner):
            return batch  # the lease went to another run, which records from now on
        entry = {**stored, **progress, "owner": owner, "heartbeat_at": timezone.now().isoformat()}
        if progress["state"] == PartState.RUNNING and stored.get("processed", 0) > progress["processed"]:
            # A run that took over recounts from the start: the bar keeps the earlier figures until it passes them.
            entry.update({key: stored[key] for key in ("processed", "issued", "existing", "skipped") if key in stored})
        batch.part_results = {**batch.part_results, str(part): entry}
        results = [batch.part_results.get(str(index)) or {} for index in range(batch.parts)]
        batch.processed = sum(result.get("processed", 0) for result in results)
        batch.issued_count = sum(result.get("issued", 0) for result in results)
        batch.existing_count = sum(result.get("existing", 0) for result in results)
        batch.skipped = [item for result in results for item in result.get("skipped", [])]
        if all(result.get("state") == PartState.DONE for result in results):
            batch.status, batch.error, batch.finished_at = BatchStatus.DONE, "", timezone.now()
        elif progress["state"] == PartState.FAILED:
            batch.status, batch.error, batch.finished_at = BatchStatus.FAILED, progress["error"], timezone.now()
        batch.save(
            update_fields=[
                "part_results",
                "processed",
                "issued_count",
                "existing_count",
                "skipped",
                "status",
                "error",
                "finished_at",
            ]
        )
    return batch


def _locked_batch(batch_id):
    # NO KEY: the chunks that insert certificates pointing at this batch keep going meanwhile.
    return IssuanceBatch.objects.select_for_update(no_key=True).get(pk=batch_id)


# --- leases and stalled parts ----------------------------------------------------------------------


def process_owner():
    """The lease owner of a part run outside Celery (the command line, the demo data)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _stalled_after():
    return timedelta(seconds=settings.CERTIFICATES_STALLED_AFTER)


def _parse(stamp):
    return datetime.fromisoformat(stamp) if stamp else None


def last_sign_of_life(batch, part):
    """When the part last moved: its heartbeat, or when it was (re)queued, or when the batch started."""
    entry = batch.part_results.get(str(part)) or {}
    stamps = [_parse(entry.get("heartbeat_at")), _parse(entry.get("queued_at")), batch.started_at, batch.created_at]
    return max(stamp for stamp in stamps if stamp is not None)


def is_stalled(batch, part, now):
    """A part of a running batch that is unfinished and has shown no sign of life for CERTIFICATES_STALLED_AFTER."""
    if batch.status != BatchStatus.RUNNING or batch.part_state(part) in (PartState.DONE, PartState.FAILED):
        return False
    return now - last_sign_of_life(batch, part) >= _stalled_after()


def _holds(batch, part, owner):
    entry = batch.part_results.get(str(part)) or {}
    return entry.get("state") == PartState.RUNNING and entry.get("owner") == owner


def _claim_part(batch_id, part, owner):
    """Take the part's lease: free, held by this owner (a redelivery), or gone quiet. Returns the batch, or None
    when the part is finished or another run holds a live lease."""
    now = timezone.now()
    with transaction.atomic():
        batch = _locked_batch(batch_id)
        entry = batch.part_results.get(str(part)) or {}
        if batch.status == BatchStatus.DONE or entry.get("state") == PartState.DONE:
            return None
        holder = entry.get("owner") if entry.get("state") == PartState.RUNNING else None
        heartbeat = _parse(entry.get("heartbeat_at"))
        if holder not in (None, owner) and heartbeat is not None and now - heartbeat < _stalled_after():
            logger.info("Part %s of certificate batch %s is held by %s; leaving it.", part, batch_id, holder)
            return None
        entry = {key: value for key, value in entry.items() if key != "error"}
        entry.update(state=PartState.RUNNING, owner=owner, heartbeat_at=now.isoformat())
        batch.part_results = {**batch.part_results, str(part): entry}
        batch.save(update_fields=["part_results"])
    return batch


def _mark_queued(batch_id, parts, now):
    """Stamp when these parts were queued, so a part that never starts is noticed too."""
    with transaction.atomic():
        batch = _locked_batch(batch_id)
        results = dict(batch.part_results)
        for part in parts:
            results[str(part)] = {**(results.get(str(part)) or {}), "queued_at": now.isoformat()}
        batch.part_results = results
        batch.save(update_fields=["part_results"])
    return IssuanceBatch.objects.select_related("template").get(pk=batch_id)


def stalled_parts(now=None):
    """(batch id, part) of every running batch's part that has gone quiet."""
    now = now or timezone.now()
    batches = IssuanceBatch.objects.filter(status=BatchStatus.RUNNING).only(
        "pk", "status", "parts", "part_results", "started_at", "created_at"
    )
    return [(batch.pk, part) for batch in batches for part in range(batch.parts) if is_stalled(batch, part, now)]


def requeue_stalled_parts(now=None):
    """Queue again every part whose worker went quiet (killed, lost). Returns the (batch id, part) requeued.

    A part that keeps stalling (CERTIFICATES_STALLED_MAX_REQUEUES times) fails the batch with the reason
    instead, for an admin to look at; *Queue again* runs it once the cause is fixed."""
    now = now or timezone.now()
    requeued = []
    for batch_id, part in stalled_parts(now):
        with transaction.atomic():
            batch = _locked_batch(batch_id)
            if not is_stalled(batch, part, now):  # it moved meanwhile
                continue
            entry = batch.part_results.get(str(part)) or {}
            requeues = entry.get("requeues", 0) + 1
            if requeues > settings.CERTIFICATES_STALLED_MAX_REQUEUES:
                _fail_stalled_part(batch, part, entry)
                continue
            entry = {**entry, "queued_at": now.isoformat(), "requeues": requeues}
            batch.part_results = {**batch.part_results, str(part): entry}
            batch.save(update_fields=["part_results"])
            logger.warning("Part %s of certificate batch %s stalled; queued again (%s).", part, batch_id, requeues)
            language = batch.language
            transaction.on_commit(lambda b=batch_id, p=part, lang=language: enqueue_parts(b, [p], lang))
            requeued.append((batch_id, part))
    return requeued


def _fail_stalled_part(batch, part, entry):
    with translation.override(batch.language):
        error = _(
            "Part %(part)s stopped %(count)s times without finishing (was its worker killed?). "
            "Queue the batch again once the cause is fixed."
        ) % {"part": part + 1, "count": entry.get("requeues", 0) + 1}
    batch.part_results = {**batch.part_results, str(part): {**entry, "state": PartState.FAILED, "error": error}}
    batch.status, batch.error, batch.finished_at = BatchStatus.FAILED, error, timezone.now()
    batch.save(update_fields=["part_results", "status", "error", "finished_at"])
    logger.error("Part %s of certificate batch %s stalled too often; the batch failed.", part, batch.pk)


def _fail(batch_id, error):
    IssuanceBatch.objects.filter(pk=batch_id).update(status=BatchStatus.FAILED, error=error, finished_at=timezone.now())


def batch_summary(batch):
    """The JSON the admin's progress bar and the API poll."""
    return {
        "id": batch.pk,
        "status": batch.status,
        "status_display": batch.get_status_display(),
        "finished": batch.is_finished,
        "session": batch.session_id,
        "template": batch.template_id,
        "total": batch.total,
        "processed": batch.processed,
        "percent": batch.percent,
        "issued": batch.issued_count,
        "already_issued": batch.existing_count,
        "skipped": batch.skipped,
        "parts": batch.parts,
        "parts_done": batch.parts_done,
        "error": batch.error,
        "created_at": batch.created_at.isoformat() if batch.created_at else None,
        "started_at": batch.started_at.isoformat() if batch.started_at else None,
        "finished_at": batch.finished_at.isoformat() if batch.finished_at else None,
    }
