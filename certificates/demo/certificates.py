"""Demo certificates for the demo academy (idempotent).

Runs after the attendance step (ORDER 45), which completes the registrations of the past
catalogue sessions:

1. a default certificate template, bilingual Kyrgyz + Russian, with the academy's licence number
   (from the site settings) and the academy director as signatory;
2. certificates for the completed registrations of those sessions, through the issuing service,
   without e-mails: the oldest session through a bulk issuance batch (so the admin shows a batch
   with its summary, the participant below the attendance threshold listed as skipped), the others
   one registration at a time;
3. one certificate reissued with a corrected name and one revoked, so the verification page has
   all three states to show.

Only the catalogue demo's sessions get certificates (the reports demo, which runs later, brings
its own completed sessions): a second run finds everything in place and creates nothing.
"""

from academy.data.demo.catalogue import ACADEMY
from academy.errors import DomainError
from academy.models import User
from certificates.models import (
    Certificate,
    CertificateEvent,
    CertificateStatus,
    CertificateTemplate,
    IssuanceBatch,
    Signatory,
)
from certificates.services import batches, issuance, revocation
from courses.models import Registration, Session

ORDER = 60
TEMPLATE_NAME = "БАЖБА: кыргызча жана орусча (A4)"
# The seeds do not name the academy's director: this name is fictitious.
DIRECTOR = {
    "name": "Айгерим Төлөгөнова",
    "name_latin": "Aigerim Tologonova",
    "title_ky": "Борбордук Азиянын Жергиликтүү башкаруу академиясынын директору",
    "title_ru": "Директор Академии местного управления Центральной Азии",
    "title_en": "Director, Central Asian Academy of Local Governance",
}
REISSUE_REASON = "Катышуучунун өтүнүчү боюнча аты-жөнүнүн латынча жазылышы паспорт боюнча оңдолду."
REVOKE_REASON = (
    "Катышуу журналы кайра текшерилди: катышуучу тренингдин экинчи күнүнө катышкан эмес. Сертификат ката берилген."
)


def _licence_number():
    from cms.models import AcademySettings

    academy = AcademySettings.objects.filter(site__is_default_site=True).first()
    return (academy.licence_number if academy else "") or ACADEMY["licence_number"]


def ensure_template():
    """The demo template; it becomes the default when no other template is."""
    template = CertificateTemplate.objects.filter(name=TEMPLATE_NAME).first()
    if template is None:
        has_default = CertificateTemplate.objects.filter(is_default=True).exists()
        template = CertificateTemplate.objects.create(
            name=TEMPLATE_NAME,
            is_default=not has_default,
            page_size="A4",
            orientation="landscape",
            languages="ky+ru",
            licence_number=_licence_number(),
        )
    if not template.signatories.exists():
        Signatory.objects.create(template=template, sort_order=0, **DIRECTOR)
    return template


def _demo_sessions(context):
    sessions = context.get("sessions")
    if isinstance(sessions, dict):
        sessions = sessions.values()
    own = [session.pk for session in sessions or ()]
    completed = Registration.objects.filter(session_id__in=own, completed_at__isnull=False)
    return list(Session.objects.filter(pk__in=completed.values("session_id")).order_by("starts_at", "pk"))


def _issuer_account():
    return User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()


def seed(context):
    template = ensure_template()
    sessions = _demo_sessions(context)
    if not sessions:
        return "template ready; no completed demo registrations"
    admin = _issuer_account()
    before = Certificate.objects.count()
    batch_count = 0

    # The oldest session as an admin would do it: a bulk batch (once), with its summary.
    first = sessions[0]
    if not IssuanceBatch.objects.filter(session=first).exists():
        batch = batches.start_batch(created_by=admin, session=first, template=template, language="ky", enqueue=False)
        batches.run_batch(batch.pk, notify=False)
        batch_count += 1

    # The others one by one; a revoked certificate is not issued again (DomainError), which is fine.
    issuer = issuance.CertificateIssuer(template=template, issued_by=admin, notify=False)
    skipped = 0
    registrations = (
        Registration.objects.filter(session__in=sessions[1:], completed_at__isnull=False)
        .select_related("session")
        .order_by("session__starts_at", "pk")
    )
    for registration in registrations:
        try:
            issuer.issue(registration)
        except DomainError:
            skipped += 1

    demo_certificates = Certificate.objects.filter(session__in=sessions)
    corrected = revoked = 0
    if not CertificateEvent.objects.filter(
        certificate__in=demo_certificates, kind=CertificateEvent.Kind.REISSUED
    ).exists():
        target = demo_certificates.valid().order_by("sequence").first()
        if target is not None:
            revocation.reissue_certificate(target, reason=REISSUE_REASON, actor=admin, notify=False)
            corrected = 1
    if not demo_certificates.filter(status=CertificateStatus.REVOKED).exists():
        target = demo_certificates.valid().filter(replaces__isnull=True).order_by("-sequence").first()
        if target is not None:
            revocation.revoke_certificate(target, reason=REVOKE_REASON, actor=admin)
            revoked = 1

    created = Certificate.objects.count() - before
    total = demo_certificates.count()
    return (
        f"template “{template.name}”, {created} new certificates ({total} for {len(sessions)} demo sessions), "
        f"{batch_count} new batches, {corrected} reissued, {revoked} revoked, {skipped} not issued again"
    )
