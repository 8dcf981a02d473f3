"""The "Add to LinkedIn profile" link of a certificate: LinkedIn's add-certification form, filled in.

LinkedIn documents the address https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME with the
fields name, organizationName (or organizationId), issueYear, issueMonth, expirationYear, expirationMonth,
certUrl and certId. The holder confirms the form on LinkedIn; nothing is sent from here.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import get_language

from certificates.services.notifications import verify_url

ADD_URL = "https://www.linkedin.com/profile/add"


def issuer_name(certificate, language, current_names=None):
    """The issuer as printed on the certificate; older certificates without it take today's academy name
    (`current_names`, read once by a caller listing many certificates, else read here)."""
    names = certificate.snapshot.get("issuer_names")
    if not names:
        from certificates.services.issuance import issuer_names

        names = current_names if current_names is not None else issuer_names()
    return names.get(language) or next((name for name in names.values() if name), settings.WAGTAIL_SITE_NAME)


def add_to_profile_url(certificate, language=None, current_names=None):
    """The link for a valid certificate (in the page's language); a revoked or replaced one gets none.
    A list passes `current_names` (issuance.issuer_names(), read once) so the settings are not read per row."""
    if certificate.status != "valid":
        return ""
    language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    titles = certificate.snapshot.get("course_titles") or {}
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": titles.get(language) or certificate.course_title,
        "organizationName": issuer_name(certificate, language, current_names),
        "issueYear": certificate.issued_on.year,
        "issueMonth": certificate.issued_on.month,
    }
    if certificate.expires_at:
        params["expirationYear"] = certificate.expires_at.year
        params["expirationMonth"] = certificate.expires_at.month
    params["certUrl"] = verify_url(certificate, language)
    params["certId"] = certificate.number
    return f"{ADD_URL}?{urlencode(params)}"


def add_to_profile_urls(certificates, language=None):
    """Set `linkedin_url` on every certificate of a list (a page of "My certificates", an API page) and return
    them. Today's academy name, which only certificates issued without their issuer's name need, is read once
    for the whole list, and only when one of them needs it."""
    current_names = None
    for certificate in certificates:
        if current_names is None and certificate.status == "valid" and not certificate.snapshot.get("issuer_names"):
            from certificates.services.issuance import issuer_names

            current_names = issuer_names()
        certificate.linkedin_url = add_to_profile_url(certificate, language, current_names)
    return certificates
