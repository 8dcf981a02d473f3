"""The site's URLs plus `/bench/baseline/`: the smallest Django view, the yardstick of every benchmark."""

from django.http import HttpResponse
from django.urls import path

from academy.urls import *  # noqa: F403
from academy.urls import urlpatterns as site_urlpatterns


def baseline(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/baseline/", baseline, name="bench_baseline"), *site_urlpatterns]
