"""The PDF of an issued certificate, drawn on demand from its snapshot (about 20 ms).

Issued certificates are not stored as files: what a certificate says is frozen in its row, so
the same certificate always draws the same words, and a revoked or replaced one is stamped as
such whenever it is downloaded again.
"""

from certificates.models import CertificateStatus
from certificates.pdf import render_certificate_pdf
from certificates.services.notifications import verify_url
from certificates.services.templates import artwork_paths, page_data
from certificates.wording import LABELS

STAMPS = {CertificateStatus.REVOKED: "revoked", CertificateStatus.REPLACED: "replaced"}


def certificate_data(certificate):
    languages = tuple(certificate.languages.split("+"))
    stamp_key = STAMPS.get(certificate.status)
    stamp = " / ".join(dict.fromkeys(LABELS[code][stamp_key] for code in languages)) if stamp_key else ""
    return page_data(
        template=certificate.template,
        artwork=artwork_paths(certificate.template),
        snapshot=certificate.snapshot,
        stamp=stamp,
        number=certificate.number,
        verify_url=verify_url(certificate),
        languages=languages,
        holder_name=certificate.holder_name,
        holder_name_latin=certificate.holder_name_latin,
        hours=certificate.course_hours,
        starts_on=certificate.starts_on,
        ends_on=certificate.ends_on,
        issued_on=certificate.issued_on,
        licence_number=certificate.licence_number,
    )


def certificate_pdf(certificate):
    return render_certificate_pdf(certificate_data(certificate))


def pdf_filename(certificate):
    return f"{certificate.number}.pdf"
