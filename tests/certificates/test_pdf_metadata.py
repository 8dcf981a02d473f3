"""Certificates and transcripts as PDF/A-2b: metadata in the info dictionary and XMP, embedded fonts only,
an sRGB OutputIntent, a permanent document ID; read back with pikepdf, QR codes with zxing."""

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from academy import pdf_metadata
from certificates.pdf import SignatoryData, render_certificate_pdf
from certificates.services import rendering, templates
from certificates.services.issuance import issuer_names
from certificates.transcript.pdf import TranscriptData, TranscriptRow, render_transcript_pdf
from tests.certificates.conftest import png_bytes, qr_urls
from tests.certificates.test_pdf import sample_data
from tests.pdf_checks import DC, MM, PDF, PDFAID, XMP, font_problems, metadata, open_pdf, pdfa_problems, shipped_profile

BISHKEK = ZoneInfo("Asia/Bishkek")


def transcript_data(**overrides):
    rows = tuple(
        TranscriptRow(
            titles=(f"Жергиликтүү бюджет {index}", f"Местный бюджет {index}"),
            provider="Академия",
            starts_on=date(2026, 3, 1 + index),
            ends_on=date(2026, 3, 2 + index),
            hours=8,
            certificate_number=f"CAALG-2026-{index:06d}",
        )
        for index in range(25)  # runs over two pages
    )
    data = {
        "code": "T7QK2MZX4P",
        "verify_url": "http://testserver/transcript/T7QK2MZX4P/",
        "languages": ("ky", "ru"),
        "holder_name": "Айгүл Өмүрбекова",
        "holder_name_latin": "Aigul Omurbekova",
        "issued_on": date(2026, 12, 20),
        "issuer_names": {"ky": "Жергиликтүү башкаруу академиясы", "ru": "Академия местного самоуправления"},
        "rows": rows,
        "total_hours": 200,
        "min_hours": 72,
        "cycle_years": 3,
        "cycle_start": date(2024, 1, 1),
        "hours_in_cycle": 120,
        "due_by": date(2027, 1, 1),
        "status": "up_to_date",
        "fonts": templates.fonts(),
    }
    data.update(overrides)
    return TranscriptData(**data)


def test_certificate_info_and_xmp_say_the_same_in_the_certificates_language():
    pdf = render_certificate_pdf(sample_data(issuer_names={"ky": "Академия (ky)", "ru": "Академия (ru)"}))
    info, xmp, _raw = metadata(pdf)
    assert info["Title"] == "СЕРТИФИКАТ CAALG-2026-000123 — Айгүл Өмүрбекова"
    assert info["Author"] == "Академия (ky)"  # the academy, in the first language of the certificate
    assert info["Subject"] == "«Жергиликтүү башкаруунун маңызы», академиялык саат: 18"
    assert info["Keywords"] == "CAALG-2026-000123"
    assert info["Creator"] == "Academy portal: certificates"
    assert info["Producer"].startswith("ReportLab ") and "pikepdf" in info["Producer"]
    assert info["CreationDate"] == info["ModDate"] == "D:20261220000000+06'00'"  # the issue date, Bishkek time
    assert xmp[f"{DC}title"] == info["Title"]
    assert xmp[f"{DC}creator"] == ["Академия (ky)"]
    assert xmp[f"{DC}description"] == info["Subject"]
    assert xmp[f"{DC}language"] == {"ky"}
    assert datetime.fromisoformat(xmp[f"{XMP}CreateDate"]) == datetime(2026, 12, 20, tzinfo=BISHKEK)
    assert xmp[f"{XMP}CreatorTool"] == info["Creator"]
    assert xmp[f"{PDF}Producer"] == info["Producer"]
    assert xmp[f"{PDF}Keywords"] == "CAALG-2026-000123"
    with open_pdf(pdf) as document:
        assert str(document.Root.Lang) == "ky"


def test_the_xmp_title_carries_each_language_of_the_certificate():
    pdf = render_certificate_pdf(sample_data(languages=("ru", "en"), course_titles={"ru": "Услуги", "en": "Services"}))
    info, _xmp, raw = metadata(pdf)
    assert info["Title"] == "СЕРТИФИКАТ CAALG-2026-000123 — Айгүл Өмүрбекова"
    text = raw.decode()
    assert '<rdf:li xml:lang="ru">СЕРТИФИКАТ CAALG-2026-000123 — Айгүл Өмүрбекова</rdf:li>' in text
    assert '<rdf:li xml:lang="en">CERTIFICATE CAALG-2026-000123 — Aigul Omurbekova</rdf:li>' in text


def test_certificate_is_pdfa_2b_and_its_qr_code_still_scans():
    pdf = render_certificate_pdf(sample_data())
    assert pdfa_problems(pdf) == []
    info, xmp, _raw = metadata(pdf)
    assert xmp[f"{PDFAID}part"] == "2" and xmp[f"{PDFAID}conformance"] == "B"
    with open_pdf(pdf) as document:
        (intent,) = document.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1"
        assert str(intent.OutputConditionIdentifier) == "sRGB IEC61966-2.1"
        assert intent.DestOutputProfile.read_bytes() == shipped_profile()
        assert "/Encrypt" not in document.trailer
    assert qr_urls(pdf) == ["http://testserver/verify/ABCDEFGHIJKLMNOPQRST/"]


def test_artwork_with_transparency_and_a_stamp_keep_pdfa(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(png_bytes(size=(300, 120), colour=(20, 40, 160, 200)))
    signature = tmp_path / "signature.png"
    signature.write_bytes(png_bytes(size=(200, 60), colour=(0, 0, 0, 128)))
    background = tmp_path / "background.jpg"
    from PIL import Image

    Image.new("RGB", (600, 425), (250, 245, 230)).save(background, "JPEG")
    signatories = (SignatoryData("Асел Асанова", "Asel Asanova", {"ky": "Директор"}, str(signature)),)
    pdf = render_certificate_pdf(
        sample_data(
            logo_path=str(logo), background_path=str(background), signatories=signatories, stamp="ЖОККО ЧЫГАРЫЛДЫ"
        )
    )
    assert pdfa_problems(pdf) == []
    assert qr_urls(pdf) == ["http://testserver/verify/ABCDEFGHIJKLMNOPQRST/"]


def test_no_font_is_referenced_that_the_page_does_not_use_or_embed():
    pdf = render_certificate_pdf(sample_data())
    assert font_problems(pdf) == []
    with open_pdf(pdf) as document:
        names = {str(font.BaseFont) for page in document.pages for font in page.Resources.Font.values()}
    assert not any("Helvetica" in name for name in names)
    assert all("+DejaVu" in name for name in names)


def test_the_document_id_is_permanent_and_the_instance_id_follows_the_content():
    plain = render_certificate_pdf(sample_data())
    stamped = render_certificate_pdf(sample_data(stamp="ЖОККО ЧЫГАРЫЛДЫ"))
    assert render_certificate_pdf(sample_data()) == plain  # still a pure function
    _info, first, _raw = metadata(plain)
    _info, second, _raw = metadata(stamped)
    expected = uuid.uuid5(pdf_metadata.ID_NAMESPACE, "certificate:CAALG-2026-000123")
    assert first[f"{MM}DocumentID"] == second[f"{MM}DocumentID"] == f"uuid:{expected}"
    assert first[f"{MM}InstanceID"] != second[f"{MM}InstanceID"]
    with open_pdf(plain) as a, open_pdf(stamped) as b:
        assert bytes(a.trailer.ID[0]) == bytes(b.trailer.ID[0]) == expected.bytes
        assert bytes(a.trailer.ID[1]) != bytes(b.trailer.ID[1])


def test_issued_certificate_names_the_academy_from_the_site_settings(certificate):
    pdf = rendering.certificate_pdf(certificate)
    info, xmp, _raw = metadata(pdf)
    first = certificate.languages.split("+")[0]
    assert info["Author"] == issuer_names()[first]
    assert certificate.number in info["Title"] and certificate.holder_name in info["Title"]
    assert xmp[f"{DC}language"] == {first}
    assert pdfa_problems(pdf) == []


def test_transcript_is_pdfa_2b_with_its_metadata_and_a_scanning_qr_code():
    pdf = render_transcript_pdf(transcript_data())
    assert pdfa_problems(pdf) == []
    info, xmp, _raw = metadata(pdf)
    assert info["Title"] == "Квалификацияны жогорулатуу боюнча көчүрмө — Айгүл Өмүрбекова"
    assert info["Author"] == "Жергиликтүү башкаруу академиясы"
    assert info["Subject"] == "Бардык академиялык саат: 200"
    assert info["Keywords"] == "T7QK2MZX4P"
    assert info["CreationDate"] == "D:20261220000000+06'00'"
    assert xmp[f"{DC}title"] == info["Title"]
    expected = uuid.uuid5(pdf_metadata.ID_NAMESPACE, "transcript:T7QK2MZX4P")
    assert xmp[f"{MM}DocumentID"] == f"uuid:{expected}"
    with open_pdf(pdf) as document:
        assert len(document.pages) == 2
    assert "http://testserver/transcript/T7QK2MZX4P/" in qr_urls(pdf)
    assert render_transcript_pdf(transcript_data()) == pdf


@pytest.mark.parametrize("languages", [("ru", "ky"), ("en",)])
def test_transcript_metadata_follows_its_first_language(languages):
    pdf = render_transcript_pdf(transcript_data(languages=languages, issuer_names={"ru": "Академия", "en": "Academy"}))
    info, _xmp, _raw = metadata(pdf)
    heading = {"ru": "Выписка о повышении квалификации", "en": "Qualification transcript"}[languages[0]]
    assert info["Title"].startswith(heading)
    assert info["Author"] == {"ru": "Академия", "en": "Academy"}[languages[0]]
    assert pdfa_problems(pdf) == []


def test_the_pdfa_check_sees_letters_the_font_lacks():
    """A course title in letters DejaVu lacks draws the .notdef glyph: no longer PDF/A (docs/certificates.md)."""
    pdf = render_certificate_pdf(sample_data(course_titles={"ky": "Курс 漢字", "ru": "Курс"}))
    assert any(problem.startswith("6.2.11.8") for problem in pdfa_problems(pdf))
