"""Uploaded lists kept under PRIVATE_MEDIA_ROOT between the steps of an import (a day at most)."""

import re
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from academy.errors import DomainError
from courses.services.imports.reading import EXTENSIONS

UPLOAD_DIR = "imports"
UPLOAD_MAX_AGE = 24 * 3600


def _upload_storage():
    return FileSystemStorage(location=Path(settings.PRIVATE_MEDIA_ROOT) / UPLOAD_DIR)


def check_upload(uploaded):
    limit = settings.ACADEMY_MAX_UPLOAD_BYTES
    if uploaded.size > limit:
        raise DomainError(
            _("The file is too large: at most %(size)s.") % {"size": filesizeformat(limit)},
            field="file",
            code="too_large",
        )
    if Path(uploaded.name or "").suffix.lower() not in EXTENSIONS:
        raise DomainError(_("Upload the list as an .xlsx or .csv file."), field="file", code="bad_file_type")


def save_upload(uploaded):
    """Keep an uploaded list under PRIVATE_MEDIA_ROOT until the import is confirmed; returns its stored name."""
    check_upload(uploaded)
    storage = _upload_storage()
    remove_old_uploads(storage)
    name = uuid.uuid4().hex + Path(uploaded.name).suffix.lower()
    return storage.save(name, uploaded)


STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(xlsx|xlsm|csv)$")


def upload_path(name):
    if not STORED_NAME.match(name or ""):
        raise DomainError(_("The uploaded file has expired; please upload it again."), field="file", code="expired")
    storage = _upload_storage()
    if not storage.exists(name):
        raise DomainError(_("The uploaded file has expired; please upload it again."), field="file", code="expired")
    return storage.path(name)


def delete_upload(name):
    if STORED_NAME.match(name or ""):
        storage = _upload_storage()
        if storage.exists(name):
            storage.delete(name)


def remove_old_uploads(storage=None):
    storage = storage or _upload_storage()
    try:
        _dirs, files = storage.listdir("")
    except FileNotFoundError:
        return
    limit = time.time() - UPLOAD_MAX_AGE
    for name in files:
        path = Path(storage.path(name))
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:
            continue
