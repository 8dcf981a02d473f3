"""Fixtures of the certificates area: a default template, sessions with completed registrations, helpers."""

import io
from urllib.parse import urlparse

import pypdfium2
import pytest
import zxingcpp
from django.core.files.base import ContentFile
from PIL import Image as PILImage

from certificates.models import CertificateTemplate, Signatory
from courses.models import Registration
from tests import factories

COMPLETED_AT = factories.bishkek(2026, 11, 11, 18)


def png_bytes(size=(300, 120), colour=(20, 40, 160, 255), mode="RGBA"):
    out = io.BytesIO()
    PILImage.new(mode, size, colour[: len(mode)]).save(out, "PNG")
    return out.getvalue()


def wagtail_image(name="logo.png", **kwargs):
    from wagtail.images.models import Image

    return Image.objects.create(title=name, file=ContentFile(png_bytes(**kwargs), name=name))


def make_template(name="Default", *, signatories=1, **fields):
    fields.setdefault("is_default", True)
    fields.setdefault("licence_number", "LIC-0042")
    fields.setdefault("languages", "ky+ru")
    template = CertificateTemplate.objects.create(name=name, **fields)
    for index in range(signatories):
        Signatory.objects.create(
            template=template,
            name=f"Асел Асанова {index}",
            name_latin=f"Asel Asanova {index}",
            title_ky="Академиянын директору",
            title_ru="Директор академии",
            title_en="Director of the academy",
            sort_order=index,
        )
    return template


def register(session, user, *, completed=True, status="confirmed"):
    return Registration.objects.create(
        session=session, user=user, status=status, completed_at=COMPLETED_AT if completed else None
    )


@pytest.fixture
def template(db):
    return make_template()


@pytest.fixture
def past_session(course, trainer):
    """A two-day session (10–11 Nov 2026) trained by `trainer`, already held."""
    session = factories.make_session(
        course, starts_at=factories.bishkek(2026, 11, 10), trainers=[trainer], status="completed"
    )
    session.save()  # trainers is a ParentalManyToManyField: kept in memory until the session is saved
    return session


@pytest.fixture
def registration(past_session, participant):
    return register(past_session, participant)


@pytest.fixture
def certificate(template, registration, admin_user):
    from certificates.services.issuance import issue_certificate

    certificate, _created = issue_certificate(registration, issued_by=admin_user)
    return certificate


def pdf_to_image(pdf, scale=2):
    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[0].render(scale=scale).to_pil()
    finally:
        document.close()


def pdf_text(pdf):
    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[0].get_textpage().get_text_range()
    finally:
        document.close()


def qr_urls(pdf):
    return [result.text for result in zxingcpp.read_barcodes(pdf_to_image(pdf))]


def path_of(url):
    return urlparse(url).path


# The language a phone speaks (its Accept-Language and language cookie) when the test opens a link in another.
OTHER_LANGUAGE = {"ky": "en", "ru": "ky", "en": "ru"}


def verify_path(code, lang=None):
    """The verification page's address, as printed in the QR code (`?lang=`) or without a language."""
    return f"/verify/{code}/" + (f"?lang={lang}" if lang else "")


@pytest.fixture
def verify_page(client):
    """Open a verification page through a link in `lang` (None: a link without one) from a phone that speaks
    `phone` (its Accept-Language; with `cookie`, its language cookie too). Gives (response, body)."""

    def open_page(code, lang=None, *, phone=None, cookie=False):
        if cookie:
            client.cookies["django_language"] = phone
        headers = {"HTTP_ACCEPT_LANGUAGE": phone} if phone else {}
        response = client.get(verify_path(code, lang), **headers)
        return response, response.content.decode()

    return open_page
