import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "academy.settings.production",
    "DJANGO_SECRET_KEY": "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "academy.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp://localhost:25",
    "WAGTAILADMIN_BASE_URL": "https://academy.example.org",
    "ACADEMY_SIGNING_KEY": "dummy",
}


def _load_production(env, printed="DEBUG"):
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_"))}
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{printed})"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_kyrgyz_is_the_default_language_then_russian_and_english():
    assert settings.LANGUAGE_CODE == "ky"
    assert [code for code, _name in settings.LANGUAGES] == ["ky", "ru", "en"]
    assert settings.TIME_ZONE == "Asia/Bishkek"


def test_production_settings_start_with_all_secrets():
    result = _load_production(PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL"])
def test_production_refuses_to_start_without_a_secret(missing):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    result = _load_production(env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _load_production({**PRODUCTION_ENV, "DJANGO_SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_sqlite_takes_the_write_lock_when_a_transaction_starts():
    from django.db import connection

    if connection.vendor == "sqlite":
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_sessions_come_from_the_cache_only_when_every_process_shares_it():
    from academy.settings.base import resilient_redis, session_engine

    redis = resilient_redis({"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}})
    local = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert session_engine(redis) == "django.contrib.sessions.backends.cached_db"
    assert session_engine(local) == "django.contrib.sessions.backends.db"


def test_production_reads_sessions_from_redis():
    result = _load_production(PRODUCTION_ENV, "SESSION_ENGINE")
    assert result.stdout.strip() == "django.contrib.sessions.backends.cached_db", result.stderr
