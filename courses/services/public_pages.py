"""The catalogue's public pages, cached for anonymous visitors.

The course index, course pages, the session list and session pages (and the course and session
list/detail API) show seats left, dates, venues,
agendas and trainers, so any change to those drops every cached catalogue page at once (one cache
write; see academy.caching). Registrations change seats, so they invalidate too: a full session
must not look open for minutes. What only time changes (a session that has just started leaving
"upcoming") is at most CATALOGUE_TIMEOUT old. The register action never reads the cache.
"""

from academy import front_cache
from academy.caching import cache_public_response, invalidate_on_commit

NAMESPACE = "catalogue"
CATALOGUE_TIMEOUT = 300


def cached_catalogue_page(view):
    """Decorate a view (or a Wagtail page's serve) whose anonymous 200 responses may be shared."""
    return cache_public_response(NAMESPACE, timeout=CATALOGUE_TIMEOUT)(view)


def cached_catalogue_api(dispatch):
    """The same for an API view's dispatch: JSON and the browsable HTML are kept apart by Accept."""
    return cache_public_response(NAMESPACE, timeout=CATALOGUE_TIMEOUT, vary_on=("Accept",))(dispatch)


def share_with_visitors(response):
    """Let the front cache answer this page for visitors without a session (academy/front_cache.py)."""
    return front_cache.share_with_visitors(response, NAMESPACE, timeout=CATALOGUE_TIMEOUT)


def catalogue_changed():
    """Something shown on the public catalogue changed: drop its cached pages."""
    invalidate_on_commit(NAMESPACE)
