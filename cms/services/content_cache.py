"""Best-practice and journal pages, cached for anonymous visitors like the course catalogue.

Practice pages list their journal articles, articles link their practices, and the index filters by
topics, places and funding projects: so any change to one of them drops every cached content page at
once (one cache write, see academy.caching). Editors publish a few times a day; visitors read far more.
cms/signals.py says which changes count.
"""

from academy import front_cache
from academy.caching import cache_public_response, invalidate_on_commit

NAMESPACE = "content"
CONTENT_TIMEOUT = 300


def cached_content_page(view):
    """Decorate a Wagtail page's serve: anonymous 200 responses are shared until the content changes."""
    return cache_public_response(NAMESPACE, timeout=CONTENT_TIMEOUT)(view)


def share_with_visitors(response):
    """Let the front cache answer this page for visitors without a session (academy/front_cache.py)."""
    return front_cache.share_with_visitors(response, NAMESPACE, timeout=CONTENT_TIMEOUT)


def content_changed():
    """Something shown on a practice or journal page changed: drop their cached copies."""
    invalidate_on_commit(NAMESPACE)
