"""Public views of training materials: the `/q/<code>` links, their QR images, files, packs and handouts.

Thin: every rule lives in courses.services.materials and courses.services.shortlinks.
"""

import mimetypes
import os

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from academy.caching import cached
from academy.errors import NotFoundError, PermissionDeniedError
from academy.link_language import PARAM as LANGUAGE_PARAM
from academy.link_language import normalize as normalize_language
from academy.link_language import speaks_link_language
from courses import handout as handout_pdf_module
from courses.models import Material
from courses.qr import qr_png, qr_svg
from courses.services import materials as service
from courses.services import shortlinks

QR_MAX_AGE = 7 * 24 * 3600
QR_CACHE_TIMEOUT = 24 * 3600
PUBLIC_FILE_MAX_AGE = 3600


def _login(request):
    return redirect_to_login(request.get_full_path(), reverse("account_login"))


def _unavailable(request, *, status, title, message, session=None):
    return render(
        request,
        "courses/materials/unavailable.html",
        {"title": title, "message": message, "session": session},
        status=status,
    )


def _denied(request, message=None):
    return _unavailable(
        request,
        status=403,
        title=_("This material is not available to you"),
        message=message
        or _(
            "It is shared only with the confirmed participants or the trainers of the training. "
            "If you took part, log in with the account you registered with."
        ),
    )


@never_cache
@require_safe
@speaks_link_language  # the printed QR code names its language (?lang=), Kyrgyz by default
def short_link(request, code):
    """Where a printed QR code leads: the material (or the session's material pack), after a permission check."""
    link = shortlinks.lookup(code)  # cached until the link or its target changes
    if link is None:
        raise Http404
    counts = request.method == "GET"
    if not link.is_active:
        return _unavailable(
            request,
            status=410,
            title=_("This link is no longer active"),
            message=_(
                "The material behind this QR code was withdrawn or replaced. "
                "Ask the trainer for the current handout, or look for the training on our site."
            ),
        )
    if link.session_id:
        session = link.session
        if not service.session_is_visible(request.user, session):
            if not request.user.is_authenticated:
                return _login(request)
            raise Http404
        if counts:
            shortlinks.record_scan(link)
        return redirect("session_materials", session_id=session.pk)

    material = link.material
    if material.visibility != Material.Visibility.PUBLIC and not request.user.is_authenticated:
        # Anonymous visitors see public materials only (Material.objects.visible_to): log in first, no query.
        return _login(request)
    access = service.material_access(request.user, material)
    if access == service.LOGIN:
        # Counted when the visitor comes back here after logging in.
        return _login(request)
    if counts:
        shortlinks.record_scan(link)
    if access == service.DENIED:
        return _denied(request)
    target = service.open_url(material)
    if not target:
        raise Http404
    return HttpResponseRedirect(target)


# A redirect has no body to protect: the strictest policy, with no nonce to make (academy/csp.py).
REDIRECT_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def short_link_without_session(request, code):
    """`short_link` for a visitor who carries no session, from one cache read (courses.middleware calls it before
    the sessions, CSRF, messages and page middleware, which a redirect needs none of).

    Such a visitor is anonymous, so each answer is a redirect decided by the cached `Route`: to a public
    material, to the session's materials, or to the sign-in page (a participants' material, a draft session's
    pack); the scan is counted as `short_link` counts it. Returns None for everything else — a code not in the
    cache yet, a withdrawn link, a material with nowhere to open — and the request goes the whole way to
    `short_link`, which renders those pages and fills the cache.
    """
    route = shortlinks.cached_route(code)
    if route is None or not route.active:
        return None
    request.get_host()  # an address outside ALLOWED_HOSTS is refused here as everywhere else (400)
    language = normalize_language(request.GET.get(LANGUAGE_PARAM))
    if route.session_id:
        if route.session_draft:
            response = _login_in(request, language)
        else:
            shortlinks.record_scan_of(route.link_id)
            with translation.override(language):
                response = HttpResponseRedirect(reverse("session_materials", kwargs={"session_id": route.session_id}))
    elif not route.public:
        response = _login_in(request, language)  # counted when the visitor comes back after logging in
    elif not route.target:
        return None
    else:
        shortlinks.record_scan_of(route.link_id)
        response = HttpResponseRedirect(route.target)
    add_never_cache_headers(response)
    response.headers["Content-Language"] = language
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = REDIRECT_POLICY
    return response


def _login_in(request, language):
    with translation.override(language):
        return redirect_to_login(request.get_full_path(), reverse("account_login"))


def _qr_response(content, content_type):
    response = HttpResponse(content, content_type=content_type)
    patch_cache_control(response, public=True, max_age=QR_MAX_AGE)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _link_or_404(code):
    link = shortlinks.lookup(code)
    if link is None:
        raise Http404
    return link


@require_safe
def short_link_svg(request, code):
    """The QR code of a short link as SVG, for print."""
    link = _link_or_404(code)
    url = shortlinks.short_url(link, request.GET.get(LANGUAGE_PARAM))
    # The image is a function of the URL alone: cached without invalidation (a removed link answers 404 above).
    content = cached("qr", lambda: qr_svg(url, title=url), "svg", url, timeout=QR_CACHE_TIMEOUT)
    return _qr_response(content, "image/svg+xml")


@require_safe
def short_link_png(request, code):
    """The QR code of a short link as PNG, for screens; `?size=` sets pixels per module (1-40, default 10)."""
    link = _link_or_404(code)
    try:
        box_size = min(max(int(request.GET.get("size", 10)), 1), 40)
    except ValueError:
        box_size = 10
    url = shortlinks.short_url(link, request.GET.get(LANGUAGE_PARAM))
    content = cached("qr", lambda: qr_png(url, box_size), "png", url, box_size, timeout=QR_CACHE_TIMEOUT)
    return _qr_response(content, "image/png")


@require_safe
def material_image(request, pk):
    """The original file of an image material, after the permission check (never a public media URL)."""
    material = get_object_or_404(
        Material.objects.select_related("image", "session", "course"),
        pk=pk,
        kind=Material.Kind.IMAGE,
        image__isnull=False,
    )
    access = service.material_access(request.user, material)
    if access == service.LOGIN:
        return _login(request)
    if access == service.DENIED:
        return _denied(request)
    image = material.image
    etag = f'"{image.file_hash}"' if image.file_hash else None
    conditional = get_conditional_response(request, etag=etag)
    if conditional is not None:
        return conditional
    try:
        handle = image.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    filename = os.path.basename(image.file.name)
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type, filename=filename)
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline", 1)
    response["X-Content-Type-Options"] = "nosniff"
    if etag:
        response["ETag"] = etag
    if material.is_public:
        patch_cache_control(response, public=True, max_age=PUBLIC_FILE_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response


def session_pack(request, session_id):
    """The material pack of a session: the materials the visitor may see, with a prompt to log in for more."""
    try:
        session = service.get_session_for(request.user, session_id)
    except NotFoundError as error:
        raise Http404 from error
    cards = service.material_cards(service.visible_session_materials(request.user, session))
    pack = shortlinks.ensure_session_pack_link(session)
    response = render(
        request,
        "courses/materials/pack.html",
        {
            "session": session,
            "cards": cards,
            "pack": pack,
            "pack_url": shortlinks.short_url(pack, session.language),
            "has_hidden": service.has_hidden_materials(request.user, session),
            "can_manage": service.can_manage_target(request.user, session=session),
        },
    )
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _handout_data(request, session_id):
    try:
        session = service.get_session_for(request.user, session_id)
        return session, service.handout_data(request.user, session)
    except NotFoundError as error:
        raise Http404 from error


def handout(request, session_id):
    """The printable A4 handout (HTML with a print stylesheet)."""
    if not request.user.is_authenticated:
        return _login(request)
    try:
        session, data = _handout_data(request, session_id)
    except PermissionDeniedError as error:
        return _denied(request, error.message)
    return render(
        request,
        "courses/materials/handout.html",
        {
            "session": session,
            "handout": data,
            "heading": handout_pdf_module.HEADING,
            "pack_label": handout_pdf_module.PACK,
            "scan_hint": handout_pdf_module.SCAN_HINT,
            "restricted_label": handout_pdf_module.RESTRICTED,
            "empty_label": handout_pdf_module.EMPTY,
        },
    )


def handout_pdf(request, session_id):
    """The same handout as an A4 PDF (reportlab, DejaVu fonts)."""
    if not request.user.is_authenticated:
        return _login(request)
    try:
        session, data = _handout_data(request, session_id)
    except PermissionDeniedError as error:
        return _denied(request, error.message)
    response = HttpResponse(handout_pdf_module.render_handout_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="handout-session-{session.pk}.pdf"'
    patch_cache_control(response, private=True, no_cache=True)
    return response
