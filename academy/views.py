from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from academy.middleware import unavailable_response


def page_not_found(request, exception=None):
    try:
        return render(request, "404.html", status=404)
    except (OperationalError, InterfaceError):  # the page's header reads site settings from the database
        return unavailable_response(request)


def permission_denied(request, exception=None):
    """The site's page in the visitor's language; the reason when a view gave a translated one."""
    message = str(exception) if exception is not None else ""
    try:
        return render(request, "403.html", {"message": message}, status=403)
    except (OperationalError, InterfaceError):
        return unavailable_response(request)


def server_error(request):
    return render(request, "500.html", status=500)


@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def robots_txt(request):
    """Crawlers may read the public site, not the admin, the API or people's own pages; the sitemap lists the rest."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /*/accounts/",
        "Disallow: /*/my/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
