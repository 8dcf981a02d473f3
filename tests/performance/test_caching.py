"""academy.caching: values and public responses cached per namespace, dropped on invalidation."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from academy.caching import cache_public_response, cached, invalidate, make_key


def test_cached_computes_once_until_invalidated():
    calls = []

    def compute():
        calls.append(1)
        return f"value {len(calls)}"

    assert cached("qr", compute, "abc", 10) == "value 1"
    assert cached("qr", compute, "abc", 10) == "value 1"
    assert cached("qr", compute, "abc", 20) == "value 2"  # other parts, other entry
    invalidate("qr")
    assert cached("qr", compute, "abc", 10) == "value 3"


def test_invalidating_one_namespace_keeps_the_others():
    assert make_key(("verify", "A")) != make_key(("verify", "B"))
    before = make_key(("verify", "B"), "page")
    invalidate(("verify", "A"))
    assert make_key(("verify", "B"), "page") == before


def test_none_is_not_cached():
    calls = []
    cached("x", lambda: calls.append(1), "k")
    cached("x", lambda: calls.append(1), "k")
    assert len(calls) == 2


@pytest.fixture
def view():
    calls = []

    @cache_public_response("catalogue", timeout=60)
    def page(request):
        calls.append(request)
        response = HttpResponse(f"page {len(calls)}")
        response["X-Test"] = "yes"
        return response

    page.calls = calls
    return page


def _get(path="/ky/courses/", user=None, **extra):
    request = RequestFactory().get(path, **extra)
    request.user = user or AnonymousUser()
    return request


def test_public_response_is_cached_per_path_until_invalidated(view):
    assert view(_get()).content == b"page 1"
    cached_response = view(_get())
    assert cached_response.content == b"page 1"
    assert cached_response["X-Test"] == "yes"
    assert view(_get("/ky/courses/?page=2")).content == b"page 2"
    invalidate("catalogue")
    assert view(_get()).content == b"page 3"


def test_signed_in_visitors_and_credentials_are_never_served_from_the_cache(view, participant):
    view(_get())
    assert view(_get(user=participant)).content == b"page 2"
    assert view(_get(HTTP_AUTHORIZATION="Token x")).content == b"page 3"


def test_responses_that_set_cookies_or_fail_are_not_cached():
    calls = []

    @cache_public_response("pages")
    def page(request):
        calls.append(1)
        response = HttpResponse("x", status=200 if len(calls) > 1 else 404)
        if len(calls) == 2:
            response.set_cookie("csrftoken", "secret")
        return response

    page(_get())
    page(_get())
    page(_get())
    page(_get())
    assert len(calls) == 3  # 404 and the cookie answer were not stored; the third was
