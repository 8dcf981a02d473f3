"""The PDF: drawn by a pure function, fonts with Kyrgyz letters embedded, a QR code that opens the check page."""

from datetime import date

import pytest
from django.core.files.base import ContentFile

from certificates.pdf import CertificateData, SignatoryData, render_certificate_pdf
from certificates.services import rendering, templates
from certificates.wording import DEFAULT_TEXTS
from tests.certificates.conftest import make_template, pdf_text, pdf_to_image, qr_urls, wagtail_image


def sample_data(**overrides):
    data = {
        "number": "CAALG-2026-000123",
        "verify_url": "http://testserver/verify/ABCDEFGHIJKLMNOPQRST/",
        "languages": ("ky", "ru"),
        "holder_name": "Айгүл Өмүрбекова",
        "holder_name_latin": "Aigul Omurbekova",
        "course_titles": {"ky": "Жергиликтүү башкаруунун маңызы", "ru": "Муниципальные услуги"},
        "hours": 18,
        "starts_on": date(2026, 12, 15),
        "ends_on": date(2026, 12, 16),
        "issued_on": date(2026, 12, 20),
        "fonts": templates.fonts(),
        "texts": DEFAULT_TEXTS,
        "trainers": (("Нурлан Ниязов", "Nurlan Niyazov"),),
        "issuer_names": {"ky": "Академия", "ru": "Академия", "en": "Academy"},
        "licence_number": "LIC-1",
        "signatories": (SignatoryData("Асел Асанова", "Asel Asanova", {"ky": "Директор", "ru": "Директор"}),),
    }
    data.update(overrides)
    return CertificateData(**data)


def test_render_is_pure_and_deterministic():
    first = render_certificate_pdf(sample_data())
    assert first.startswith(b"%PDF")
    assert render_certificate_pdf(sample_data()) == first


def test_fonts_are_embedded_and_carry_kyrgyz_letters():
    pdf = render_certificate_pdf(sample_data())
    assert b"/FontFile2" in pdf  # embedded TrueType subsets, no system font assumed
    text = pdf_text(pdf)
    assert "Айгүл Өмүрбекова" in text
    assert "маңызы" in text
    assert all(letter in text for letter in "үөңӨ")
    assert "CAALG-2026-000123" in text


def test_english_certificate_prints_the_latin_name():
    text = pdf_text(render_certificate_pdf(sample_data(languages=("en",), course_titles={"en": "Municipal services"})))
    assert "Aigul Omurbekova" in text
    assert "CERTIFICATE" in text


@pytest.mark.parametrize("page_size,orientation", [("A4", "portrait"), ("A5", "landscape"), ("letter", "landscape")])
def test_every_page_size_keeps_a_readable_qr_code(page_size, orientation):
    pdf = render_certificate_pdf(sample_data(page_size=page_size, orientation=orientation))
    assert qr_urls(pdf) == ["http://testserver/verify/ABCDEFGHIJKLMNOPQRST/"]


def test_a_very_long_course_title_still_fits_and_scans():
    long_title = "Башкаруу органдарынын социалдык жоопкерчилигин жогорулатуу " * 6
    pdf = render_certificate_pdf(sample_data(course_titles={"ky": long_title, "ru": long_title}))
    assert qr_urls(pdf)


def test_qr_code_opens_the_verification_page(client, certificate):
    pdf = rendering.certificate_pdf(certificate)
    urls = qr_urls(pdf)
    assert urls == [f"http://testserver/verify/{certificate.code}/?lang=ky"]  # the certificate's first language
    response = client.get(urls[0].removeprefix("http://testserver"))
    assert response.status_code == 200
    assert certificate.number in response.content.decode()
    assert certificate.holder_name in response.content.decode()


def test_issued_certificate_shows_its_snapshot(certificate):
    text = pdf_text(rendering.certificate_pdf(certificate))
    assert certificate.holder_name in text
    assert certificate.number in text
    assert "LIC-0042" in text
    assert "16" in text  # academic hours


def test_revoked_certificate_is_stamped(certificate, admin_user):
    from certificates.services.revocation import revoke_certificate

    revoke_certificate(certificate, reason="Ката", actor=admin_user)
    certificate.refresh_from_db()
    assert "ЖОККО ЧЫГАРЫЛДЫ" in pdf_text(rendering.certificate_pdf(certificate))


def test_artwork_logo_signature_and_background_image(db, settings, tmp_path):
    settings.CERTIFICATES_ARTWORK_CACHE_DIR = tmp_path / "artwork"
    template = make_template(
        logo=wagtail_image("logo.png"),
        background_image=wagtail_image("background.png", size=(1200, 850), colour=(250, 245, 230, 255), mode="RGB"),
    )
    signatory = template.signatories.first()
    signatory.signature = wagtail_image("signature.png", size=(200, 60), colour=(0, 0, 0, 128))
    signatory.save()
    template.refresh_from_db()
    pdf = templates.sample_pdf(template)
    assert pdf.count(b"/Subtype /Image") >= 3
    assert qr_urls(pdf) == [f"http://testserver/verify/SAMPLE/?lang={template.language_list[0]}"]
    assert any(path.suffix == ".jpg" for path in (tmp_path / "artwork").iterdir())  # the background, as JPEG


def test_background_pdf_is_drawn(db, settings, tmp_path):
    from wagtail.documents.models import Document

    settings.CERTIFICATES_ARTWORK_CACHE_DIR = tmp_path / "artwork"
    background = render_certificate_pdf(sample_data(verify_url="http://testserver/verify/BACKGROUND/"))
    document = Document.objects.create(title="bg", file=ContentFile(background, name="background.pdf"))
    template = make_template(background_pdf=document)
    image = pdf_to_image(templates.sample_pdf(template), scale=1)
    assert image.size[0] > image.size[1]


def test_cached_artwork_gives_the_same_bytes_as_plain_draw_image(tmp_path, monkeypatch):
    from certificates import pdf as pdf_module
    from tests.certificates.conftest import png_bytes

    logo = tmp_path / "logo.png"
    logo.write_bytes(png_bytes(size=(300, 120), colour=(20, 40, 160, 200)))  # with an alpha channel
    signature = tmp_path / "signature.png"
    signature.write_bytes(png_bytes(size=(200, 60), colour=(0, 0, 0, 128)))
    signatories = (SignatoryData("Асел Асанова", "Asel Asanova", {"ky": "Директор"}, str(signature)),)
    data = sample_data(logo_path=str(logo), signatories=signatories)

    pdf_module._IMAGE_OBJECTS.clear()
    first = render_certificate_pdf(data)
    second = render_certificate_pdf(data)  # from the cache
    assert first == second
    assert first.count(b"/Subtype /Image") == 4  # logo and signature, each with its soft mask
    assert len(pdf_module._IMAGE_OBJECTS) == 2

    monkeypatch.setattr(pdf_module, "_draw_image", lambda c, path, x, y, **options: c.drawImage(path, x, y, **options))
    assert render_certificate_pdf(data) == first  # what reportlab's drawImage alone writes

    logo.write_bytes(png_bytes(size=(300, 120), colour=(160, 20, 20, 255)))  # a replaced file is read again
    monkeypatch.undo()
    assert render_certificate_pdf(data) != first
