"""Private file storage: files under settings.PRIVATE_MEDIA_ROOT, never served by a public URL.

Assignment files (the joint action plan, БАП) hold personal data. They are stored outside
MEDIA_ROOT and are only reachable through views that check who is asking
(`courses.views.attendance.download_submission` and the matching API endpoint).
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """A FileSystemStorage rooted at settings.PRIVATE_MEDIA_ROOT (read at use, so tests can move it)."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no public URL; link to the permission-checking download view.")


private_storage = PrivateStorage()


def get_private_storage():
    """Callable given to FileField(storage=...), so migrations reference it instead of a path."""
    return private_storage
