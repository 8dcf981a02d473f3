"""E-mails to certificate holders, through the academy's outbox (one e-mail per certificate)."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from academy.services.notifications import queue_email


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def notify_issued(certificate, profile=None):
    """Send the holder a link to the certificate, in their preferred language. Safe to call twice."""
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
            "pdf_url": absolute(reverse("my_certificate_pdf", args=[certificate.pk])),
            "my_certificates_url": absolute(reverse("my_certificates")),
        }
    email, _created = queue_email(
        key=f"certificate-issued:{certificate.pk}",
        to=user.email,
        template="certificates_issued",
        context=context,
        language=language,
    )
    return email
