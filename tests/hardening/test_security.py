"""Security settings, headers, CSRF on every form, throttling, and no personal data in the logs."""

import io
import json
import logging
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from academy.logging import PersonalDataFilter, mask

ROOT = settings.BASE_DIR
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "academy.settings.production",
    "DJANGO_SECRET_KEY": "ci-dummy-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "DJANGO_ALLOWED_HOSTS": "academy.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp://localhost:25",
    "WAGTAILADMIN_BASE_URL": "https://academy.example.org",
    "ACADEMY_SIGNING_KEY": "ci-dummy-signing-key",
}


def _production(code_or_args, extra_env=None):
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_", "CACHE_", "EMAIL_"))
    }
    args = code_or_args if isinstance(code_or_args, list) else [sys.executable, "-c", code_or_args]
    return subprocess.run(
        args,
        env={**clean, **PRODUCTION_ENV, **(extra_env or {})},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


# --- production settings --------------------------------------------------------------------

PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
names = ["DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER",
         "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "SECURE_CROSS_ORIGIN_OPENER_POLICY",
         "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SECURE",
         "CSRF_COOKIE_SAMESITE", "LANGUAGE_COOKIE_SECURE", "X_FRAME_OPTIONS", "CSRF_TRUSTED_ORIGINS", "ALLOWED_HOSTS",
         "CELERY_TASK_ALWAYS_EAGER", "CELERY_TASK_ACKS_LATE", "CELERY_TASK_REJECT_ON_WORKER_LOST",
         "CELERY_BROKER_CONNECTION_TIMEOUT", "CELERY_TASK_PUBLISH_RETRY_POLICY", "DATA_UPLOAD_MAX_MEMORY_SIZE"]
values = {name: getattr(s, name) for name in names}
values["filters"] = {name: h.get("filters", []) for name, h in s.LOGGING["handlers"].items()}
values["throttles"] = s.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
values["limits"] = {name: getattr(s, name) for name in dir(s) if name.startswith("ACADEMY_") and name.endswith("_LIMIT")}
values["cache_backend"] = s.CACHES["default"]["BACKEND"]
values["STATICFILES"] = s.STORAGES["staticfiles"]["BACKEND"]
print(json.dumps(values, default=list))
"""


@pytest.fixture(scope="module")
def production_settings():
    result = _production(PRINT_SETTINGS)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_are_secure_and_http_only(production_settings):
    values = production_settings
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["LANGUAGE_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"]
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax" and values["CSRF_COOKIE_SAMESITE"] == "Lax"


def test_production_forces_https_and_safe_headers(production_settings):
    values = production_settings
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://academy.example.org"]
    assert values["ALLOWED_HOSTS"] == ["academy.example.org"]
    assert values["STATICFILES"].endswith("CompressedManifestStaticFilesStorage")


def test_production_runs_tasks_on_a_worker_that_acknowledges_late(production_settings):
    values = production_settings
    assert values["CELERY_TASK_ALWAYS_EAGER"] is False
    assert values["CELERY_TASK_ACKS_LATE"] and values["CELERY_TASK_REJECT_ON_WORKER_LOST"]
    assert values["CELERY_BROKER_CONNECTION_TIMEOUT"] <= 5
    assert values["CELERY_TASK_PUBLISH_RETRY_POLICY"]["max_retries"] <= 3


def test_production_throttles_login_signup_and_verification(production_settings):
    assert production_settings["throttles"]["verify"] == "60/min"
    assert production_settings["limits"] == {
        "ACADEMY_SIGNIN_ACCOUNT_LIMIT": "10/15min",
        "ACADEMY_SIGNIN_ADDRESS_LIMIT": "100/h",
        "ACADEMY_SIGNUP_ADDRESS_LIMIT": "10/10s,100/h",
        "ACADEMY_SIGNUP_EMAIL_LIMIT": "5/h",
        "ACADEMY_PASSWORD_RESET_ADDRESS_LIMIT": "10/min,50/h",
        "ACADEMY_PASSWORD_RESET_EMAIL_LIMIT": "3/h",
    }


def test_production_masks_personal_data_in_every_log_handler(production_settings):
    assert production_settings["filters"], "no log handler"
    assert all("personal_data" in filters for filters in production_settings["filters"].values())


def test_production_refuses_a_wildcard_host():
    result = _production("import django; django.setup()", {"DJANGO_ALLOWED_HOSTS": "*"})
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    result = _production([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# --- headers on every response --------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/ky/", "/en/accounts/login/", "/api/v1/regions/"])
def test_responses_carry_the_safe_headers(client, homes, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Server" not in response


@pytest.mark.django_db
def test_error_pages_do_not_show_debug_information(client, homes):
    response = client.get("/ky/no-such-page-at-all/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Traceback" not in body and "urlpatterns" not in body and "DEBUG" not in body


# --- CSRF on every form ---------------------------------------------------------------------

# Views that accept a POST without a CSRF token on purpose, with the reason.
CSRF_EXEMPT = {
    "django.views.i18n.set_language": "only sets the language cookie",
    "academy.accounts.telegram.webhook": "posted by Telegram, authenticated by the secret header it sends back",
}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _sample_path(route):
    """A concrete path for a route: converters and regex groups get plausible values."""
    path = re.sub(r"\(\?P<[^>]+>[^)]*\)", "abcd1234", route)  # named regex groups
    path = re.sub(r"<int:[^>]+>", "1", path)
    path = re.sub(r"<[^>]+>", "abcd1234", path)
    path = re.sub(r"\((?:[^()]|\([^()]*\))*\)[*?]?", "", path)  # other groups (Wagtail's page path): empty
    path = path.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "/").replace("\\", "")
    return "/" + path.lstrip("/")


def _site_views():
    """(path, dotted view name, view) for every non-API, non-admin URL of the site."""
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith(("api/", "admin/", "documents/", "static/", "media/")):
            continue
        view = pattern.callback
        yield _sample_path(route), f"{view.__module__}.{getattr(view, '__name__', type(view).__name__)}", view


@pytest.mark.django_db
def test_every_form_of_the_site_refuses_a_post_without_a_csrf_token(homes, participant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(participant)
    checked, unprotected, unresolved = [], [], []
    for path, name, view in _site_views():
        if name in CSRF_EXEMPT:
            continue
        try:
            if resolve(path).func is not view:
                unresolved.append((path, name))
                continue
        except Resolver404:
            unresolved.append((path, name))
            continue
        response = client.post(path, {"email": "x@example.org", "password": "x", "code": "x"})
        checked.append(path)
        if getattr(view, "csrf_exempt", False) or response.status_code != 403:
            unprotected.append((path, name, response.status_code))
    assert len(checked) > 10
    assert not unresolved, f"the test could not build a path for: {unresolved}"
    assert not unprotected, f"POST without a CSRF token was not refused: {unprotected}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, data",
    [
        ("/ky/accounts/login/", {"username": "a@example.org", "password": "x"}),
        ("/ky/accounts/signup/", {"email": "new@example.org", "password": "pass-Word-123", "consent": "on"}),
        ("/ky/accounts/password-reset/", {"email": "a@example.org"}),
    ],
)
def test_public_forms_refuse_a_post_without_a_csrf_token(homes, path, data):
    response = Client(enforce_csrf_checks=True).post(path, data)
    assert response.status_code == 403
    from academy.models import User

    assert not User.objects.filter(email="new@example.org").exists()


@pytest.mark.django_db
def test_the_api_refuses_a_session_authenticated_write_without_a_csrf_token(participant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(participant)
    response = client.patch("/api/v1/me/", {"position": "Changed"}, content_type="application/json")
    assert response.status_code == 403
    participant.profile.refresh_from_db()
    assert participant.profile.position != "Changed"


@pytest.mark.django_db
def test_the_api_accepts_a_token_without_a_csrf_token(participant):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=participant)
    client = Client(enforce_csrf_checks=True)
    response = client.patch(
        "/api/v1/me/", {"position": "Changed"}, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert response.status_code == 200


# --- throttling -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_pauses_password_guessing_per_account(client, homes, participant):
    for _attempt in range(10):
        response = client.post("/en/accounts/login/", {"username": participant.email, "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/en/accounts/login/", {"username": participant.email, "password": "pass-Word-123"})
    assert response.status_code == 429, "the right password must not get through once the account is paused"
    assert "_auth_user_id" not in client.session
    assert "Too many wrong passwords for this account" in response.content.decode()
    other = Client(REMOTE_ADDR="10.0.0.2")
    response = other.post("/en/accounts/login/", {"username": participant.email, "password": "pass-Word-123"})
    assert response.status_code == 429, "the pause is the account's, from any address"


@pytest.fixture
def strict_api_rates(monkeypatch, settings):
    from rest_framework.throttling import SimpleRateThrottle

    rates = {"login": "3/min", "signup": "3/min", "verify": "3/min"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    return rates


@pytest.mark.django_db
def test_api_token_endpoint_throttles_password_guessing(api_client, participant, strict_api_rates, settings):
    settings.ACADEMY_SIGNIN_ACCOUNT_LIMIT = "3/15min"
    for _attempt in range(3):
        response = api_client.post("/api/v1/auth/token/", {"email": participant.email, "password": "wrong"})
        assert response.status_code in (400, 401, 403)
    response = api_client.post("/api/v1/auth/token/", {"email": participant.email, "password": "pass-Word-123"})
    assert response.status_code == 429
    assert "token" not in response.json()


@pytest.mark.django_db
def test_verification_page_and_api_throttle_code_guessing(client, api_client, homes, strict_api_rates):
    for attempt in range(3):
        assert client.get(f"/verify/GUESS{attempt:04d}/").status_code == 404
    assert client.get("/verify/GUESS9999/").status_code == 429
    for attempt in range(3):
        assert api_client.get(f"/api/v1/certificates/verify/GUESS{attempt:04d}/").status_code == 404
    assert api_client.get("/api/v1/certificates/verify/GUESS9999/").status_code == 429


# --- no personal data in logs ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, hidden",
    [
        ("Registered aigul.toktosunova@example.org", "aigul.toktosunova"),
        ("phone +996 555 123 456", "555 123"),
        ("phone +996(700)12-34-56", "700)12"),
        ("phone 996555123456", "996555123456"),
        ("national 0555 123 456", "0555 123"),
        ("query ?phone=%2B996555123456&x=1", "%2B996555123456"),
    ],
)
def test_mask_hides_emails_and_kyrgyz_phones(text, hidden):
    masked = mask(text)
    assert hidden not in masked
    assert "***" in masked


@pytest.mark.parametrize(
    "text", ["session 2026-12-15 09:00", "registration 1234567", "uuid 0123456789abcdef", "1.5 MB"]
)
def test_mask_leaves_ordinary_numbers_alone(text):
    assert mask(text) == text


def test_every_configured_log_handler_masks_personal_data():
    handlers = [handler for handler in logging.getLogger().handlers if handler.filters]
    assert any(isinstance(f, PersonalDataFilter) for handler in handlers for f in handler.filters)
    for name, config in settings.LOGGING["handlers"].items():
        assert "personal_data" in config.get("filters", []), name


def test_log_records_reach_the_console_masked_with_arguments_and_tracebacks():
    handler = next(h for h in logging.getLogger().handlers if any(isinstance(f, PersonalDataFilter) for f in h.filters))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        log = logging.getLogger("courses.services.registration")
        log.warning("Could not reach %s at %s", "aigul@example.org", "+996 555 123 456")
        try:
            raise ValueError("duplicate key aigul@example.org")
        except ValueError:
            log.exception("Registration of %s failed", "aigul@example.org")
        logging.getLogger("django.request").warning("Bad Request: /ky/accounts/signup/?email=aigul@example.org")
    finally:
        handler.setStream(previous)
    output = stream.getvalue()
    assert "aigul@example.org" not in output and "555 123 456" not in output
    assert "a***@example.org" in output and "+996*******56" in output
    assert "ValueError: duplicate key a***@example.org" in output


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_escape_the_api_throttle(api_client, participant, settings):
    settings.ACADEMY_SIGNIN_ADDRESS_LIMIT = "3/h"  # spraying other accounts, each with a new forged address
    for attempt in range(3):
        api_client.post(
            "/api/v1/auth/token/",
            {"email": f"sprayed{attempt}@example.org", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}",
        )
    response = api_client.post(
        "/api/v1/auth/token/", {"email": participant.email, "password": "wrong"}, HTTP_X_FORWARDED_FOR="10.0.0.99"
    )
    assert response.status_code == 429


@pytest.mark.django_db
def test_behind_a_proxy_each_client_has_its_own_count_and_cannot_forge_it(
    client, homes, participant, strict_api_rates, settings
):
    settings.ACADEMY_NUM_PROXIES = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    # The proxy appends the address it saw; whatever the client wrote before it is not trusted.
    for attempt in range(3):
        forged = f"10.0.0.{attempt}, 203.0.113.7"
        assert client.get(f"/verify/GUESS{attempt:04d}/", HTTP_X_FORWARDED_FOR=forged).status_code == 404
    assert client.get("/verify/GUESS9999/", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7").status_code == 429
    assert client.get("/verify/GUESS9999/", HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 404
