"""The stable `/q/<code>` links behind printed QR codes.

A code is 7 characters from an alphabet without look-alikes (no 0/o, 1/l/i), drawn with `secrets`:
31**7 ≈ 2.75e10 codes, so guessing one is impractical and collisions are rare (and retried). The link
points at a Material or at a session's material pack, never at a file: replacing a document keeps it.
Scans are counted without personal data, buffered in Redis and flushed every minute (courses.services.scan_counts).

The public views resolve a code through `lookup`, cached per code until the link or its target changes
(courses.signals calls `invalidate_links`); a withdrawn link stops redirecting at once.
"""

import secrets
from functools import partial
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from academy.base_url import site_base_url
from academy.caching import PREFIX
from academy.errors import DomainError, PermissionDeniedError
from academy.link_language import with_language
from academy.transactions import on_commit_once
from courses.models import ShortLink

ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 7
MAX_ATTEMPTS = 10
# A bound for what no signal reports (e.g. a session cancelled with a queryset update): changes through
# models are dropped at once by `invalidate_links`.
LOOKUP_CACHE_TIMEOUT = 600
CACHE_PREFIX = f"{PREFIX}:shortlink"


def generate_code(length=CODE_LENGTH):
    return "".join(secrets.choice(ALPHABET) for _position in range(length))


def normalize_code(code):
    """Codes are lower case; accept a code typed in capitals."""
    return (code or "").strip().lower()


def _create(**target):
    for _attempt in range(MAX_ATTEMPTS):
        try:
            with transaction.atomic():
                return ShortLink.objects.create(code=generate_code(), **target)
        except IntegrityError:
            # Either the code collided (retry with a new one) or another request created the link
            # for the same target first (return that one).
            existing = ShortLink.objects.filter(**target).first()
            if existing is not None:
                return existing
    raise DomainError(_("Could not create a short link; please try again."), code="short_link_exhausted")


def ensure_material_link(material):
    link = ShortLink.objects.filter(material=material).first()
    return link or _create(material=material)


def ensure_session_pack_link(session):
    link = ShortLink.objects.filter(session=session).first()
    return link or _create(session=session)


def ensure_material_links(materials):
    """Give every material in the list a short link, in a bounded number of queries; attach them."""
    materials = list(materials)
    missing = []
    for material in materials:
        try:
            material.short_link  # noqa: B018 - loaded by select_related when present
        except ShortLink.DoesNotExist:
            missing.append(material)
    if missing:
        existing = {link.material_id: link for link in ShortLink.objects.filter(material__in=missing)}
        new_links = [ShortLink(material=m, code=generate_code()) for m in missing if m.pk not in existing]
        try:
            with transaction.atomic():
                existing.update((link.material_id, link) for link in ShortLink.objects.bulk_create(new_links))
        except IntegrityError:
            # A code collided or another request was faster: fall back to one link at a time.
            for link in new_links:
                existing[link.material_id] = _create(material=link.material)
        for material in missing:
            material.short_link = existing[material.pk]
    return materials


def find_link(code):
    """The link for a code, with what the /q/ views read of its target; None when the code is unknown.

    The material's document (its URL) and the pack's session come along; the material's course, session and
    image do not: the redirect never reads them, and a course page row (Wagtail's columns, the body) would make
    every cached lookup several times bigger to store and to unpickle."""
    code = normalize_code(code)
    if not code or len(code) > 12:
        return None
    return ShortLink.objects.select_related("material", "material__document", "session").filter(code=code).first()


def _cache_key(code):
    return f"{CACHE_PREFIX}:{normalize_code(code)}"


def _route_key(code):
    return f"{CACHE_PREFIX}-route:{normalize_code(code)}"


def lookup(code):
    """`find_link` for the public /q/ views, cached per code until the link or its target changes.

    One cache read per scan: the entry has a plain key, dropped by `invalidate_links` (a namespace version would
    cost a second read). The instance is a copy from the cache: its `scan_count` may be behind (count with
    `record_scan`, which needs only the pk) and it must not be saved. Unknown codes are not cached.
    """
    code = normalize_code(code)
    if not code or len(code) > 12:
        return None
    key = _cache_key(code)
    link = cache.get(key)
    if link is None:
        link = find_link(code)
        if link is not None:
            # The route for visitors without a session is stored beside it, in the same round trip.
            cache.set_many({key: link, _route_key(code): route_of(link)}, timeout=LOOKUP_CACHE_TIMEOUT)
    return link


class Route(NamedTuple):
    """What a scan by a visitor without a session needs of a link, and nothing else (see `cached_route`).

    `target` is where a public material opens (`materials.open_url`; "" when it has none), `session_id` the
    session of a pack link (0 for a material's link). Cached as a plain tuple: a few bytes to unpickle, and an
    entry of another shape (an older release) reads as a miss."""

    link_id: int
    active: bool
    session_id: int
    session_draft: bool
    public: bool
    target: str


def route_of(link):
    """The `Route` of a link loaded by `find_link`, as the plain tuple the cache keeps (cheap to unpickle)."""
    from courses.models import Material, SessionStatus
    from courses.services.materials import open_url

    if link.session_id:
        session_draft = link.session.status == SessionStatus.DRAFT
        return (link.pk, link.is_active, link.session_id, session_draft, False, "")
    material = link.material
    public = material.visibility == Material.Visibility.PUBLIC
    return (link.pk, link.is_active, 0, False, public, open_url(material) if public else "")


def cached_route(code):
    """The `Route` of a code from the cache alone (one read, no query), None when it is not there.

    Filled by `lookup` and dropped with it by `invalidate_links`: the two entries always describe the same rows.
    """
    code = normalize_code(code)
    if not code or len(code) > 12:
        return None
    value = cache.get(_route_key(code))
    if type(value) is not tuple or len(value) != len(Route._fields):
        return None
    return Route._make(value)


def invalidate_links(codes):
    """Drop the cached lookups of these codes: now, and again when the transaction commits (a request in another
    process may have read the old rows in between)."""
    keys = sorted({key for code in codes if code for key in (_cache_key(code), _route_key(code))})
    if not keys:
        return
    cache.delete_many(keys)
    on_commit_once(("shortlink-lookups", *keys), partial(cache.delete_many, keys))


def codes_pointing_at(*, material=None, session=None, document=None):
    """The codes of the links whose target depends on this material, session (its pack or its materials) or document."""
    if material is not None:
        condition = Q(material_id=material.pk)
    elif session is not None:
        condition = Q(session_id=session.pk) | Q(material__session_id=session.pk)
    elif document is not None:
        condition = Q(material__document_id=document.pk)
    else:
        return []
    return list(ShortLink.objects.filter(condition).values_list("code", flat=True))


def record_scan(link, now=None):
    """Count one scan, no personal data: buffered in Redis when configured, else one UPDATE (see scan_counts)."""
    record_scan_of(link.pk, now)


def record_scan_of(link_id, now=None):
    from courses.services import scan_counts

    scan_counts.record(link_id, now)


def set_active(actor, link, active):
    """Enable or disable a link (a disabled link answers with a friendly "no longer available" page)."""
    from courses.permissions import can_manage_session
    from courses.services.materials import can_manage_material

    allowed = (
        can_manage_material(actor, link.material) if link.material_id else can_manage_session(actor, link.session)
    )
    if not allowed:
        raise PermissionDeniedError(_("You may not change this link."))
    if link.is_active != bool(active):
        link.is_active = bool(active)
        link.save(update_fields=["is_active"])
    return link


def base_url():
    """The public site address printed in QR codes (`ACADEMY_SHORT_LINK_BASE_URL`, else academy.base_url)."""
    return (getattr(settings, "ACADEMY_SHORT_LINK_BASE_URL", "") or site_base_url()).rstrip("/")


def link_path(link):
    return reverse("short_link", kwargs={"code": link.code})


def link_language(link):
    """The language the page behind a link speaks: its material's, or its session's (for a pack)."""
    if link.material_id:
        return link.material.language
    if link.session_id:
        return link.session.language
    return settings.LANGUAGE_CODE


def short_url(link, language=None):
    """The absolute URL encoded in the QR code. It names a language (`?lang=`, by default the link's own) so the
    page answers in it whatever the phone's language; codes printed without one still work, in Kyrgyz."""
    return with_language(base_url() + link_path(link), language or link_language(link))


def qr_svg_url(link, language=None):
    return with_language(
        base_url() + reverse("short_link_svg", kwargs={"code": link.code}), language or link_language(link)
    )


def qr_png_url(link, language=None):
    return with_language(
        base_url() + reverse("short_link_png", kwargs={"code": link.code}), language or link_language(link)
    )
