"""A page cached whole for visitors that runs an inline script: what the CSP tests serve twice."""

from django.template import engines
from django.urls import path

from academy.caching import cache_public_response

PAGE = engines["django"].from_string(
    '<!DOCTYPE html><html><body><p id="out"></p>'
    '<script nonce="{{ request.csp_nonce }}">document.getElementById("out").textContent = "ran";</script>'
    "</body></html>"
)


@cache_public_response("csp-test")
def cached_page(request):
    from django.http import HttpResponse

    return HttpResponse(PAGE.render({}, request))


urlpatterns = [path("cached-page/", cached_page)]
