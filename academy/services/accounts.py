"""Participant accounts: sign-up with recorded consent, profile updates."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.errors import DomainError
from academy.models import Organization, Profile, User
from academy.roles import PARTICIPANTS
from academy.validators import normalize_phone

PROFILE_FIELDS = (
    "full_name",
    "full_name_latin",
    "gender",
    "year_of_birth",
    "position",
    "organization",
    "organization_kind",
    "municipality",
    "phone",
    "preferred_language",
    "has_disability",
    "notify_by_telegram",
    "notify_by_email",
    "notify_by_sms",
)


def _check_profile(profile):
    try:
        profile.full_clean(exclude=["user"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from error


@transaction.atomic
def sign_up_participant(*, email, password, consent, profile, now=None):
    """Create a participant with a profile; consent to data processing is required and recorded."""
    email = (email or "").strip().lower()
    if not consent:
        raise DomainError(_("You must agree to the processing of your personal data."), field="consent")
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(_("An account with this e-mail address already exists."), field="email", code="duplicate")
    user = User(email=email)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise DomainError(error.messages[0], field="password") from error
    user = User.objects.create_user(email=email, password=password or None)
    record = Profile(user=user, **{key: value for key, value in profile.items() if key in PROFILE_FIELDS})
    record.phone = normalize_phone(record.phone)
    _check_profile(record)
    record.consent_given_at = now or timezone.now()
    record.consent_version = settings.ACADEMY_CONSENT_VERSION
    record.save()
    user.groups.add(Group.objects.get_or_create(name=PARTICIPANTS)[0])
    return user


@transaction.atomic
def update_profile(user, *, consent=None, now=None, **fields):
    profile, _created = Profile.objects.get_or_create(user=user, defaults={"full_name": user.email})
    for key, value in fields.items():
        if key in PROFILE_FIELDS:
            setattr(profile, key, value)
    profile.phone = normalize_phone(profile.phone)
    _check_profile(profile)
    if consent and not profile.consent_given_at:
        profile.consent_given_at = now or timezone.now()
        profile.consent_version = settings.ACADEMY_CONSENT_VERSION
    profile.save()
    return profile


def organization_for(name, kind, municipality):
    """Find or create the organisation a participant names; used by sign-up and imports."""
    if not name:
        return None
    organization, _created = Organization.objects.get_or_create(name=name.strip(), kind=kind, municipality=municipality)
    return organization
