import json
import logging

from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.db import DataError, InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from rest_framework.exceptions import NotFound

from academy import csp
from academy.api.errors import names_no_object

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """Answer 503 with a plain page when the database cannot be reached, never a traceback.

    Also: an id in the address too large for any database id (/sessions/99999999999999999999/) answers the
    404 page; the lookup would overflow (OverflowError on SQLite, DataError on PostgreSQL). The API's own
    exception handler does the same for API views.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OverflowError, DataError)):
            match = getattr(request, "resolver_match", None)
            if match is not None and names_no_object(match.kwargs):
                return response_for_exception(request, Http404())
            return None
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("Database unavailable: %s", type(exception).__name__)
        return unavailable_response(request)


def unavailable_response(request):
    """The 503 answer: JSON under /api/, a static page elsewhere (it needs no database)."""
    if request.path.startswith("/api/"):
        response = HttpResponse(
            '{"detail": "The service is temporarily unavailable.", "code": "unavailable", "errors": {}}',
            status=503,
            content_type="application/json",
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    return response


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except that a 404 on an address that has no language prefix by design stays a 404.

    Django redirects a 404 at /x/ to /ky/x/ whenever /ky/x/ resolves, and Wagtail's catch-all page route
    resolves everything: an unknown API object or short-link code would answer a redirect to an HTML page.
    """

    UNPREFIXED = ("/admin/", "/api/", "/q/", "/verify/", "/.well-known/", "/media/", "/static/", "/documents/")

    def process_request(self, request):
        super().process_request(request)
        # The admin speaks Russian or English only (WAGTAILADMIN_PERMITTED_LANGUAGES). Without a personal
        # preference Wagtail keeps the request's language when permitted and falls back to LANGUAGE_CODE
        # (Kyrgyz) otherwise; start such admins in the academy's admin language instead.
        if request.path_info.startswith("/admin/"):
            permitted = dict(settings.WAGTAILADMIN_PERMITTED_LANGUAGES)
            if get_language() not in permitted:
                translation.activate(settings.ACADEMY_ADMIN_DEFAULT_LANGUAGE)
                request.LANGUAGE_CODE = settings.ACADEMY_ADMIN_DEFAULT_LANGUAGE

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(self.UNPREFIXED):
            if request.path_info.startswith("/api/") and not _is_json(response):
                response = api_not_found_response()  # an address no API route matches: the API's error body
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", get_language())
            return response
        return super().process_response(request, response)


def _is_json(response):
    return response.get("Content-Type", "").split(";")[0].strip() == "application/json"


def api_not_found_response():
    """The API's 404 body for an address that matches no API route (e.g. /api/v1/sessions/-1/)."""
    body = {"detail": str(NotFound.default_detail), "code": NotFound.default_code, "errors": {}}
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=404, content_type="application/json")


class ContentSecurityPolicyMiddleware:
    """A Content-Security-Policy header on every response, with a fresh script nonce each time.

    Templates write `nonce="{{ request.csp_nonce }}"`: a placeholder that this middleware replaces in
    the body, cached or not, with the nonce it puts in the header (academy/csp.py says why). It must
    sit below any middleware that compresses the body (GZipMiddleware), so that it sees plain HTML.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = csp.placeholder()
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            nonce = csp.new_nonce()
            csp.with_nonce(response, nonce)
            response["Content-Security-Policy"] = csp.policy(request.path_info, nonce)
        return response
