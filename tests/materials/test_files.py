"""Uploads are checked by their content, not their name, and by size."""

import io

import pytest

from academy.errors import DomainError
from courses.services import files

from .conftest import ooxml_bytes, pdf_bytes, png_bytes, xlsx_bytes


def test_a_real_pdf_passes():
    assert files.validate_document(io.BytesIO(pdf_bytes()), "plan.pdf") == "pdf"


@pytest.mark.parametrize("kind", ["docx", "pptx", "xlsx"])
def test_office_open_xml_documents_pass(kind):
    assert files.validate_document(io.BytesIO(ooxml_bytes(kind)), f"file.{kind}") == kind


def test_a_workbook_written_by_openpyxl_passes():
    assert files.validate_document(io.BytesIO(xlsx_bytes()), "tariffs.xlsx") == "xlsx"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("fake.pdf", b"Hello, I am a text file named .pdf"),
        ("fake.pdf", b"PK\x03\x04 not a pdf"),
        ("fake.docx", pdf_bytes()),
        ("fake.docx", b"PK\x03\x04 broken zip"),
        ("sheet-as-word.docx", ooxml_bytes("xlsx")),  # a renamed spreadsheet
        ("no-types.docx", ooxml_bytes("docx", with_content_types=False)),
        ("macro.docx", ooxml_bytes("docx", main_type="application/vnd.ms-word.document.macroEnabled.main+xml")),
        ("slides.pptx", ooxml_bytes("docx")),
        ("wrong-part.xlsx", ooxml_bytes("xlsx", main_part="xl/other.xml")),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(name, content):
    with pytest.raises(DomainError) as caught:
        files.validate_document(io.BytesIO(content), name)
    assert caught.value.field == "file"
    assert caught.value.code == "file_content"


@pytest.mark.parametrize("name", ["script.exe", "page.html", "noextension", "old.doc"])
def test_other_extensions_are_refused(name):
    with pytest.raises(DomainError) as caught:
        files.validate_document(io.BytesIO(pdf_bytes()), name)
    assert caught.value.code == "file_type"


def test_size_limit(settings):
    settings.ACADEMY_MAX_UPLOAD_BYTES = 100
    with pytest.raises(DomainError) as caught:
        files.validate_document(io.BytesIO(pdf_bytes()), "big.pdf")
    assert caught.value.code == "file_too_large"
    assert "100" in str(caught.value.message)


def test_empty_file_is_refused():
    with pytest.raises(DomainError) as caught:
        files.validate_document(io.BytesIO(b""), "empty.pdf")
    assert caught.value.code == "file_empty"


def test_images_are_verified_with_pillow():
    assert files.validate_image(io.BytesIO(png_bytes())) == "png"
    broken = png_bytes()[:40]
    with pytest.raises(DomainError):
        files.validate_image(io.BytesIO(broken))
    with pytest.raises(DomainError):
        files.validate_image(io.BytesIO(pdf_bytes()))


def test_image_size_limit(settings):
    settings.ACADEMY_MAX_UPLOAD_BYTES = 10
    with pytest.raises(DomainError) as caught:
        files.validate_image(io.BytesIO(png_bytes()))
    assert caught.value.code == "file_too_large"


def test_the_file_position_is_restored():
    handle = io.BytesIO(pdf_bytes())
    handle.seek(3)
    files.validate_document(handle, "x.pdf")
    assert handle.tell() == 3
