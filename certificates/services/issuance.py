"""Issuing certificates: one at a time, or in bulk batches that any number of workers can resume.

Every certificate is created in its own transaction, which locks the registration row (so two
issuers of the same registration queue up and the second finds the first's certificate) and
the year's counter row (so numbers have no gaps). A batch keeps its list of registrations and
its progress in the database; running it again skips what is already issued, so a worker that
dies halfway is simply run again.
"""

import logging
import time
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from academy.errors import DomainError, NotFoundError
from certificates.models import (
    BatchStatus,
    Certificate,
    CertificateEvent,
    CertificateStatus,
    IssuanceBatch,
)
from certificates.services.notifications import notify_issued
from certificates.services.numbering import format_number, new_code, next_sequence
from certificates.services.templates import default_template, signatory_snapshot, validate_template
from courses.models import CoursePage, Registration, RegistrationStatus, Session

logger = logging.getLogger(__name__)

PROGRESS_EVERY_SECONDS = 0.3


@dataclass(frozen=True)
class SessionFacts:
    """What a certificate says about the training, read once per session."""

    course_key: str
    course_titles: dict
    fallback_title: str
    hours: int
    starts_on: date
    ends_on: date
    trainers: list


def session_facts(session):
    course = session.course
    titles = dict(
        CoursePage.objects.filter(translation_key=course.translation_key).values_list("locale__language_code", "title")
    )
    trainers = []
    for trainer in session.trainers.select_related("profile").order_by("pk"):
        profile = getattr(trainer, "profile", None)
        name = (profile.full_name if profile else "") or trainer.get_full_name()
        if name:
            trainers.append({"name": name, "name_latin": profile.full_name_latin if profile else ""})
    return SessionFacts(
        course_key=str(course.translation_key),
        course_titles=titles,
        fallback_title=course.title,
        hours=course.hours,
        starts_on=timezone.localdate(session.starts_at),
        ends_on=timezone.localdate(session.ends_at),
        trainers=trainers,
    )


def issuer_names():
    """The academy's name in each language, from the site settings (falls back to WAGTAIL_SITE_NAME)."""
    from cms.models import AcademySettings

    names = dict.fromkeys(("ky", "ru", "en"), "")
    academy = AcademySettings.objects.filter(site__is_default_site=True).first()
    if academy:
        names = {code: getattr(academy, f"name_{code}") for code in names}
    fallback = next((name for name in names.values() if name), settings.WAGTAIL_SITE_NAME)
    return {code: name or fallback for code, name in names.items()}


def _holder_label(registration):
    profile = getattr(registration.user, "profile", None)
    return (profile.full_name if profile else "") or registration.user.email


class CertificateIssuer:
    """Issues certificates with one template; reuses what it read about sessions and the template."""

    def __init__(self, *, template=None, issued_by=None, batch=None, notify=True):
        self.template = validate_template(template or default_template())
        self.issued_by = issued_by
        self.batch = batch
        self.notify = notify
        self._facts = {}
        self._template_snapshot = {
            "texts": self.template.texts(),
            "signatories": signatory_snapshot(self.template),
            "issuer_names": issuer_names(),
        }

    def facts(self, session):
        if session.pk not in self._facts:
            self._facts[session.pk] = session_facts(session)
        return self._facts[session.pk]

    def facts_by_id(self, session_id):
        if session_id not in self._facts:
            self._facts[session_id] = session_facts(Session.objects.select_related("course").get(pk=session_id))
        return self._facts[session_id]

    def issue(self, registration):
        """Issue the certificate of a completed registration. Returns (certificate, created)."""
        registration_id = getattr(registration, "pk", registration)
        try:
            with transaction.atomic():
                return self._issue_locked(registration_id)
        except IntegrityError:
            # Another issuer won the race (possible only where the row lock is not available).
            existing = Certificate.objects.valid().filter(registration_id=registration_id).first()
            if existing is None:
                raise
            return existing, False

    def _issue_locked(self, registration_id):
        # Lean queries: this runs once per certificate of a batch (see bench/certificates.py).
        try:
            registration = (
                Registration.objects.select_for_update(of=("self",))
                .select_related("user__profile")
                .get(pk=registration_id)
            )
        except Registration.DoesNotExist:
            raise NotFoundError(_("The registration does not exist."), field="registration")
        current = list(
            Certificate.objects.filter(registration_id=registration.pk)
            .exclude(status=CertificateStatus.REPLACED)
            .values_list("pk", "status")
        )
        valid = next((pk for pk, status in current if status == CertificateStatus.VALID), None)
        if valid is not None:
            return Certificate.objects.get(pk=valid), False
        check_can_issue(registration, revoked=any(status == CertificateStatus.REVOKED for _pk, status in current))
        certificate = self.create_for(registration, self.facts_by_id(registration.session_id))
        CertificateEvent.objects.create(
            certificate=certificate,
            kind=CertificateEvent.Kind.ISSUED,
            actor=self.issued_by,
            details={"batch": self.batch.pk} if self.batch else {},
        )
        if self.notify:
            notify_issued(certificate, registration.user.profile)
        return certificate, True

    def create_for(self, registration, facts, *, replaces=None, names=None):
        profile = registration.user.profile
        holder_name, holder_name_latin = names or (profile.full_name.strip(), profile.full_name_latin.strip())
        languages = self.template.language_list
        title = facts.course_titles.get(languages[0]) or facts.fallback_title
        snapshot = {
            **self._template_snapshot,
            "course_key": facts.course_key,
            "course_titles": facts.course_titles or {languages[0]: title},
            "trainers": facts.trainers,
        }
        return create_certificate(
            registration=registration,
            template=self.template,
            batch=self.batch,
            issued_by=self.issued_by,
            replaces=replaces,
            holder_name=holder_name,
            holder_name_latin=holder_name_latin,
            course_title=title,
            course_hours=facts.hours,
            starts_on=facts.starts_on,
            ends_on=facts.ends_on,
            snapshot=snapshot,
        )


def check_can_issue(registration, *, revoked=False):
    """Raise a DomainError saying why this registration gets no certificate."""
    label = _holder_label(registration)
    if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.REJECTED):
        raise DomainError(
            _("The registration of %(name)s is %(status)s.")
            % {"name": label, "status": registration.get_status_display().lower()},
            field="registration",
            code="not_eligible",
        )
    if registration.completed_at is None:
        raise DomainError(
            _("%(name)s has not completed the training, so no certificate can be issued.") % {"name": label},
            field="registration",
            code="not_completed",
        )
    if revoked:
        raise DomainError(
            _("The certificate of %(name)s was revoked; a revoked certificate is not issued again.") % {"name": label},
            field="registration",
            code="revoked",
        )
    profile = getattr(registration.user, "profile", None)
    if profile is None or not profile.full_name.strip():
        raise DomainError(
            _("%(email)s has no full name in the profile; add it before issuing a certificate.")
            % {"email": registration.user.email},
            field="registration",
            code="no_name",
        )


def create_certificate(*, template, registration=None, issued_by=None, batch=None, replaces=None, **facts):
    """Number and store one certificate. Runs inside the caller's transaction."""
    today = timezone.localdate()
    sequence = next_sequence(today.year)
    if registration is not None:
        facts.setdefault("user", registration.user)
        if "session" not in facts:
            facts["session_id"] = registration.session_id
    return Certificate.objects.create(
        template=template,
        registration=registration,
        batch=batch,
        issued_by=issued_by,
        replaces=replaces,
        number=format_number(today.year, sequence),
        year=today.year,
        sequence=sequence,
        code=new_code(),
        issued_on=today,
        languages=template.languages,
        licence_number=template.licence_number,
        **facts,
    )


def issue_certificate(registration, *, template=None, issued_by=None, notify=True):
    """Issue one certificate, or return the registration's valid one. Returns (certificate, created)."""
    return CertificateIssuer(template=template, issued_by=issued_by, notify=notify).issue(registration)


# Batches ----------------------------------------------------------------------------------------


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
        not_completed = [_holder_label(r) for r in found.values() if r.completed_at is None]
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


def resume_batch(batch):
    """Queue an unfinished batch again (after a broker outage, or a fixed template)."""
    if batch.status == BatchStatus.DONE:
        raise DomainError(_("This batch is already finished."), code="finished")
    transaction.on_commit(lambda: enqueue_batch(batch.pk, batch.language))
    return batch


def run_batch(batch_id, *, notify=True):
    """Issue every certificate of a batch. Running it again (or after a crash) issues only what is missing.

    With notify=False no e-mail is queued (the demo data uses it).
    """
    batch = IssuanceBatch.objects.select_related("template", "created_by").filter(pk=batch_id).first()
    if batch is None or batch.status == BatchStatus.DONE:
        return batch
    IssuanceBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.RUNNING,
        started_at=Coalesce(F("started_at"), timezone.now()),
        runs=F("runs") + 1,
        processed=0,
        error="",
    )
    try:
        issuer = CertificateIssuer(template=batch.template, issued_by=batch.created_by, batch=batch, notify=notify)
    except DomainError as error:
        _finish(batch, status=BatchStatus.FAILED, error=str(error.message))
        return batch

    names = {
        registration.pk: _holder_label(registration)
        for registration in Registration.objects.filter(pk__in=batch.registration_ids).select_related("user__profile")
    }
    issued = existing = 0
    skipped = []
    last_flush = time.monotonic()
    for index, registration_id in enumerate(batch.registration_ids, start=1):
        try:
            certificate, _created = issuer.issue(registration_id)
        except DomainError as error:
            skipped.append(
                {
                    "registration": registration_id,
                    "participant": names.get(registration_id, ""),
                    "code": error.code,
                    "reason": str(error.message),
                }
            )
        except DatabaseError:
            raise  # a temporary database error: the task retries and the batch resumes
        except Exception as error:
            _finish(batch, status=BatchStatus.FAILED, error=f"{type(error).__name__}: {error}")
            raise
        else:
            if certificate.batch_id == batch.pk:
                issued += 1
            else:
                existing += 1
        if time.monotonic() - last_flush >= PROGRESS_EVERY_SECONDS:
            IssuanceBatch.objects.filter(pk=batch.pk).update(
                processed=index, issued_count=issued, existing_count=existing, skipped=skipped
            )
            last_flush = time.monotonic()
    _finish(batch, status=BatchStatus.DONE, issued=issued, existing=existing, skipped=skipped)
    return batch


def _finish(batch, *, status, error="", issued=None, existing=None, skipped=None):
    changes = {"status": status, "finished_at": timezone.now(), "error": error}
    if status == BatchStatus.DONE:
        changes.update(processed=batch.total, issued_count=issued, existing_count=existing, skipped=skipped)
    IssuanceBatch.objects.filter(pk=batch.pk).update(**changes)
    batch.refresh_from_db()


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
        "error": batch.error,
        "created_at": batch.created_at.isoformat() if batch.created_at else None,
        "started_at": batch.started_at.isoformat() if batch.started_at else None,
        "finished_at": batch.finished_at.isoformat() if batch.finished_at else None,
    }
