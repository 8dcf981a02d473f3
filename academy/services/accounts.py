"""Participant accounts: sign-up with recorded consent, profile updates."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.errors import DomainError
from academy.models import Organization, Profile, User
from academy.roles import PARTICIPANTS
from academy.validators import normalize_phone, validate_kyrgyz_mobile

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
        # Uniqueness (one number, one account) is checked by check_phone_is_free and, in a race, by the database.
        profile.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from error


def check_phone_is_free(phone, user=None):
    """One number signs in one account: DomainError when another person's profile has it."""
    others = Profile.objects.filter(phone=phone)
    if user is not None and user.pk:
        others = others.exclude(user=user)
    if phone and others.exists():
        raise DomainError(_("An account with this phone number already exists."), field="phone", code="duplicate")


def check_contact(email, phone):
    """An account needs a way to sign in and be reached: an e-mail address, or a Kyrgyz mobile number."""
    if email:
        return
    if not phone:
        raise DomainError(_("Give an e-mail address or a mobile phone number."), field="email", code="required")
    try:
        validate_kyrgyz_mobile(phone)
    except ValidationError as error:
        raise DomainError(error.messages[0], field="phone", code="invalid_phone") from error


@transaction.atomic
def sign_up_participant(*, email, password, consent, profile, now=None):
    """Create a participant with a profile: with an e-mail address, a mobile number, or both (either signs in).
    Consent to data processing is required and recorded."""
    email = (email or "").strip().lower() or None
    phone = normalize_phone(profile.get("phone"))
    if not consent:
        raise DomainError(_("You must agree to the processing of your personal data."), field="consent")
    check_contact(email, phone)
    if email and User.objects.filter(email__iexact=email).exists():
        raise DomainError(_("An account with this e-mail address already exists."), field="email", code="duplicate")
    check_phone_is_free(phone)
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
    _save_profile(record)
    user.groups.add(Group.objects.get_or_create(name=PARTICIPANTS)[0])
    return user


@transaction.atomic
def update_profile(user, *, consent=None, now=None, **fields):
    profile, _created = Profile.objects.get_or_create(user=user, defaults={"full_name": user.email or ""})
    for key, value in fields.items():
        if key in PROFILE_FIELDS:
            setattr(profile, key, value)
    profile.phone = normalize_phone(profile.phone)
    if "phone" in fields:
        check_contact(user.email, profile.phone)  # a phone account keeps its number
        check_phone_is_free(profile.phone, user)
    _check_profile(profile)
    if consent and not profile.consent_given_at:
        profile.consent_given_at = now or timezone.now()
        profile.consent_version = settings.ACADEMY_CONSENT_VERSION
    _save_profile(profile)
    return profile


def _save_profile(profile):
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError as error:  # someone took the number between the check and the save
        raise DomainError(_("An account with this phone number already exists."), field="phone", code="duplicate") from error


def organization_for(name, kind, municipality):
    """Find or create the organisation a participant names; used by sign-up and imports."""
    if not name:
        return None
    organization, _created = Organization.objects.get_or_create(name=name.strip(), kind=kind, municipality=municipality)
    return organization
