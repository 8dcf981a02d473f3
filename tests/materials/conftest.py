"""Fixtures of the materials area: real files (PDF, DOCX, PPTX, XLSX, PNG), sessions and materials."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import Material, Registration
from courses.services import materials as service
from tests import factories


def pdf_bytes(text="Окуу материалы: ЖӨБ жана кызмат көрсөтүүлөр"):
    from reportlab.pdfgen import canvas

    from courses.handout import BOLD, FONT_DIR, REGULAR, _register_fonts

    _register_fonts(FONT_DIR)
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont(REGULAR, 12)
    page.drawString(72, 720, text)
    page.setFont(BOLD, 12)
    page.drawString(72, 700, "Баткен")
    page.showPage()
    page.save()
    return buffer.getvalue()


OOXML = {
    "docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
}


def ooxml_bytes(kind="docx", *, main_type=None, main_part=None, with_content_types=True):
    part, content_type = OOXML[kind]
    part = main_part or part
    content_type = main_type or content_type
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if with_content_types:
            archive.writestr(
                "[Content_Types].xml",
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>',
            )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


def xlsx_bytes():
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Тариф"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def png_bytes(size=(40, 30), color=(200, 30, 30)):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name, content):
    return service.Upload(file=io.BytesIO(content), name=name)


def uploaded_file(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_session(course, trainers=(), **fields):
    """factories.make_session, with the trainers saved (ParentalManyToMany keeps them in memory until save)."""
    session = factories.make_session(course, trainers=trainers, **fields)
    session.save()
    return session


@pytest.fixture
def session(course, trainer):
    return make_session(course, trainers=[trainer])


@pytest.fixture
def other_session(course, other_trainer):
    return make_session(course, trainers=[other_trainer], starts_at=factories.bishkek(2027, 2, 1))


@pytest.fixture
def confirmed(session, participant):
    Registration.objects.create(session=session, user=participant, status="confirmed")
    return participant


def make_material(actor, session=None, *, course=None, kind="document", visibility="public", **fields):
    if kind == "document" and "upload" not in fields and "document" not in fields:
        fields["upload"] = upload("materialy.pdf", pdf_bytes())
    if kind == "image" and "upload" not in fields and "image" not in fields:
        fields["upload"] = upload("photo.png", png_bytes())
    if kind == "link":
        fields.setdefault("url", "https://www.youtube.com/watch?v=abc123")
    fields.setdefault("title", f"Материал {Material.objects.count() + 1}")
    return service.create_material(
        actor, session=session, course=course, kind=kind, visibility=visibility, **fields
    )


@pytest.fixture
def materials_of(trainer):
    """Create the three visibilities of document material in a session: {visibility: material}."""

    def build(session, actor=None):
        return {
            visibility: make_material(actor or trainer, session, visibility=visibility, title=f"{visibility} doc")
            for visibility in ("public", "participants", "trainers")
        }

    return build


def file_content(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def final_status(client, url, method="get"):
    """The status after LocaleMiddleware's redirect of a not-found unprefixed path to its /ky/ twin, if any."""
    response = getattr(client, method)(url)
    if response.status_code == 302 and response["Location"].startswith("/ky/") and not url.startswith("/ky/"):
        response = client.get(response["Location"])
    return response.status_code
