import pytest

from academy.errors import DomainError
from courses.services.uploads import safe_name, sniff, validate_upload

from .conftest import docx_bytes, jpg_bytes, odt_bytes, pdf_bytes, png_bytes, upload, xlsx_bytes


@pytest.mark.parametrize(
    ("name", "maker", "kind"),
    [
        ("plan.pdf", pdf_bytes, "pdf"),
        ("plan.docx", docx_bytes, "docx"),
        ("plan.xlsx", xlsx_bytes, "xlsx"),
        ("plan.odt", odt_bytes, "odt"),
        ("photo.JPG", jpg_bytes, "jpg"),
        ("photo.jpeg", jpg_bytes, "jpg"),
        ("photo.png", png_bytes, "png"),
    ],
)
def test_accepted_types_are_recognised_by_content(name, maker, kind):
    check = validate_upload(upload(name, maker()))
    assert check.kind == kind
    assert check.size > 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.pdf", b"MZ\x90\x00 this is an executable"),  # wrong content behind a good extension
        ("plan.pdf", None),  # a PNG renamed to .pdf
        ("plan.docx", b"PK\x03\x04 broken zip"),
        ("plan.png", b"%PDF-1.4 not an image"),
    ],
)
def test_content_must_match_the_extension(name, content):
    content = content if content is not None else png_bytes()
    with pytest.raises(DomainError) as error:
        validate_upload(upload(name, content))
    assert error.value.field == "file"
    assert "does not match" in str(error.value)


def test_a_zip_that_is_not_an_office_file_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("virus.exe", "MZ")
    with pytest.raises(DomainError):
        validate_upload(upload("plan.docx", buffer.getvalue()))
    # An xlsx renamed to docx is refused too.
    with pytest.raises(DomainError):
        validate_upload(upload("plan.docx", xlsx_bytes()))


@pytest.mark.parametrize("name", ["run.exe", "plan.html", "plan", "plan.svg", "plan.doc"])
def test_other_extensions_are_refused(name):
    with pytest.raises(DomainError) as error:
        validate_upload(upload(name, pdf_bytes()))
    assert "not accepted" in str(error.value)


def test_size_limits(settings):
    settings.ACADEMY_MAX_UPLOAD_BYTES = 100
    with pytest.raises(DomainError) as error:
        validate_upload(upload("plan.pdf", b"%PDF-" + b"x" * 200))
    assert "too large" in str(error.value)
    with pytest.raises(DomainError) as error:
        validate_upload(upload("plan.pdf", b""))
    assert "empty" in str(error.value)
    with pytest.raises(DomainError):
        validate_upload(None)


def test_sniff_and_safe_name():
    assert sniff(upload("x", b"garbage")) is None
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\me\\БАП план.PDF") == "БАП_план.pdf"
    assert safe_name("") == "file"
