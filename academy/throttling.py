"""Rate limits kept in the shared cache, so they hold across processes.

`throttle` is a fixed window per client address. `add_hit`/`full_until` count any key (an account, an
address, an e-mail) in windows that start at their first hit, so a limit can say until when it holds.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured


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


# --- windows anchored at their first hit, for limits that say "until when" -----------------------------

RATE_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


@dataclass(frozen=True)
class Rate:
    """At most `limit` hits in `seconds`."""

    limit: int
    seconds: int


def parse_rates(text):
    """"10/15min, 100/h" -> (Rate(10, 900), Rate(100, 3600)). Units: s, min (or m), h, d, with an optional count."""
    rates = []
    for part in str(text).split(","):
        if not part.strip():
            continue
        limit, _slash, period = part.strip().partition("/")
        match = re.fullmatch(r"(\d*)\s*([a-z]+)", period.strip().lower())
        if not match or match.group(2) not in RATE_UNITS or not limit.strip().isdigit():
            raise ImproperlyConfigured(f"Not a rate: {part.strip()!r} (write e.g. 10/15min or 100/h)")
        rates.append(Rate(int(limit), int(match.group(1) or 1) * RATE_UNITS[match.group(2)]))
    return tuple(rates)


def _keys(key, rate):
    base = f"limit:{key}:{rate.seconds}"
    return f"{base}:start", f"{base}:count"


def window_end(key, rate, *, now):
    """When the window of `key` ends if it is full (limit reached), else None.

    The window starts at its first hit; the start is kept beside the count and compared with `now`, so the
    window ends on the clock the caller passes even where the cache's own expiry lags (or is not reached)."""
    start_key, count_key = _keys(key, rate)
    values = cache.get_many([start_key, count_key])
    start, count = values.get(start_key), values.get(count_key)
    if start is None or count is None or now.timestamp() - start >= rate.seconds:
        return None
    if count < rate.limit:
        return None
    return datetime.fromtimestamp(start + rate.seconds, tz=UTC)


def full_until(key, rates, *, now):
    """The latest end of the full windows among `rates`, or None while every one has room."""
    ends = [end for rate in rates if (end := window_end(key, rate, now=now)) is not None]
    return max(ends) if ends else None


def add_hit(key, rates, *, now):
    """Count one hit of `key` in each window. With the cache down nothing is counted (and nothing fails)."""
    for rate in rates:
        start_key, count_key = _keys(key, rate)
        start = cache.get(start_key)
        if start is None or now.timestamp() - start >= rate.seconds:
            # A new window: the old one passed. Two processes may both start one; a lost hit does not matter.
            cache.set_many({start_key: now.timestamp(), count_key: 1}, timeout=rate.seconds)
            continue
        try:
            cache.incr(count_key)
        except ValueError:  # the count expired between the two reads, or the cache is down
            cache.set(count_key, 1, timeout=rate.seconds)


def clear_hits(key, rates):
    cache.delete_many([name for rate in rates for name in _keys(key, rate)])
