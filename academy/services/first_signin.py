"""The first sign-in of people an organiser added (imports): a link to set their password, printed on a slip
with a QR code or sent by the person's best channel (Telegram, e-mail or SMS).

The link is Django's password reset link: it works once, and stops working after PASSWORD_RESET_TIMEOUT or as
soon as the password is set."""

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from academy.base_url import site_base_url
from academy.services import messaging


def needs_first_signin(user):
    return user.is_active and not user.has_usable_password()


def signin_link(user, language=None):
    """The absolute link that lets `user` set a password and sign in, in their language."""
    with translation.override(language or messaging.language_of(user)):
        path = reverse(
            "password_reset_confirm",
            kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)},
        )
    return site_base_url() + path


def send_signin_link(user):
    """Send the link by the person's best channel. Returns whether a message was queued now: one a day per person,
    so an organiser pressing the button twice sends nothing more."""
    link = signin_link(user)
    _row, created = messaging.deliver(
        user=user,
        key=f"first-signin:{user.pk}:{timezone.localdate().isoformat()}",
        template="first_signin",
        context={"name": user.display_name, "url": link},
    )
    return created
