from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from academy.models import TokenUse
from academy.prepared import Prepared
from academy.services import api_tokens


def _token_query(key):
    user_fields = [f"user__{field.attname}" for field in get_user_model()._meta.concrete_fields]
    return Token.objects.filter(key=key).values("key", "user_id", "created", "use__last_used_at", *user_fields)


_TOKEN = Prepared(_token_query, key=str)


def find_token(key):
    """The token with its user and last use in one query, its SQL compiled once per process (every API request
    runs it); None when there is no such token. Read from the database each time: a revoked or expired token
    stops working at once."""
    row = _TOKEN.first(key=key)
    if row is None:
        return None
    user_model = get_user_model()
    names = [field.attname for field in user_model._meta.concrete_fields]
    user = user_model.from_db("default", names, [row[f"user__{name}"] for name in names])
    token = Token.from_db("default", ["key", "user_id", "created"], [row["key"], row["user_id"], row["created"]])
    Token.user.field.set_cached_value(token, user)
    last_used = row["use__last_used_at"]
    use = TokenUse.from_db("default", ["token_id", "last_used_at"], [token.key, last_used]) if last_used else None
    Token.use.related.set_cached_value(token, use)  # None: no row yet (`token.use` raises DoesNotExist)
    return token


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`; a token unused for ACADEMY_API_TOKEN_IDLE_DAYS no longer works."""

    model = Token

    def authenticate_credentials(self, key):
        token = find_token(key)
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        try:
            api_tokens.note_use(token)
        except api_tokens.TokenExpired as error:
            raise AuthenticationFailed(str(error.message), code=error.code) from error
        return (token.user, token)
