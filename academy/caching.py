"""Caching of public pages and generated files, invalidated by namespace on publish or change.

The cache is Django's default cache: local memory by default, Redis in production (CACHE_URL), so an
invalidation made by one process is seen by every other one. Nothing here is needed for correctness:
with a dummy cache everything is computed every time.

Invalidation is by namespace version rather than by key: every key of a namespace embeds the
namespace's current version, and `invalidate(namespace)` bumps the version with one cache write,
so "every page of the catalogue" or "the QR images of one link" can be dropped without knowing which
keys exist (old entries expire on their own).

    from academy.caching import cached, cache_public_response, invalidate

    png = cached(("qr", code), lambda: render_png(code), timeout=86400)      # a file, once
    invalidate(("qr", code))                                                  # when the link changes

    @cache_public_response("catalogue", timeout=300)                          # a public view
    def course_list(request): ...
    invalidate("catalogue")                                                    # on publish / session change

Wire invalidation where the change happens (a service function, or a signal such as Wagtail's
`page_published` / `page_unpublished` and Django's `post_save` / `post_delete`), in the app that
owns the data: `academy` knows no other app.
"""

import hashlib
from functools import partial, wraps

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from academy.transactions import on_commit_once

PREFIX = "academy-cache"
DEFAULT_TIMEOUT = 300
VERSION_TIMEOUT = None  # namespace versions never expire (an expired version would revive stale entries)


def _namespace(namespace):
    if isinstance(namespace, str | int):
        return str(namespace)
    return ":".join(str(part) for part in namespace)


def _version_key(namespace):
    return f"{PREFIX}:v:{_namespace(namespace)}"


def version(namespace):
    """The namespace's current version (1 until the first invalidation)."""
    key = _version_key(namespace)
    value = cache.get(key)
    if value is None:
        cache.add(key, 1, timeout=VERSION_TIMEOUT)
        value = cache.get(key) or 1
    return value


def invalidate(*namespaces):
    """Drop every entry of each namespace, in every process, with one cache write per namespace."""
    for namespace in namespaces:
        key = _version_key(namespace)
        try:
            cache.incr(key)
        except ValueError:  # never read yet (or evicted): any new version differs from what entries carry
            cache.set(key, 2, timeout=VERSION_TIMEOUT)


def invalidate_on_commit(*namespaces):
    """Invalidate now and again once the current transaction commits.

    Now: this process's next read must not see the old page. After commit: a request in another
    process that read the database between the change and the commit may have cached the old
    data in the meantime. One after-commit callback per namespace and transaction, however many
    rows change.
    """
    invalidate(*namespaces)
    for namespace in namespaces:
        on_commit_once(("invalidate", _namespace(namespace)), partial(invalidate, namespace))


def make_key(namespace, *parts):
    """A cache key for `parts` inside `namespace`, bound to the namespace's current version."""
    raw = "|".join(str(part) for part in parts)
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32] if raw else "-"
    return f"{PREFIX}:{_namespace(namespace)}:{version(namespace)}:{digest}"


def cached(namespace, compute, *parts, timeout=DEFAULT_TIMEOUT):
    """`compute()` once per namespace version and `parts`; later calls read the cache. None is never cached."""
    key = make_key(namespace, *parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        if value is not None:
            cache.set(key, value, timeout=timeout)
    return value


def _cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False  # pages for a signed-in person show their own state (registration box, menu)
    return "HTTP_AUTHORIZATION" not in request.META


def cacheable_response(request, response):
    """A rendered 200 response that holds nothing of one visitor's (no cookie, no CSRF token)."""
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies:  # it sets a cookie: it belongs to one visitor
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page holds this visitor's CSRF token (a form); the middleware sets its cookie later
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def storable(response):
    """What the cache keeps of a response: its content and headers (never a Set-Cookie)."""
    return response.content, [(name, value) for name, value in response.items() if name.lower() != "set-cookie"]


def stored_response(stored):
    """The response again, from what `storable` kept."""
    content, headers = stored
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


def cache_public_response(namespace, timeout=DEFAULT_TIMEOUT, vary_on=()):
    """Cache a view's anonymous 200 responses per path, query string and language, until `invalidate(namespace)`.

    Signed-in visitors, requests with credentials, responses that set cookies or say private/no-store
    are never cached. The namespace may be a callable taking the view's arguments, e.g.
    `lambda request, code: ("verify", code)`, to invalidate one object's pages only. `vary_on` names
    request headers that pick the representation (e.g. "Accept" for an API that also renders HTML).
    """
    vary_keys = [f"HTTP_{header.upper().replace('-', '_')}" for header in vary_on]

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            space = namespace(request, *args, **kwargs) if callable(namespace) else namespace
            varying = [request.META.get(name, "") for name in vary_keys]
            key = make_key(space, "response", request.get_full_path(), get_language() or "", *varying)
            stored = cache.get(key)
            if stored is not None:
                return stored_response(stored)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response = response.render()
            patch_vary_headers(response, ["Cookie", "Accept-Language", *vary_on])
            if cacheable_response(request, response):
                cache.set(key, storable(response), timeout=timeout)
            return response

        return wrapper

    return decorator
