"""Production sends pages gzip-compressed (the CSP nonce still matching its header) and hashed static files
with a cache lifetime of a year or more."""

import gzip
import json
import re

import pytest
from django.test import Client, override_settings

from tests.hardening.test_security import _production

NONCE = re.compile(r"'nonce-([A-Za-z0-9_-]+)'")
ONE_YEAR = 31_536_000

PRINT = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({"MIDDLEWARE": s.MIDDLEWARE, "WHITENOISE_MAX_AGE": s.WHITENOISE_MAX_AGE,
                  "STATICFILES": s.STORAGES["staticfiles"]["BACKEND"]}))
"""


@pytest.fixture(scope="module")
def production():
    result = _production(PRINT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _max_age(response):
    return int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))


def test_gzip_comes_after_whitenoise_and_before_every_body_editing_middleware(production):
    middleware = production["MIDDLEWARE"]
    gzip_at = middleware.index("django.middleware.gzip.GZipMiddleware")
    assert gzip_at == middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1
    assert gzip_at < middleware.index("academy.middleware.ContentSecurityPolicyMiddleware")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/redoc/", "/ky/"])
def test_public_pages_are_compressed_and_keep_their_nonce(production, homes, path):
    with override_settings(MIDDLEWARE=production["MIDDLEWARE"]):
        client = Client()
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        plain = client.get(path)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    body = gzip.decompress(response.content).decode()
    assert len(response.content) < len(body)
    assert "</html>" in body
    nonce = NONCE.search(response["Content-Security-Policy"]).group(1)
    inline = [tag for tag in re.findall(r"<script\b[^>]*>", body) if " src=" not in tag]
    assert all(f'nonce="{nonce}"' in tag for tag in inline), inline
    if path == "/api/redoc/":
        assert inline  # the page that proves it has an inline script
    # A client that does not ask for gzip gets the page as is.
    assert "Content-Encoding" not in plain and plain.content.decode().endswith(body[-20:])


def test_hashed_static_files_are_cached_for_a_year_unhashed_for_a_day(production, tmp_path):
    from whitenoise.middleware import WhiteNoiseMiddleware

    (tmp_path / "css").mkdir()
    css = b"body{color:#123}" * 50
    (tmp_path / "css" / "site.css").write_bytes(css)
    (tmp_path / "css" / "site.0123456789ab.css").write_bytes(css)
    manifest = {"paths": {"css/site.css": "css/site.0123456789ab.css"}, "version": "1.1", "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    storage = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES={"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}, "staticfiles": storage},
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
        WHITENOISE_MAX_AGE=production["WHITENOISE_MAX_AGE"],
        MIDDLEWARE=production["MIDDLEWARE"],
        DEBUG=False,
    ):
        from django.contrib.staticfiles.storage import staticfiles_storage

        staticfiles_storage._setup()  # the lazy storage picks up the overridden backend and root
        assert WhiteNoiseMiddleware  # served by the middleware: no view is involved
        client = Client()
        hashed = client.get("/static/css/site.0123456789ab.css")
        plain = client.get("/static/css/site.css")
    assert hashed.status_code == plain.status_code == 200
    assert _max_age(hashed) >= ONE_YEAR and "immutable" in hashed["Cache-Control"]
    assert 3600 <= _max_age(plain) < ONE_YEAR  # a plain name may change content: not for a year
    assert production["STATICFILES"].endswith("CompressedManifestStaticFilesStorage")
