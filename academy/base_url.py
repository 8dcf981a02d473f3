"""The one place the site's absolute address is worked out, for QR codes, e-mails, PDFs and feeds.

Production: always WAGTAILADMIN_BASE_URL, never the request's Host header (a forged Host must not end up in
an e-mail or a printed code). The embedded mode (`make run`, dev settings) sets ACADEMY_BASE_URL_FROM_REQUEST:
links follow the address the site is actually being served on (another port, a laptop's LAN address in a
hall), taken from the request at hand, or from the request being served (RequestBaseUrlMiddleware; Celery
runs eagerly there, so a task started by a request sees it too), else from WAGTAILADMIN_BASE_URL, which
`make run HOST=… PORT=…` sets."""

from contextvars import ContextVar

from django.conf import settings

_serving = ContextVar("academy_serving_base_url", default="")


def _from_request(request):
    return f"{request.scheme}://{request.get_host()}"


def site_base_url(request=None):
    """The site's address without a trailing slash, e.g. `https://academy.kg`."""
    if getattr(settings, "ACADEMY_BASE_URL_FROM_REQUEST", False):
        if request is not None:
            return _from_request(request)
        if _serving.get():
            return _serving.get()
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute_url(path, request=None):
    """`path` (starting with /) on the site's address."""
    return site_base_url(request) + path


class RequestBaseUrlMiddleware:
    """Dev only: remembers the address of the request being served, for links built without the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            token = _serving.set(_from_request(request))
        except Exception:  # a Host not in ALLOWED_HOSTS: Django answers 400 further down; keep the default
            token = None
        try:
            return self.get_response(request)
        finally:
            if token is not None:
                _serving.reset(token)
