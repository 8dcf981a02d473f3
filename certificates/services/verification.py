"""Public verification of a certificate by its code. Shows what the paper shows, nothing more."""

import re

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from academy.caching import cached, invalidate_on_commit
from certificates.models import Certificate, CertificateStatus
from certificates.services.issuance import issuer_names
from certificates.services.notifications import absolute

CODE_PATTERN = re.compile(r"^[A-Za-z2-7]{8,32}$")
# The public record and page of a certificate are cached until it changes (see `invalidate_cached`); the
# timeout only bounds what no signal reports (the site's issuer names, the page's surroundings).
CACHE_TIMEOUT = 3600


def find_certificate(code):
    """The certificate with this verification code (any letter case), or None."""
    code = (code or "").strip()
    if not CODE_PATTERN.match(code):
        return None
    return Certificate.objects.by_code(code).select_related("replaced_by").first()


def verify_rate():
    """(limit, window in seconds) from REST_FRAMEWORK's "verify" rate, e.g. "60/min"."""
    rate = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get("verify") or "60/min"
    count, period = rate.split("/")
    window = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]
    return int(count), window


def public_record(certificate):
    """The verification record: no e-mail, phone, birth year or anything else personal."""
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    names = certificate.snapshot.get("issuer_names") or issuer_names()
    replacement = getattr(certificate, "replaced_by", None) if certificate.status == "replaced" else None
    # A valid certificate past its last day reads "expired"; the stored status stays valid (services/expiry.py).
    status = certificate.public_status()
    return {
        "number": certificate.number,
        "status": status,
        "status_display": _("Expired") if status == "expired" else certificate.get_status_display(),
        "valid": status == CertificateStatus.VALID,
        "expires_at": certificate.expires_at.isoformat() if certificate.expires_at else None,
        "expired": status == "expired",
        "holder": {"name": certificate.holder_name, "name_latin": certificate.holder_name_latin},
        "course": {"title": certificate.localized_course_title, "hours": certificate.course_hours},
        "starts_on": certificate.starts_on.isoformat(),
        "ends_on": certificate.ends_on.isoformat(),
        "issued_on": certificate.issued_on.isoformat(),
        "issuer": {
            "name": names.get(language) or next(iter(names.values()), ""),
            "licence_number": certificate.licence_number,
        },
        "revocation": (
            {"reason": certificate.revocation_reason, "revoked_at": certificate.revoked_at.isoformat()}
            if certificate.status == CertificateStatus.REVOKED and certificate.revoked_at
            else None
        ),
        "replaced_by": (
            {
                "number": replacement.number,
                "verify_url": absolute(replacement.get_verify_path()),
                "api_url": absolute(reverse("api-certificate-verify", args=[replacement.code])),
            }
            if replacement
            else None
        ),
        "verify_url": absolute(certificate.get_verify_path()),
    }


def is_well_formed(code):
    return bool(CODE_PATTERN.match((code or "").strip()))


def cache_namespace(code):
    """The cache namespace of one certificate's verification record and page (academy.caching)."""
    return ("verify", (code or "").strip().upper())


def cached_public_record(code):
    """`public_record` of the certificate with this code, cached per code and language; None for an unknown code.

    Unknown codes are never cached (a certificate issued later is found at once).
    """
    if not is_well_formed(code):
        return None
    language = (get_language() or settings.LANGUAGE_CODE)[:2]

    def compute():
        certificate = find_certificate(code)
        return public_record(certificate) if certificate is not None else None

    # Keyed by the day too: a certificate expires at midnight without any change to invalidate on.
    today = timezone.localdate().isoformat()
    return cached(cache_namespace(code), compute, "record", language, today, timeout=CACHE_TIMEOUT)


def invalidate_cached(*codes):
    """Drop the cached record and pages of these certificates: now, and again when the transaction commits

    (so a request reading the old row between the change and the commit cannot keep it cached)."""
    invalidate_on_commit(*[cache_namespace(code) for code in codes if code])
