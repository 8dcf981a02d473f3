"""E-mails to certificate holders, through the academy's outbox (one e-mail per certificate)."""

from django.conf import settings
from django.utils import translation

from academy.reversing import cached_reverse
from academy.services.notifications import Email, queue_emails


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def issued_email(certificate, profile=None):
    """The e-mail that gives the holder a link to the certificate, in their preferred language; None without
    an address."""
    user = certificate.user
    if user is None or not user.email:
        return None
    profile = profile or getattr(user, "profile", None)
    language = (profile.preferred_language if profile else None) or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "holder_name": certificate.holder_name_latin
            if language == "en" and certificate.holder_name_latin
            else certificate.holder_name,
            "number": certificate.number,
            "course_title": (certificate.snapshot.get("course_titles") or {}).get(language)
            or certificate.course_title,
            "hours": certificate.course_hours,
            "is_correction": certificate.replaces_id is not None,
            "verify_url": absolute(certificate.get_verify_path()),
            "pdf_url": absolute(cached_reverse("my_certificate_pdf", certificate.pk)),
            "my_certificates_url": absolute(cached_reverse("my_certificates")),
        }
    return Email(
        key=f"certificate-issued:{certificate.pk}",
        to=user.email,
        template="certificates_issued",
        context=context,
        language=language,
    )


def notify_issued_many(certificates):
    """Queue the issued e-mail of each certificate (its user and profile loaded). Safe to call twice."""
    return queue_emails(filter(None, (issued_email(certificate) for certificate in certificates)))


def notify_issued(certificate, profile=None):
    """Send the holder a link to the certificate. Safe to call twice: returns the new e-mail, or None."""
    email = issued_email(certificate, profile)
    created = queue_emails([email]) if email else []
    return created[0] if created else None
