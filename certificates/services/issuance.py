"""Issuing certificates: one, or a list of registrations in one transaction (a chunk of a batch, see batches.py).

A chunk locks its registration rows in key order (so two issuers of the same registration queue up,
and the second finds the first's certificate), then takes as many numbers as it issues from the
year's counter row in one statement and keeps that row locked until commit (so numbers have no
gaps: a chunk that rolls back gives its numbers back). Certificates, their audit events and their
e-mails are inserted together, a few statements per chunk rather than per certificate.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.errors import DomainError, NotFoundError
from certificates.models import Certificate, CertificateEvent, CertificateStatus
from certificates.services.expiry import expiry_date
from certificates.services.notifications import notify_issued_many
from certificates.services.numbering import format_number, new_code, next_sequence, take_sequences
from certificates.services.printability import check_printable
from certificates.services.templates import default_template, signatory_snapshot, validate_template
from courses.models import CoursePage, Registration, RegistrationStatus, Session


@dataclass(frozen=True)
class Outcome:
    """What issuing did for one registration: its certificate (new or found), or why there is none."""

    registration_id: int
    certificate: Certificate | None = None
    created: bool = False
    error: DomainError | None = None
    participant: str = ""  # who was skipped (holder_label), for the batch summary


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
    validity_years: int | None = None  # the course's certificate validity; None: its certificates never expire


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
        validity_years=course.certificate_validity_years,
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


def holder_label(registration):
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
        """Issue the certificate of a completed registration. Returns (certificate, created); raises DomainError."""
        outcome = self.issue_many([registration])[0]
        if outcome.error is not None:
            raise outcome.error
        return outcome.certificate, outcome.created

    def issue_many(self, registrations):
        """Issue for each registration (or id) in one transaction. Returns an Outcome per registration, in order.

        A registration that gets no certificate (not completed, no name, revoked) has its reason in its
        Outcome and holds up none of the others."""
        ids = list(dict.fromkeys(int(getattr(registration, "pk", registration)) for registration in registrations))
        try:
            with transaction.atomic():
                return self._issue_locked(ids)
        except IntegrityError:
            # Another issuer won a race, possible only where row locks are not available (SQLite).
            if len(ids) > 1:
                return [outcome for pk in ids for outcome in self.issue_many([pk])]
            existing = Certificate.objects.valid().filter(registration_id=ids[0]).first()
            if existing is None:
                raise
            return [Outcome(ids[0], existing, created=False)]

    def _issue_locked(self, ids):
        # A few statements per chunk, whatever its size (see bench/certificates.py). Locked in key order, so
        # two chunks that share registrations cannot deadlock.
        registrations = {
            registration.pk: registration
            for registration in Registration.objects.select_for_update(of=("self",))
            .select_related("user__profile")
            .filter(pk__in=ids)
            .order_by("pk")
        }
        current = defaultdict(list)
        for certificate in Certificate.objects.filter(registration_id__in=ids).exclude(
            status=CertificateStatus.REPLACED
        ):
            current[certificate.registration_id].append(certificate)
        outcomes, eligible = {}, []
        for pk in ids:
            registration = registrations.get(pk)
            if registration is None:
                error = NotFoundError(_("The registration does not exist."), field="registration")
                outcomes[pk] = Outcome(pk, error=error)
                continue
            valid = next((c for c in current[pk] if c.status == CertificateStatus.VALID), None)
            if valid is not None:
                outcomes[pk] = Outcome(pk, valid, created=False)
                continue
            try:
                check_can_issue(registration, revoked=any(c.status == CertificateStatus.REVOKED for c in current[pk]))
                profile = registration.user.profile
                check_printable(profile.full_name.strip(), profile.full_name_latin.strip(), self.template.language_list)
            except DomainError as error:
                outcomes[pk] = Outcome(pk, error=error, participant=holder_label(registration))
                continue
            eligible.append(registration)
        for certificate in self._create_many(eligible):
            outcomes[certificate.registration_id] = Outcome(certificate.registration_id, certificate, created=True)
        return [outcomes[pk] for pk in ids]

    def _create_many(self, registrations):
        if not registrations:
            return []
        today = timezone.localdate()
        certificates = [
            Certificate(
                template=self.template,
                batch=self.batch,
                issued_by=self.issued_by,
                year=today.year,
                code=new_code(),
                issued_on=today,
                languages=self.template.languages,
                licence_number=self.template.licence_number,
                **self.certificate_facts(registration, self.facts_by_id(registration.session_id)),
            )
            for registration in registrations
        ]
        # Numbers are taken last, so the year's counter stays locked only for the inserts below.
        for certificate, sequence in zip(certificates, take_sequences(today.year, len(certificates)), strict=True):
            certificate.sequence = sequence
            certificate.number = format_number(today.year, sequence)
        # bulk_create sends no post_save: nothing to invalidate, as unknown codes are never cached (verification).
        Certificate.objects.bulk_create(certificates)
        details = {"batch": self.batch.pk} if self.batch else {}
        CertificateEvent.objects.bulk_create(
            CertificateEvent(certificate=c, kind=CertificateEvent.Kind.ISSUED, actor=self.issued_by, details=details)
            for c in certificates
        )
        if self.notify:
            notify_issued_many(certificates)
        return certificates

    def certificate_facts(self, registration, facts, *, names=None):
        """What a certificate of this registration says: holder, course, dates and the snapshot."""
        profile = registration.user.profile
        holder_name, holder_name_latin = names or (profile.full_name.strip(), profile.full_name_latin.strip())
        languages = self.template.language_list
        title = facts.course_titles.get(languages[0]) or facts.fallback_title
        return {
            "registration": registration,
            "user": registration.user,
            "session_id": registration.session_id,
            "holder_name": holder_name,
            "holder_name_latin": holder_name_latin,
            "course_title": title,
            "course_hours": facts.hours,
            "starts_on": facts.starts_on,
            "ends_on": facts.ends_on,
            "expires_at": expiry_date(facts.validity_years, registration.completed_at),
            "snapshot": {
                **self._template_snapshot,
                "course_key": facts.course_key,
                "course_titles": facts.course_titles or {languages[0]: title},
                "trainers": facts.trainers,
            },
        }

    def create_for(self, registration, facts, *, replaces=None, names=None):
        """Number and store one certificate (a reissue); runs inside the caller's transaction."""
        certificate_facts = self.certificate_facts(registration, facts, names=names)
        if replaces is not None:  # a correction is valid exactly as long as the certificate it corrects
            certificate_facts["expires_at"] = replaces.expires_at
        return create_certificate(
            template=self.template,
            batch=self.batch,
            issued_by=self.issued_by,
            replaces=replaces,
            **certificate_facts,
        )


def check_can_issue(registration, *, revoked=False):
    """Raise a DomainError saying why this registration gets no certificate."""
    label = holder_label(registration)
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
            % {"email": registration.user.email or registration.user.display_name},
            field="registration",
            code="no_name",
        )


def create_certificate(*, template, issued_by=None, batch=None, replaces=None, **facts):
    """Number and store one certificate. Runs inside the caller's transaction."""
    check_printable(facts["holder_name"], facts.get("holder_name_latin", ""), template.language_list)
    today = timezone.localdate()
    sequence = next_sequence(today.year)
    return Certificate.objects.create(
        template=template,
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
