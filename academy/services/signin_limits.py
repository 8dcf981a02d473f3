"""Limits on signing in, signing up and asking for a password reset, shared by every way in.

Password guessing is counted per account: ACADEMY_SIGNIN_ACCOUNT_LIMIT wrong passwords (default 10 in 15
minutes) pause password sign-in to that account until the window passes, whatever the address. An address
only meets a ceiling against spraying many accounts: ACADEMY_SIGNIN_ADDRESS_LIMIT wrong passwords from one
address (default 100 an hour). Right passwords are never counted, so a full hall behind one address (a
venue's Wi-Fi, a mobile carrier) signs in together.

The site's login form, the Wagtail admin login and the API token endpoint go through
`academy.auth_backends.SigninLimitedBackend`; the password reset confirmation counts a wrong link as a wrong
password. Sign-up and password reset requests are limited per address and per e-mail address.

Counters live in the shared cache (academy.throttling); with the cache down nothing is counted and nothing fails.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from academy.errors import DomainError
from academy.throttling import add_hit, clear_hits, client_address, full_until, parse_rates


class LimitReached(DomainError):
    """A limit holds until `until`; the message says so in the reader's language."""

    code = "throttled"

    def __init__(self, message, *, until, now):
        super().__init__(message)
        self.until = until
        self.retry_after = max(1, int((until - now).total_seconds()) + 1)


@dataclass(frozen=True)
class Limit:
    scope: str
    setting: str

    @property
    def rates(self):
        return parse_rates(getattr(settings, self.setting))

    def key(self, value):
        # Hashed: the cache never holds e-mail addresses, and any text makes a key of fixed length.
        return f"{self.scope}:{hashlib.sha256(str(value).encode()).hexdigest()[:32]}"

    def until(self, value, now):
        return full_until(self.key(value), self.rates, now=now)

    def hit(self, value, now):
        add_hit(self.key(value), self.rates, now=now)

    def clear(self, value):
        clear_hits(self.key(value), self.rates)


ACCOUNT_FAILURES = Limit("signin-account", "ACADEMY_SIGNIN_ACCOUNT_LIMIT")
ADDRESS_FAILURES = Limit("signin-address", "ACADEMY_SIGNIN_ADDRESS_LIMIT")
SIGNUP_ADDRESS = Limit("signup-address", "ACADEMY_SIGNUP_ADDRESS_LIMIT")
SIGNUP_EMAIL = Limit("signup-email", "ACADEMY_SIGNUP_EMAIL_LIMIT")
RESET_ADDRESS = Limit("reset-address", "ACADEMY_PASSWORD_RESET_ADDRESS_LIMIT")
RESET_EMAIL = Limit("reset-email", "ACADEMY_PASSWORD_RESET_EMAIL_LIMIT")


def _account(username):
    """One counter per account, however its name is written ("0555 12 34 56" and "+996555123456" alike)."""
    from academy.validators import looks_like_phone, normalize_phone

    if looks_like_phone(username):
        return normalize_phone(username)
    return str(username or "").strip().lower()


def _address(request):
    return client_address(request) if request is not None else None


def local_time(moment, now):
    """"14:05" today (Asia/Bishkek), the date as well on another day; rounded up to the minute, so that
    "try again after 14:05" is never too early."""
    if moment.second or moment.microsecond:
        moment = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
    local = timezone.localtime(moment)
    if local.date() == timezone.localtime(now).date():
        return formats.time_format(local, "H:i")
    return formats.date_format(local, "SHORT_DATETIME_FORMAT")


# --- password sign-in --------------------------------------------------------------------------------------


def check_signin(request, username, *, now=None):
    """Raise LimitReached while password sign-in to `username` (or from this address) is paused."""
    now = now or timezone.now()
    account_until = ACCOUNT_FAILURES.until(_account(username), now)
    if account_until is not None:
        raise LimitReached(
            _("Too many wrong passwords for this account. Password sign-in to it is paused until %(time)s.")
            % {"time": local_time(account_until, now)},
            until=account_until,
            now=now,
        )
    address = _address(request)
    address_until = ADDRESS_FAILURES.until(address, now) if address else None
    if address_until is not None:
        raise LimitReached(
            _("Too many failed sign-ins from your network. Password sign-in from it is paused until %(time)s.")
            % {"time": local_time(address_until, now)},
            until=address_until,
            now=now,
        )


def record_failure(request, username, *, now=None):
    """Count one wrong password (or wrong reset link) against the account and the address."""
    now = now or timezone.now()
    ACCOUNT_FAILURES.hit(_account(username), now)
    address = _address(request)
    if address:
        ADDRESS_FAILURES.hit(address, now)


def forget_failures(username):
    """The person proved they hold the e-mail address (a password reset): earlier guesses no longer count."""
    ACCOUNT_FAILURES.clear(_account(username))


# --- sign-up and password reset requests -------------------------------------------------------------------


def _check_and_count(request, email, address_limit, email_limit, message, now):
    now = now or timezone.now()
    address, email = _address(request), _account(email)
    ends = [address_limit.until(address, now) if address else None, email_limit.until(email, now) if email else None]
    ends = [end for end in ends if end is not None]
    if ends:
        until = max(ends)
        raise LimitReached(message % {"time": local_time(until, now)}, until=until, now=now)
    if address:
        address_limit.hit(address, now)
    if email:
        email_limit.hit(email, now)


def count_signup(request, email, *, now=None):
    """Count one sign-up for this address and e-mail; raise LimitReached (counting nothing) once either is spent."""
    _check_and_count(
        request,
        email,
        SIGNUP_ADDRESS,
        SIGNUP_EMAIL,
        _("Too many sign-ups from your network or for this e-mail address. Please try again after %(time)s."),
        now,
    )


def count_password_reset(request, email, *, now=None):
    """Count one password reset request; raise LimitReached (sending nothing) once the address or e-mail is spent."""
    _check_and_count(
        request,
        email,
        RESET_ADDRESS,
        RESET_EMAIL,
        _("Too many password reset requests from your network or for this e-mail address. Please try again after %(time)s."),
        now,
    )
