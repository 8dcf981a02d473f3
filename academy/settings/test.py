"""Tests: SQLite and eager Celery unless DATABASE_URL / CELERY_BROKER_URL point at real services."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"
PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-private-media"
WAGTAILADMIN_BASE_URL = "http://testserver"
CACHES = resilient_redis({"default": env.cache("CACHE_URL", default="locmemcache://tests")})  # noqa: F405
SESSION_ENGINE = session_engine(CACHES)  # noqa: F405
# Scans counted at once, as the tests of the stats expect; tests/materials/test_scan_counts.py turns the buffer on.
ACADEMY_SCAN_COUNTS_REDIS_URL = ""
REST_FRAMEWORK = {**REST_FRAMEWORK}  # noqa: F405
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"verify": "1000/min"}
# The sign-in, sign-up and reset limits (ACADEMY_*_LIMIT) stay the production ones: tests/hardening/
# test_signin_limits.py exercises them, and the cache is cleared before every test.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Tests run tasks eagerly; the `celery_worker` fixture turns that off for tests that need real delivery.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
if CELERY_BROKER_URL.startswith("redis://"):  # noqa: F405
    CELERY_RESULT_BACKEND = CELERY_BROKER_URL  # noqa: F405

# The worker started by the test session reads the database pytest-django created.
if env("ACADEMY_TEST_DATABASE_NAME", default=""):
    DATABASES["default"]["NAME"] = env("ACADEMY_TEST_DATABASE_NAME")  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests read the admin in English (the source language); tests/foundation checks the Russian default.
ACADEMY_ADMIN_DEFAULT_LANGUAGE = "en"

# `manage.py seed_scale` (the benchmark data generator) lives beside the benchmarks, not in a domain app.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
