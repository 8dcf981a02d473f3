"""Production: every secret from the environment; refuses to start when one is missing."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False


def _required(name):
    value = env(name, default="")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production.")
    return value


SECRET_KEY = _required("DJANGO_SECRET_KEY")
if SECRET_KEY.startswith("dev-only") or len(SECRET_KEY) < 40:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a random value of at least 40 characters.")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the site's host names (no '*').")
DATABASES = {"default": env.db_url_config(_required("DATABASE_URL"))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
prepared_statements(DATABASES["default"])  # noqa: F405
CELERY_BROKER_URL = _required("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = False
CACHES = resilient_redis(  # noqa: F405
    {"default": env.cache_url_config(env("CACHE_URL", default=CELERY_BROKER_URL.replace("redis://", "rediscache://")))}
)
SESSION_ENGINE = session_engine(CACHES)  # noqa: F405
ACADEMY_SCAN_COUNTS_REDIS_URL = env(
    "ACADEMY_SCAN_COUNTS_REDIS_URL",
    default=CACHES["default"]["LOCATION"] if CACHES["default"]["BACKEND"].endswith("RedisCache") else "",
)
vars().update(env.email_url_config(_required("EMAIL_URL")))
WAGTAILADMIN_BASE_URL = _required("WAGTAILADMIN_BASE_URL")
ACADEMY_SIGNING_KEY = _required("ACADEMY_SIGNING_KEY")
if TELEGRAM_BOT_TOKEN:  # noqa: F405 - without the secret anyone could post fake bot updates to the webhook
    TELEGRAM_WEBHOOK_SECRET = _required("TELEGRAM_WEBHOOK_SECRET")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Pages leave gzip-compressed. Listed right below WhiteNoise (which sends static files pre-compressed itself) and
# above every middleware that edits the body: responses pass the list bottom-up, so the CSP middleware (last)
# has written the nonce before GZip compresses. Django's GZip pads each response against BREACH.
MIDDLEWARE = list(MIDDLEWARE)  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1, "django.middleware.gzip.GZipMiddleware"
)
# Static files with a content hash in their name (CompressedManifestStaticFilesStorage) are cached for ten years as
# immutable by WhiteNoise; the few unhashed addresses (e.g. a favicon linked by its plain name) for a day.
WHITENOISE_MAX_AGE = env.int("WHITENOISE_MAX_AGE", default=24 * 3600)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=60 * 60 * 24 * 14)
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# Forms posted from the public site (behind the proxy) are trusted from the site's own origin.
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[WAGTAILADMIN_BASE_URL.rstrip("/")])
