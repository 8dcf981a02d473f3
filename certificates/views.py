"""Public pages: verification by QR code, "My certificates" and downloads, the issuer's public key."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from academy.caching import cache_public_response
from academy.link_language import speaks_link_language
from academy.throttling import throttle
from certificates import badges
from certificates.services import access, linkedin, rendering, verification


@require_GET
@speaks_link_language  # the QR code printed on the certificate names its language (?lang=), Kyrgyz by default
def verify(request, code):
    limit, window = verification.verify_rate()
    if not throttle(request, "verify", limit=limit, window=window):  # on every request, cached or not
        return render(request, "certificates/verify_error.html", {"throttled": True}, status=429)
    if not verification.is_well_formed(code):
        return _not_found(request, code)
    return _verify_page(request, code)


def _not_found(request, code):
    # LocaleMiddleware turns a 404 on an unprefixed path into a redirect to /<lang>/... (where
    # Wagtail would answer); this urlconf has no language prefixes, so the friendly 404 stays.
    request.urlconf = "certificates.urls_unprefixed"
    return render(request, "certificates/verify_error.html", {"code": code[:40]}, status=404)


@cache_public_response(lambda request, code: verification.cache_namespace(code), timeout=verification.CACHE_TIMEOUT)
def _verify_page(request, code):
    """The page for anonymous visitors is cached per code and language until the certificate changes."""
    certificate = verification.find_certificate(code)
    if certificate is None:
        return _not_found(request, code)  # a 404 is never cached
    record = verification.public_record(certificate)
    return render(request, "certificates/verify.html", {"record": record, "certificate": certificate})


@login_required
@require_GET
def my_certificates(request):
    paginator = Paginator(access.own_certificates(request.user), 20)
    page = paginator.get_page(request.GET.get("page"))
    today = timezone.localdate()
    for certificate in linkedin.add_to_profile_urls(page.object_list):
        certificate.shown_status = certificate.public_status(today)
    return render(request, "certificates/my_certificates.html", {"page_obj": page, "certificates": page.object_list})


def _visible(request, pk):
    return get_object_or_404(access.certificates_visible_to(request.user).select_related("template", "user"), pk=pk)


@login_required
@require_GET
@cache_control(private=True, max_age=300)
def my_certificate_pdf(request, pk):
    certificate = _visible(request, pk)
    response = HttpResponse(rendering.certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{rendering.pdf_filename(certificate)}"'
    return response


@login_required
@require_GET
def my_certificate_badge(request, pk, kind):
    certificate = _visible(request, pk)
    if kind == "jwt":
        response = HttpResponse(badges.credential_jwt(certificate), content_type=badges.JWT_MEDIA_TYPE)
        extension = "jwt"
    else:
        response = JsonResponse(
            badges.credential_with_proof(certificate), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
        response["Content-Type"] = "application/ld+json"
        extension = "json"
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}-badge.{extension}"'
    return response


@require_GET
@cache_control(public=True, max_age=3600)
def did_document(request):
    response = JsonResponse(badges.did_document())
    response["Content-Type"] = "application/did+json"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@cache_control(public=True, max_age=3600)
def jwks(request):
    response = JsonResponse(badges.jwks())
    response["Access-Control-Allow-Origin"] = "*"
    return response
