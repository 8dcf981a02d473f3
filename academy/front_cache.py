"""A cache in front of Wagtail's routing, for pages that every visitor without a session sees alike.

Before a page's `serve()` runs, Wagtail finds the site, the locale root and each page of the path,
and checks view restrictions: 18–21 queries for a course page, most of the time a cached catalogue
page takes (BENCHMARKS.md). A page cache inside `serve()` cannot skip that. This one wraps Wagtail's
serve view, and answers only requests that carry no cookie but the CSRF and language ones and no
credentials: such a visitor is anonymous and has passed no page password (Wagtail keeps passed
passwords in the session), so routing would give them exactly what it gave any other such visitor.

A page opts in by marking its response with `share_with_visitors(response, namespace)`; the response
is then stored under that namespace, so `academy.caching.invalidate(namespace)` drops it with the
rest of the page's cache. It is stored only when a request that this cache may answer produced it,
and never when it sets a cookie, uses the visitor's CSRF token, or says private/no-store. A
restricted page never reaches `serve()` for such a request, so it is never stored; the app that owns
the pages also invalidates when a restriction is added (see courses/signals.py).
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from academy.caching import PREFIX, cacheable_response, make_key, storable, stored_response

DEFAULT_TIMEOUT = 300
INDEX_PREFIX = f"{PREFIX}:front"


def share_with_visitors(response, namespace, timeout=DEFAULT_TIMEOUT):
    """Mark a page's response as the same for every visitor without a session, cached in `namespace`."""
    response.front_cache = (namespace, timeout)
    return response


def _answerable(request):
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    harmless = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    return all(name in harmless for name in request.COOKIES)


def _where(request):
    # The scheme and host too: a page may print absolute links (canonical, sharing), and one process may
    # serve several Wagtail sites.
    return (request.scheme, request.get_host(), request.get_full_path(), get_language() or "")


def _index_key(where):
    return f"{INDEX_PREFIX}:{hashlib.sha256('|'.join(where).encode()).hexdigest()[:32]}"


def front_cached(view):
    """Wrap Wagtail's serve view (see the module docstring)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _answerable(request):
            return view(request, *args, **kwargs)
        where = _where(request)
        namespace = cache.get(_index_key(where))
        if namespace is not None:
            stored = cache.get(make_key(namespace, "front", *where))
            if stored is not None:
                return stored_response(stored)
        response = view(request, *args, **kwargs)
        marked = getattr(response, "front_cache", None)
        if marked and cacheable_response(request, response):
            namespace, timeout = marked
            cache.set(make_key(namespace, "front", *where), storable(response), timeout=timeout)
            cache.set(_index_key(where), namespace, timeout=timeout)
        return response

    return wrapper
