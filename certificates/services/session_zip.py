"""A ZIP of the PDFs of a session's valid certificates, for the academy's admins and the session's managers.

Up to `CERTIFICATES_ZIP_STREAM_LIMIT` certificates the ZIP is drawn at once and sent in the response (a PDF
takes about 20 ms). A larger session gets a `SessionCertificateZip` job: a Celery task (enqueued after
commit) draws the PDFs into a temporary file, counting progress on the job, and keeps the ZIP in private
storage; the admin page follows the job and links to the download, which asks the same permission again.

Only valid certificates go in (not revoked, replaced or expired ones), one file each, named
"<number> <holder's name>.pdf", in the order of their numbers.
"""

import io
import logging
import re
import tempfile
import zipfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.errors import DomainError, PermissionDeniedError
from certificates.models import Certificate, CertificateStatus, SessionCertificateZip, ZipStatus
from certificates.services import rendering
from courses.permissions import can_manage_session

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 10  # certificates between two progress writes
# A job "running" this long without finishing lost its worker (killed): the next run takes it over.
STALE_AFTER = timedelta(minutes=30)
UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def can_download(user, session):
    """Admins and the session's managers (its trainers); nobody else, whatever the job."""
    return bool(user and user.is_authenticated) and can_manage_session(user, session)


def check_can_download(user, session):
    if not can_download(user, session):
        raise PermissionDeniedError(
            _("Only the academy's admins and the session's trainers can download its certificates.")
        )


def zip_certificates(session, today=None):
    """The certificates that go into the session's ZIP: valid and not expired, by number."""
    today = today or timezone.localdate()
    return (
        Certificate.objects.filter(session=session, status=CertificateStatus.VALID)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gte=today))
        .select_related("template", "user")
        .order_by("year", "sequence")
    )


def entry_name(certificate):
    """The file name inside the ZIP, e.g. "CAALG-2026-000123 Айгүл Токтосунова.pdf" (safe on every system)."""
    holder = " ".join(UNSAFE_IN_NAMES.sub(" ", certificate.holder_name).split())[:80]
    return f"{certificate.number} {holder}.pdf" if holder else rendering.pdf_filename(certificate)


def archive_name(session):
    return f"certificates-session-{session.pk}-{timezone.localdate(session.starts_at):%Y-%m-%d}.zip"


def write_zip(target, certificates, on_progress=None):
    """Draw each certificate's PDF into a ZIP written to `target` (a file object). Returns how many went in."""
    count = 0
    used = set()
    # PDFs are compressed already: storing them is as small and much faster than deflating again.
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in certificates:
            name = entry_name(certificate)
            if name in used:  # two holders with one name: their numbers differ already, so this is a guard
                name = rendering.pdf_filename(certificate)
            used.add(name)
            archive.writestr(name, rendering.certificate_pdf(certificate))
            count += 1
            if on_progress and count % PROGRESS_EVERY == 0:
                on_progress(count)
    return count


def stream_limit():
    return max(0, int(getattr(settings, "CERTIFICATES_ZIP_STREAM_LIMIT", 30)))


def zip_now(session):
    """(file name, ZIP bytes) of a small session, drawn at once."""
    buffer = io.BytesIO()
    write_zip(buffer, zip_certificates(session))
    return archive_name(session), buffer.getvalue()


def request_zip(session, user):
    """What the admin's button does: ("now", (name, bytes)) for a small session, or ("job", job) for a large one.

    A job already waiting or building for the session is returned instead of a second one."""
    check_can_download(user, session)
    total = zip_certificates(session).count()
    if total == 0:
        raise DomainError(_("This session has no valid certificates to download."), code="no_certificates")
    if total <= stream_limit():
        return "now", zip_now(session)
    return "job", start_job(session, user, total)


def start_job(session, user, total):
    current = SessionCertificateZip.objects.filter(session=session, status__in=[ZipStatus.PENDING, ZipStatus.RUNNING])
    job = current.first()
    if job is not None:
        return job
    try:
        with transaction.atomic():
            job = SessionCertificateZip.objects.create(session=session, created_by=user, total=total)
    except IntegrityError:  # another request started one a moment ago (one in progress per session)
        return current.get()
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id):
    from django.utils.translation import get_language

    from academy.services.tasks import enqueue_or_keep_pending
    from certificates.tasks import build_session_zip

    enqueue_or_keep_pending(build_session_zip, job_id, get_language() or settings.LANGUAGE_CODE)


def _claim(job_id, now):
    """Mark the job running for this run, or None when it is finished or another live run has it."""
    with transaction.atomic():
        job = SessionCertificateZip.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        if job.status == ZipStatus.RUNNING and job.started_at and now - job.started_at < STALE_AFTER:
            return None
        job.status = ZipStatus.RUNNING
        job.started_at = now
        job.processed = 0
        job.save(update_fields=["status", "started_at", "processed"])
        return job


def build_job(job_id):
    """Build a job's ZIP. Safe to run twice: a finished job, or one another live run is building, is left alone."""
    job = _claim(job_id, timezone.now())
    if job is None:
        return SessionCertificateZip.objects.filter(pk=job_id).first()
    certificates = list(zip_certificates(job.session))
    SessionCertificateZip.objects.filter(pk=job.pk).update(total=len(certificates))

    def progress(count):
        SessionCertificateZip.objects.filter(pk=job.pk).update(processed=count)

    try:
        with tempfile.TemporaryFile() as scratch:
            count = write_zip(scratch, certificates, on_progress=progress)
            scratch.seek(0)
            job.file.save(f"{job.pk}-{archive_name(job.session)}", File(scratch), save=False)
    except Exception as error:
        logger.exception("certificate ZIP %s failed", job.pk)
        SessionCertificateZip.objects.filter(pk=job.pk).update(
            status=ZipStatus.FAILED, error=str(error)[:1000], finished_at=timezone.now()
        )
        raise
    SessionCertificateZip.objects.filter(pk=job.pk).update(
        status=ZipStatus.DONE, file=job.file.name, total=count, processed=count, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def open_download(job, user):
    """(file name, open file) of a finished job for someone allowed to download it; DomainError otherwise."""
    check_can_download(user, job.session)
    if job.status != ZipStatus.DONE or not job.file:
        raise DomainError(_("This ZIP is not ready yet."), code="not_ready")
    return archive_name(job.session), job.file.open("rb")
