"""A fixed-window rate limit kept in the shared cache, so it holds across processes."""

from django.conf import settings
from django.core.cache import cache


def client_address(request):
    """The caller's address. Behind ACADEMY_NUM_PROXIES trusted proxies, the address the outermost of them saw:
    the entries a client writes itself into X-Forwarded-For come before those and are never trusted."""
    proxies = settings.ACADEMY_NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "unknown")


def throttle(request, scope, *, limit, window):
    """Count one hit for this client in `scope`; False once more than `limit` hits fall in `window` seconds."""
    key = f"throttle:{scope}:{client_address(request)}"
    added = cache.add(key, 1, timeout=window)
    if added:
        return True
    try:
        hits = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        return True
    return hits <= limit
