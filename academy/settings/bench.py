"""Load benchmarks (`python -m bench`): production-like, on loopback, without TLS or real e-mail.

What matches production: DEBUG off, PostgreSQL with persistent connections, Redis for the cache
and the Celery broker when the bench finds Redis (tasks are queued, not run in the request),
whitenoise with the compressed manifest storage, gunicorn workers. What differs, and why:
no HTTPS redirect or secure cookies (plain HTTP on 127.0.0.1), throttles raised (every request
comes from one address, yet the throttle code still runs), e-mails dropped, logs at WARNING.
"""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="bench-only-insecure-key-0123456789abcdefghijklmnopqrstuvwxyz")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"

DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/bench_small")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
prepared_statements(DATABASES["default"])  # noqa: F405

CACHES = resilient_redis({"default": env.cache("CACHE_URL", default="locmemcache://bench")})  # noqa: F405
SESSION_ENGINE = session_engine(CACHES)  # noqa: F405
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="cache+memory://")
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

STATIC_ROOT = BASE_DIR / ".bench" / "static"
MEDIA_ROOT = BASE_DIR / ".bench" / "media"
PRIVATE_MEDIA_ROOT = BASE_DIR / ".bench" / "private_media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"

REST_FRAMEWORK = {**REST_FRAMEWORK}  # noqa: F405
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = dict.fromkeys(
    REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}), "1000000/min"
)

LOGGING = {**LOGGING, "root": {**LOGGING["root"], "level": env("LOG_LEVEL", default="WARNING")}}  # noqa: F405

# `manage.py seed_scale` (the benchmark data generator) lives beside the benchmarks, not in a domain app.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
