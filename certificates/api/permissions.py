from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from academy.roles import is_academy_admin
from academy.throttling import client_address


class IsAcademyAdmin(BasePermission):
    def has_permission(self, request, view):
        return is_academy_admin(request.user)


class VerifyThrottle(SimpleRateThrottle):
    """Per client address, in the shared cache, whoever is signed in: against guessing codes."""

    scope = "verify"

    def get_rate(self):
        from rest_framework.settings import api_settings

        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}
