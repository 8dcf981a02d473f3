"""API tokens: issued for a password, expire after ACADEMY_API_TOKEN_IDLE_DAYS of disuse, revoked on request
and whenever the person's password changes (academy.signals)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from academy.errors import DomainError
from academy.models import TokenUse

# The last use is written at most this often: a busy client costs one write an hour, not one a request.
USE_RECORDED_EVERY = timedelta(hours=1)


class TokenExpired(DomainError):
    code = "token_expired"


def idle_limit():
    return timedelta(days=settings.ACADEMY_API_TOKEN_IDLE_DAYS)


def last_used_at(token):
    try:
        return token.use.last_used_at  # fetched with the token by select_related("use")
    except TokenUse.DoesNotExist:
        return token.created


def note_use(token, *, now=None):
    """Refuse a token idle for longer than allowed (and delete it); else remember this use, at most once an hour."""
    now = now or timezone.now()
    last = last_used_at(token)
    if now - last > idle_limit():
        token.delete()
        raise TokenExpired(_("This token has expired after a long time unused. Sign in again for a new one."))
    if now - last >= USE_RECORDED_EVERY:
        TokenUse.objects.update_or_create(token=token, defaults={"last_used_at": now})


def issue(user, *, now=None):
    """The person's token (one per person, as Django REST framework keeps them); a new one if it had expired."""
    now = now or timezone.now()
    token = Token.objects.select_related("use").filter(user=user).first()
    if token is not None:
        try:
            note_use(token, now=now)
        except TokenExpired:
            token = None
    if token is None:
        token = Token.objects.create(user=user)
        TokenUse.objects.create(token=token, last_used_at=now)
    return token


def revoke_all(user):
    """Every API token of the person stops working (sign-out, a password change or reset)."""
    Token.objects.filter(user=user).delete()
