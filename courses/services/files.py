"""Checks on uploaded files by their content, not their name.

A file named `.pdf` must start with the PDF magic bytes; a `.docx`, `.pptx` or `.xlsx` must be an
Office Open XML zip whose `[Content_Types].xml` declares the main part of that kind and which holds that
part; an image must open and verify with Pillow. Every file is limited to
`settings.ACADEMY_MAX_UPLOAD_BYTES`. The checks raise `DomainError(field="file")` with a translated message.
"""

import os
import re
import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from academy.errors import DomainError

DOCUMENT_EXTENSIONS = ("pdf", "docx", "pptx", "xlsx")
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}

# Main part and its content type for each Office Open XML kind (macro-enabled variants are refused).
OOXML_MAIN_PARTS = {
    "docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_MAX_CONTENT_TYPES_XML = 256 * 1024
_OVERRIDE = re.compile(rb"<(?:\w+:)?Override\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(rb'(\w+)\s*=\s*["\']([^"\']*)["\']')


def max_upload_bytes():
    return int(getattr(settings, "ACADEMY_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def extension_of(name):
    return os.path.splitext(name or "")[1].lower().lstrip(".")


def _size_of(file):
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, os.SEEK_END)
        size = file.tell()
        file.seek(position)
    return size


def check_size(file):
    size = _size_of(file)
    limit = max_upload_bytes()
    if size > limit:
        raise DomainError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            field="file",
            code="file_too_large",
        )
    if size == 0:
        raise DomainError(_("The file is empty."), field="file", code="file_empty")
    return size


def _declared_overrides(content_types_xml):
    overrides = {}
    for element in _OVERRIDE.findall(content_types_xml):
        attributes = {key.lower(): value for key, value in _ATTRIBUTE.findall(element)}
        part = attributes.get(b"partname", b"").decode("utf-8", "replace").lstrip("/")
        overrides[part.lower()] = attributes.get(b"contenttype", b"").decode("utf-8", "replace").strip().lower()
    return overrides


def _check_ooxml(file, extension):
    main_part, main_type = OOXML_MAIN_PARTS[extension]
    wrong = DomainError(
        _("The file is not a valid %(kind)s document; it may be damaged or renamed.") % {"kind": extension.upper()},
        field="file",
        code="file_content",
    )
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = {info.filename.lower(): info for info in archive.infolist()}
            content_types = names.get("[content_types].xml")
            if content_types is None or main_part not in names or content_types.file_size > _MAX_CONTENT_TYPES_XML:
                raise wrong
            declared = _declared_overrides(archive.read(content_types.filename))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, ValueError) as error:
        raise wrong from error
    if declared.get(main_part) != main_type:
        raise wrong


def validate_document(file, name=None):
    """Check a document upload (pdf, docx, pptx, xlsx) by size and content; return its extension."""
    name = name or getattr(file, "name", "")
    extension = extension_of(name)
    if extension not in DOCUMENT_EXTENSIONS:
        raise DomainError(
            _("Upload a PDF, DOCX, PPTX or XLSX file."),
            field="file",
            code="file_type",
        )
    check_size(file)
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        if extension == "pdf":
            if not file.read(5) == b"%PDF-":
                raise DomainError(
                    _("The file is not a valid PDF document; it may be damaged or renamed."),
                    field="file",
                    code="file_content",
                )
        else:
            _check_ooxml(file, extension)
    finally:
        file.seek(position)
    return extension


def validate_image(file):
    """Check an image upload with Pillow (open, then verify); return the file extension of its real format."""
    from PIL import Image, UnidentifiedImageError

    check_size(file)
    position = file.tell() if hasattr(file, "tell") else 0
    invalid = DomainError(_("Upload a valid JPEG, PNG, GIF or WebP image."), field="file", code="file_content")
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise invalid from error
    finally:
        file.seek(position)
    if image_format not in IMAGE_FORMATS:
        raise invalid
    return IMAGE_FORMATS[image_format]


def content_type_for(extension):
    return CONTENT_TYPES.get(extension, "application/octet-stream")
