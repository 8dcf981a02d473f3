"""Messages to certificate holders, through the academy's outbox (one per certificate), on each holder's best
channel (e-mail, Telegram or SMS: academy/services/messaging)."""

from django.conf import settings
from django.utils import translation

from academy.base_url import site_base_url
from academy.reversing import cached_reverse
from academy.services.messaging import deliver_many
from academy.services.notifications import Email


def absolute(path):
    return site_base_url() + path


def verify_url(certificate, language=None):
    """The verification address printed and sent: it carries a language (`?lang=`), by default the
    certificate's first one, so the page answers in it whatever the phone's language (academy.link_language)."""
    from academy.link_language import with_language

    return with_language(absolute(certificate.get_verify_path()), language or certificate.languages.split("+")[0])


def issued_email(certificate, profile=None):
    """The message that gives the holder a link to the certificate, in their preferred language; None without
    an account."""
    user = certificate.user
    if user is None:
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
            "verify_url": verify_url(certificate, language),
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
    """Queue the issued message of each certificate (its user and profile loaded). Safe to call twice."""
    pairs = ((certificate.user, issued_email(certificate)) for certificate in certificates)
    return deliver_many([(user, email) for user, email in pairs if email is not None])


def notify_issued(certificate, profile=None):
    """Send the holder a link to the certificate. Safe to call twice: returns the new e-mail, or None."""
    email = issued_email(certificate, profile)
    created = deliver_many([(certificate.user, email)]) if email else []
    return created[0] if created else None
