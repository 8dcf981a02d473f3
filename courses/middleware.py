"""`/q/<code>` scans by visitors without a session, answered before the rest of the middleware (issue #17).

A hall scans the QR code of a handout at once, mostly from phones signed in nowhere. For them every answer
is a redirect decided from one cached entry (`courses.views.materials.short_link_without_session`); the
sessions, locale, common, CSRF, authentication, messages, frame, Wagtail redirect and page-CSP middleware
below would only cost time on it. Sits right after SecurityMiddleware (and WhiteNoise, and GZip in
production), so HTTPS redirects, HSTS, nosniff, the referrer and opener policies still apply.

Everything else goes on down the chain as before: a request carrying a session cookie (the person may be
signed in), a HEAD, the QR images, and whatever the fast path leaves (unknown or uncached codes, withdrawn
links: pages rendered by `short_link` with the whole middleware).
"""

import re

from django.conf import settings
from django.db import InterfaceError, OperationalError

from academy.middleware import unavailable_response
from courses.views.materials import short_link_without_session

SHORT_LINK_PATH = re.compile(r"/q/(?P<code>[A-Za-z0-9]{4,12})/?")  # as courses/urls/unprefixed.py


class ShortLinkMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith("/q/") and request.method == "GET":
            match = SHORT_LINK_PATH.fullmatch(path)
            if match is not None and settings.SESSION_COOKIE_NAME not in request.COOKIES:
                try:
                    response = short_link_without_session(request, match["code"])
                except (OperationalError, InterfaceError):  # counting the scan without Redis needs the database
                    return unavailable_response(request)
                if response is not None:
                    return response
        return self.get_response(request)
