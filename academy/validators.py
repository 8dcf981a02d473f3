import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KYRGYZ_PHONE = re.compile(r"^\+996\d{9}$")


def normalize_phone(value):
    """Turn '0555 12-34-56', '996555123456' or '+996 555 123 456' into '+996555123456'."""
    if not value:
        return ""
    digits = re.sub(r"\D", "", str(value))
    if len(digits) == 10 and digits.startswith("0"):
        digits = "996" + digits[1:]
    elif len(digits) == 9:
        digits = "996" + digits
    return "+" + digits


# Kyrgyz mobile networks (numbers +996 2xx, 5xx, 7xx, 9xx); landlines start with a region's code (3xxx).
KYRGYZ_MOBILE = re.compile(r"^\+996[2579]\d{8}$")


def looks_like_phone(text):
    """Whether a sign-in name is a phone number rather than an e-mail address."""
    text = str(text or "").strip()
    return bool(text) and "@" not in text and bool(re.fullmatch(r"[\d\s()+-]{6,24}", text))


def validate_kyrgyz_mobile(value):
    """A number an account can sign in with and receive SMS on: a Kyrgyz mobile, not a landline or a foreign one."""
    value = normalize_phone(value)
    if not KYRGYZ_PHONE.match(value):
        raise ValidationError(_("Enter a Kyrgyz phone number in the form +996 XXX XXX XXX."), code="invalid_phone")
    if not KYRGYZ_MOBILE.match(value):
        raise ValidationError(
            _("This looks like a landline number. Enter a mobile number (+996 5XX, 7XX, 2XX or 9XX)."),
            code="not_mobile",
        )


def validate_kyrgyz_phone(value):
    if value and not KYRGYZ_PHONE.match(value):
        raise ValidationError(_("Enter a Kyrgyz phone number in the form +996 XXX XXX XXX."), code="invalid_phone")


def validate_year_of_birth(value):
    this_year = timezone.localdate().year
    if value is not None and not (this_year - 100 <= value <= this_year - 14):
        raise ValidationError(
            _("Enter a year of birth between %(low)s and %(high)s."),
            code="invalid_year_of_birth",
            params={"low": this_year - 100, "high": this_year - 14},
        )
