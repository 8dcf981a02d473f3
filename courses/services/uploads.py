"""Checking uploaded files: size, extension and the content's magic bytes (never the extension alone).

Reusable: `validate_upload(file, allowed=("pdf", "docx"))` returns an `UploadCheck` or raises
`DomainError(field="file")` with a translated message. Nothing is stored here.
"""

import os
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from academy.errors import DomainError

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "jpg": "image/jpeg",
    "png": "image/png",
}
EXTENSION_ALIASES = {"jpeg": "jpg"}
# What the joint action plan (БАП) may be: documents, spreadsheets and photos of a paper plan.
ASSIGNMENT_KINDS = ("pdf", "docx", "xlsx", "odt", "jpg", "png")
ZIP_MAGIC = b"PK\x03\x04"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class UploadCheck:
    kind: str  # "pdf", "docx", ...
    content_type: str
    size: int
    name: str  # a safe version of the client's file name, for display and Content-Disposition


def _head(file, length=8):
    file.seek(0)
    head = file.read(length)
    file.seek(0)
    return head


def _zip_kind(file):
    """Tell apart the ZIP-based office formats by what is inside the archive."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    if entry.read(len(ODT_MIMETYPE) + 1).strip() == ODT_MIMETYPE:
                        return "odt"
            if "[Content_Types].xml" in names:
                if any(name.startswith("word/") for name in names):
                    return "docx"
                if any(name.startswith("xl/") for name in names):
                    return "xlsx"
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, NotImplementedError):
        return None
    finally:
        file.seek(0)
    return None


def sniff(file):
    """The kind of file the content says it is, or None."""
    head = _head(file)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(file)
    return None


def safe_name(name):
    base = os.path.basename(str(name or "").replace("\\", "/")).strip()
    stem, extension = os.path.splitext(base)
    # Keep Cyrillic letters (get_valid_filename keeps Unicode word characters), drop anything risky.
    cleaned = get_valid_filename(stem[:200] or "file") if stem else "file"
    return f"{cleaned}{extension.lower()[:6]}"


def validate_upload(file, *, allowed=ASSIGNMENT_KINDS, max_bytes=None):
    """Check an uploaded file; returns UploadCheck, raises DomainError(field="file") on any problem."""
    if file is None:
        raise DomainError(_("Choose a file to upload."), field="file")
    max_bytes = settings.ACADEMY_MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    size = getattr(file, "size", None) or 0
    if size <= 0:
        raise DomainError(_("The file is empty."), field="file")
    if size > max_bytes:
        raise DomainError(
            _("The file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
            field="file",
        )
    allowed_list = ", ".join(kind.upper() for kind in allowed)
    extension = os.path.splitext(str(getattr(file, "name", "") or ""))[1].lower().lstrip(".")
    extension = EXTENSION_ALIASES.get(extension, extension)
    if extension not in allowed:
        raise DomainError(
            _("This type of file is not accepted. Upload one of: %(kinds)s.") % {"kinds": allowed_list},
            field="file",
        )
    kind = sniff(file)
    if kind != extension:
        raise DomainError(
            _("The content of the file does not match its type (.%(extension)s). Upload one of: %(kinds)s.")
            % {"extension": extension, "kinds": allowed_list},
            field="file",
        )
    return UploadCheck(kind=kind, content_type=CONTENT_TYPES[kind], size=size, name=safe_name(file.name))
