"""Content-Security-Policy: which scripts, styles, images and frames a page may use.

Public pages (and the API's documentation) run no inline script except one carrying the request's
nonce: `<script nonce="{{ request.csp_nonce }}">`. Whole responses are cached and shared between
visitors (academy/caching.py, academy/front_cache.py), so a nonce written into the HTML at render
time would be served again to the next visitor with another nonce in the header. Templates therefore
write a placeholder, and `ContentSecurityPolicyMiddleware` (academy/middleware.py) replaces it with a
fresh nonce in every response it sends, cached or not, the same nonce it puts in the header. The
placeholder is derived from SECRET_KEY, so text injected into a page cannot guess it and earn a nonce.

The Wagtail admin keeps `'unsafe-inline'` scripts: Wagtail 8 still writes inline scripts without a
nonce (date pickers, inline panels, choosers: wagtail/wagtail#1288, #7053), and a nonce in the policy
would make browsers ignore `'unsafe-inline'`. No `'unsafe-eval'`: tests/e2e/test_csp.py walks the
dashboard, a page editor, a snippet editor with date pickers and the certificate screens in Chromium
without a violation. Avatars come from Gravatar while WAGTAIL_GRAVATAR_PROVIDER_URL points there. The
admin is for signed-in staff only; everything else in its policy is as strict as the site's.
"""

import base64
import hashlib
import hmac
import secrets
from functools import lru_cache

from django.conf import settings

NONCE_BYTES = 18  # 24 characters, as long as the placeholder: the body keeps its length
TEXT_TYPES = ("text/html", "application/xhtml+xml")

# Video hosts whose players news and course pages may embed (Wagtail's EmbedBlock gives an <iframe>).
DEFAULT_FRAME_SOURCES = ("https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com")


@lru_cache(maxsize=4)
def _placeholder(secret):
    digest = hmac.new(secret.encode(), b"academy-csp-nonce-placeholder", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:NONCE_BYTES]).decode()


def placeholder():
    """What templates write where the nonce goes (the same for every request of this deployment)."""
    return _placeholder(settings.SECRET_KEY)


def new_nonce():
    return secrets.token_urlsafe(NONCE_BYTES)


def _frame_sources():
    return " ".join(getattr(settings, "ACADEMY_CSP_FRAME_SOURCES", DEFAULT_FRAME_SOURCES))


def _admin_image_sources():
    gravatar = getattr(settings, "WAGTAIL_GRAVATAR_PROVIDER_URL", "//www.gravatar.com/avatar")
    # No scheme: the provider URL is protocol-relative, so the avatar comes over the page's own scheme.
    return " www.gravatar.com" if gravatar and "gravatar.com" in gravatar else ""


def _reference_image_sources(path):
    # Redoc's "API docs by Redocly" link shows its logo from Redocly's CDN (an image only; no option hides it).
    return " https://cdn.redoc.ly" if path.startswith("/api/redoc/") else ""


def is_admin_path(path):
    return path.startswith("/admin/")


def policy(path, nonce):
    """The policy header for a response to `path`."""
    common = [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "font-src 'self' data:",
        "connect-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # style attributes in templates and Wagtail's markup
    ]
    if is_admin_path(path):
        return "; ".join(
            [
                *common,
                "script-src 'self' 'unsafe-inline'",
                f"img-src 'self' data: blob:{_admin_image_sources()}",
                f"frame-src 'self' {_frame_sources()}",  # the preview panel shows the page in a frame
                "worker-src 'self' blob:",
                "frame-ancestors 'self'",
            ]
        )
    return "; ".join(
        [
            *common,
            f"script-src 'self' 'nonce-{nonce}'",
            f"img-src 'self' data: blob:{_reference_image_sources(path)}",
            f"frame-src {_frame_sources()}",
            "worker-src 'self' blob:",  # the API reference (Redoc) runs its search in a worker
            "frame-ancestors 'none'",
        ]
    )


def with_nonce(response, nonce):
    """Put `nonce` where templates wrote the placeholder (HTML responses only)."""
    if response.streaming or response.has_header("Content-Encoding"):
        return
    if not response.get("Content-Type", "").startswith(TEXT_TYPES):
        return
    marker = placeholder().encode()
    if marker in response.content:
        response.content = response.content.replace(marker, nonce.encode())
