"""Content-Security-Policy: on every page, inline script only by the response's nonce, cached pages too."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from academy import csp

NONCE = re.compile(r"'nonce-([A-Za-z0-9_-]+)'")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:json|ld\+json)\")[^>]*>", re.I)


def _directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


def _nonce(response):
    return NONCE.search(response["Content-Security-Policy"]).group(1)


def assert_strict(response):
    directives = _directives(response)
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    nonce = _nonce(response)
    body = response.content.decode()
    for tag in INLINE_SCRIPT.findall(body):
        assert f'nonce="{nonce}"' in tag, tag
    assert csp.placeholder() not in body  # the placeholder never reaches the browser


@pytest.mark.parametrize(
    "path",
    ["/ky/", "/ru/", "/en/", "/ky/courses/", "/ky/sessions/", "/ky/accounts/login/", "/ky/accounts/signup/",
     "/verify/NOSUCHCODE/", "/ky/no-such-page/", "/api/docs/", "/api/redoc/"],
)
def test_every_public_page_has_a_strict_policy(client, course, path):
    response = client.get(path, follow=True)
    assert response.status_code in (200, 404)
    assert_strict(response)


def test_the_api_reference_pages_run_no_unnonced_inline_script(client, db):
    docs = client.get("/api/docs/")
    assert "<script src=" in docs.content.decode() and not INLINE_SCRIPT.findall(docs.content.decode())
    start_up = client.get("/api/docs/?script=")
    assert start_up["Content-Type"].startswith("application/javascript")
    redoc = client.get("/api/redoc/").content.decode()
    assert "fonts.googleapis.com" not in redoc  # no style or font from elsewhere
    assert f'nonce="{_nonce(client.get("/api/redoc/"))}"' not in redoc  # a fresh nonce on every response


def test_every_response_gets_a_fresh_nonce_in_header_and_body(client, db):
    first, second = client.get("/api/redoc/"), client.get("/api/redoc/")
    assert _nonce(first) != _nonce(second)
    for response in (first, second):
        assert f'nonce="{_nonce(response)}"' in response.content.decode()


@pytest.mark.urls("tests.hardening.csp_urls")
def test_a_page_served_from_the_cache_carries_the_nonce_of_its_own_header(client, db, monkeypatch):
    from tests.hardening import csp_urls

    renders = []
    monkeypatch.setattr(csp_urls.PAGE, "render", lambda *args, _render=csp_urls.PAGE.render: renders.append(1) or _render(*args))
    first = client.get("/cached-page/")
    second = client.get("/cached-page/")  # from the cache: the body was stored with the placeholder
    assert _nonce(first) != _nonce(second)
    for response in (first, second):
        assert f'nonce="{_nonce(response)}"' in response.content.decode()
        assert csp.placeholder() not in response.content.decode()
    assert len(renders) == 1  # the second came from the cache


def test_trainer_pages_with_inline_scripts_carry_the_nonce(client, course, trainer, clock):
    from tests import factories

    session = factories.make_session(course, trainers=[trainer], starts_at=factories.bishkek(2026, 12, 1))
    session.save()
    factories.make_agenda(session)
    client.force_login(trainer)
    response = client.get(f"/ky/trainer/sessions/{session.pk}/check-in/", follow=True)
    assert response.status_code == 200
    assert INLINE_SCRIPT.findall(response.content.decode())  # the check-in screen does run an inline script
    assert_strict(response)
    # The roll call keeps its script in a static file (the offline worker caches it with the page).
    response = client.get(f"/ky/trainer/sessions/{session.pk}/attendance/", follow=True)
    assert response.status_code == 200
    assert not INLINE_SCRIPT.findall(response.content.decode())
    assert '<script src="/static/js/rollcall.js" defer></script>' in response.content.decode()
    assert_strict(response)


def test_the_admin_policy_allows_what_wagtail_needs_and_nothing_from_elsewhere(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/")
    directives = _directives(response)
    assert "'unsafe-inline'" in directives["script-src"]
    assert not any(source.startswith("'nonce-") for source in directives["script-src"])  # would void unsafe-inline
    assert directives["frame-ancestors"] == ["'self'"]  # the preview panel frames pages of the same site
    assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'self'"]
    assert "https:" not in directives["script-src"]


def test_no_template_has_an_inline_script_without_the_nonce_or_an_inline_event_handler():
    offenders = []
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = template.read_text()
        for tag in INLINE_SCRIPT.findall(text):
            if "nonce=" not in tag:
                offenders.append(f"{template}: {tag}")
        offenders += [f"{template}: {m}" for m in re.findall(r"\son[a-z]+=\"", text)]
        offenders += [f"{template}: javascript: link" for _ in re.findall(r"href=\"javascript:", text)]
    assert not offenders, "\n".join(offenders)


def test_the_nonce_and_the_placeholder_have_the_same_length():
    assert len(csp.new_nonce()) == len(csp.placeholder())
