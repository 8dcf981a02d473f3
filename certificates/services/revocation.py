"""Revoking a certificate, and reissuing it corrected (e.g. a name spelt wrongly). Both leave an audit trail.

Rules:
- only a valid certificate can be revoked or reissued; a reason is always required;
- a revoked certificate stays revoked: it is never reissued (issue a new one only by reissuing
  a valid certificate);
- a replaced certificate points at its replacement; corrections are made on the newest one.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.errors import DomainError
from certificates.models import Certificate, CertificateEvent, CertificateStatus
from certificates.services.issuance import CertificateIssuer, create_certificate
from certificates.services.notifications import notify_issued


def _locked(certificate):
    return Certificate.objects.select_for_update().select_related("template").get(pk=certificate.pk)


def _reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason."), field="reason", code="required")
    if len(reason) > 2000:
        raise DomainError(_("The reason is too long (2000 characters at most)."), field="reason", code="invalid")
    return reason


def _check_valid(certificate, action):
    if certificate.status == CertificateStatus.REVOKED:
        raise DomainError(
            _("Certificate %(number)s is revoked and cannot be %(action)s.")
            % {"number": certificate.number, "action": action},
            code="revoked",
        )
    if certificate.status == CertificateStatus.REPLACED:
        replacement = Certificate.objects.filter(replaces=certificate).values_list("number", flat=True).first()
        raise DomainError(
            _("Certificate %(number)s was replaced by %(replacement)s; make changes to that one.")
            % {"number": certificate.number, "replacement": replacement or "—"},
            code="replaced",
        )


def revoke_certificate(certificate, *, reason, actor):
    reason = _reason(reason)
    with transaction.atomic():
        certificate = _locked(certificate)
        _check_valid(certificate, _("revoked"))
        certificate.status = CertificateStatus.REVOKED
        certificate.revoked_at = timezone.now()
        certificate.revocation_reason = reason
        certificate.save(update_fields=["status", "revoked_at", "revocation_reason"])
        CertificateEvent.objects.create(
            certificate=certificate, kind=CertificateEvent.Kind.REVOKED, actor=actor, reason=reason
        )
    return certificate


def reissue_certificate(certificate, *, reason, actor, holder_name=None, holder_name_latin=None, notify=True):
    """Replace a valid certificate with a corrected one (new number, new code). Returns the new certificate.

    The new certificate reads the participant's profile and the course again (so a corrected
    spelling in the profile is picked up); `holder_name` and `holder_name_latin` override the profile.
    """
    reason = _reason(reason)
    if holder_name is not None and not holder_name.strip():
        raise DomainError(_("The holder's name cannot be empty."), field="holder_name", code="required")
    with transaction.atomic():
        old = _locked(certificate)
        _check_valid(old, _("reissued"))
        old.status = CertificateStatus.REPLACED
        old.save(update_fields=["status"])
        registration = old.registration
        names = None
        if holder_name is not None or holder_name_latin is not None:
            profile = getattr(registration.user, "profile", None) if registration else None
            names = (
                (holder_name or (profile.full_name if profile else old.holder_name)).strip(),
                (
                    holder_name_latin
                    if holder_name_latin is not None
                    else (profile.full_name_latin if profile else old.holder_name_latin)
                ).strip(),
            )
        if registration is not None and getattr(registration.user, "profile", None) is not None:
            issuer = CertificateIssuer(template=old.template, issued_by=actor, notify=False)
            new = issuer.create_for(registration, issuer.facts(registration.session), replaces=old, names=names)
        else:
            # The registration is gone: correct the certificate from its own snapshot.
            new = create_certificate(
                template=old.template,
                issued_by=actor,
                replaces=old,
                user=old.user,
                session=old.session,
                holder_name=names[0] if names else old.holder_name,
                holder_name_latin=names[1] if names else old.holder_name_latin,
                course_title=old.course_title,
                course_hours=old.course_hours,
                starts_on=old.starts_on,
                ends_on=old.ends_on,
                snapshot=old.snapshot,
            )
        CertificateEvent.objects.create(
            certificate=old,
            kind=CertificateEvent.Kind.REPLACED,
            actor=actor,
            reason=reason,
            details={"replaced_by": new.number},
        )
        CertificateEvent.objects.create(
            certificate=new,
            kind=CertificateEvent.Kind.REISSUED,
            actor=actor,
            reason=reason,
            details={"replaces": old.number},
        )
        if notify:
            notify_issued(new)
    return new
