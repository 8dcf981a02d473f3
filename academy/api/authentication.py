from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from academy.services import api_tokens


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`; a token unused for ACADEMY_API_TOKEN_IDLE_DAYS no longer works."""

    model = Token

    def authenticate_credentials(self, key):
        token = Token.objects.select_related("user", "use").filter(key=key).first()
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        try:
            api_tokens.note_use(token)
        except api_tokens.TokenExpired as error:
            raise AuthenticationFailed(str(error.message), code=error.code) from error
        return (token.user, token)
