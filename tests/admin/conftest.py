"""Fixtures of the trainers' admin: the catalogue's sessions (clock at 1 Dec 2026, 10:00 in Bishkek)."""

import pytest

from tests.catalogue.conftest import (  # noqa: F401
    admin_client,
    other_session,
    other_venue,
    session,
    trainer_client,
    venue,
)


def admin_language(user, language):
    """The admin language a user picked under Account → Preferences."""
    from wagtail.users.models import UserProfile

    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": language})


@pytest.fixture
def admin_language_of():
    return admin_language
