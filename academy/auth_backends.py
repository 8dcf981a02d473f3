"""The one password check behind every way to sign in (site, Wagtail admin, API token)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from academy.services import signin_limits


class SigninLimitedBackend(ModelBackend):
    """ModelBackend under the per-account guessing limit (academy.services.signin_limits).

    While an account (or the caller's address) is paused no password is checked, the right one included;
    a wrong password counts against both. Forms show the pause with `signin_limits.check_signin`."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        try:
            signin_limits.check_signin(request, username)
        except signin_limits.LimitReached as error:
            raise PermissionDenied(str(error)) from error  # authenticate() then tries no other backend
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            signin_limits.record_failure(request, username)
        return user
