"""Settings shared by every environment; each value that differs comes from the environment."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "academy",
    "cms",
    "cms.search",
    "courses",
    "certificates",
    "reports",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django.contrib.admin",
    "django.contrib.sitemaps",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # `/q/<code>` scanned without a session: answered here, before what a redirect needs none of (courses/middleware.py)
    "courses.middleware.ShortLinkMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "academy.middleware.DatabaseUnavailableMiddleware",
    # Last, below any compression: it writes each response's script nonce into the HTML (academy/csp.py).
    "academy.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "academy.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "academy.wsgi.application"

# SQLite by default so `make run` needs no server; production and CI set DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)


def prepared_statements(database):
    """PostgreSQL: the hot paths' queries (`academy.prepared`) become server-side prepared statements on their
    second run in a connection, so PostgreSQL plans them once (planning cost more than running them: ~1.5 of
    ~1.8 ms on "My trainings"). Django's own cursors bind on the client and never prepare, so nothing else
    changes. DATABASE_PREPARE_THRESHOLD=0 turns it off (behind a pooler in transaction mode that does not
    keep prepared statements)."""
    if database["ENGINE"].startswith("django.db.backends.postgresql"):
        threshold = env.int("DATABASE_PREPARE_THRESHOLD", default=1)
        if threshold > 0:
            database.setdefault("OPTIONS", {}).setdefault("prepare_threshold", threshold)
    return database


prepared_statements(DATABASES["default"])
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so the seat check and the
    # insert of a registration cannot interleave between two requests on SQLite either.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "academy.User"
# Every password check (site, Wagtail admin, API token) runs under the per-account guessing limit.
AUTHENTICATION_BACKENDS = ["academy.auth_backends.SigninLimitedBackend"]
# The admin's login and password reset forms: the sign-in limits, and the reset e-mail through the outbox.
WAGTAILADMIN_USER_LOGIN_FORM = "academy.accounts.forms.AdminLoginForm"
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "academy.accounts.forms.AdminPasswordResetForm"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "my_trainings"
LOGOUT_REDIRECT_URL = "/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Kyrgyz first, then Russian and English.
LANGUAGE_CODE = "ky"
LANGUAGES = [("ky", "Кыргызча"), ("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bishkek"
# The admin shows the academy's time only: no per-user time zone that would mix with Bishkek time.
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]
USE_I18N = True
USE_TZ = True
# Dates and times as Kyrgyz, Russian and English write them ("2026-жылдын 19-декабры"): see academy.formats.
FORMAT_MODULE_PATH = ["academy.formats"]

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [("ru", "Русский"), ("en", "English")]
# The admin's language for an admin user who has not picked one under Account → Preferences.
ACADEMY_ADMIN_DEFAULT_LANGUAGE = env("ACADEMY_ADMIN_DEFAULT_LANGUAGE", default="ru")
WAGTAIL_SITE_NAME = env("ACADEMY_SITE_NAME", default="Central Asian Academy of Local Governance")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "pptx", "xlsx", "doc", "ppt", "xls", "odt", "txt"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Avatars stay local (an uploaded picture or Wagtail's default): no gravatar requests, which fail offline.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_LOGIN_URL = "wagtailadmin_login"
TAGGIT_CASE_INSENSITIVE = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Private files (assignments, restricted materials) live outside MEDIA_ROOT and are only
# served through views that check permission.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ACADEMY_MAX_UPLOAD_BYTES = env.int("ACADEMY_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)


def resilient_redis(caches):
    """Serve through an outage: a Redis cache (CACHE_URL=rediscache://...) becomes academy.cache.ResilientRedisCache."""
    for config in caches.values():
        if config.get("BACKEND") == "django.core.cache.backends.redis.RedisCache":
            config["BACKEND"] = "academy.cache.ResilientRedisCache"
    return caches


def session_engine(caches):
    """Sessions read from the cache when every process shares it (Redis): one query less on every signed-in
    request. Written through to the database, so a Redis restart or outage signs nobody out. A cache of one
    process (local memory) could keep a session another process has ended: the database alone then."""
    shared = caches["default"]["BACKEND"].endswith("RedisCache")
    return "django.contrib.sessions.backends." + ("cached_db" if shared else "db")


CACHES = resilient_redis({"default": env.cache("CACHE_URL", default="locmemcache://academy")})
SESSION_ENGINE = session_engine(CACHES)
# `/q/` scans are counted in a Redis hash and flushed every minute (courses/services/scan_counts.py): the Redis of
# the cache unless set; empty (the embedded mode) counts each scan with an UPDATE.
ACADEMY_SCAN_COUNTS_REDIS_URL = env(
    "ACADEMY_SCAN_COUNTS_REDIS_URL",
    default=CACHES["default"]["LOCATION"] if CACHES["default"]["BACKEND"].endswith("RedisCache") else "",
)

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Academy <noreply@example.org>")

# Messages beside e-mail (academy/services/messaging, docs/operations.md#messages-by-telegram-and-sms).
# A channel is on when its credentials are set; each person's messages go to the best channel they have.
TELEGRAM_BOT_TOKEN = env("TELEGRAM_BOT_TOKEN", default="")
TELEGRAM_BOT_USERNAME = env("TELEGRAM_BOT_USERNAME", default="")
TELEGRAM_API_URL = env("TELEGRAM_API_URL", default="https://api.telegram.org")
# Telegram sends it back in X-Telegram-Bot-Api-Secret-Token on every webhook call (set by `manage.py telegram_webhook`).
TELEGRAM_WEBHOOK_SECRET = env("TELEGRAM_WEBHOOK_SECRET", default="")
TELEGRAM_LINK_CODE_MINUTES = env.int("TELEGRAM_LINK_CODE_MINUTES", default=30)
# The SMS gateway: a URL template with {phone}, {text}, {sender}, {username}, {password} (URL-encoded when filled).
SMS_URL = env("SMS_URL", default="")
SMS_METHOD = env("SMS_METHOD", default="POST")
SMS_USERNAME = env("SMS_USERNAME", default="")
SMS_PASSWORD = env("SMS_PASSWORD", default="")
SMS_SENDER = env("SMS_SENDER", default="Academy")
MESSAGING_TIMEOUT_SECONDS = env.float("MESSAGING_TIMEOUT_SECONDS", default=10.0)

# Celery: eager by default so the embedded run needs no broker; CELERY_BROKER_URL turns it off.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL == "memory://")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {}

# How many reverse proxies in front of gunicorn append to X-Forwarded-For (0: use REMOTE_ADDR). Throttles
# count per client address, so behind a proxy this must be set or every visitor shares one counter.
ACADEMY_NUM_PROXIES = env.int("ACADEMY_NUM_PROXIES", default=0)
REST_FRAMEWORK = {
    "NUM_PROXIES": ACADEMY_NUM_PROXIES,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "academy.api.authentication.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON with a nesting limit (a deeply nested body would exhaust the recursion limit: a 500).
    "DEFAULT_PARSER_CLASSES": [
        "academy.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "academy.api.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "academy.api.schema.AcademyAutoSchema",
    "EXCEPTION_HANDLER": "academy.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "verify": env("THROTTLE_VERIFY", default="60/min"),
    },
}
# Sign-in, sign-up and password reset limits (academy/services/signin_limits.py), "count/period" with periods
# s, min, h, d (e.g. "10/15min"); several comma-separated rates all apply. Wrong passwords per account pause
# that account's password sign-in; the address ceiling on wrong passwords only stops spraying many accounts.
ACADEMY_SIGNIN_ACCOUNT_LIMIT = env("ACADEMY_SIGNIN_ACCOUNT_LIMIT", default="10/15min")
ACADEMY_SIGNIN_ADDRESS_LIMIT = env("ACADEMY_SIGNIN_ADDRESS_LIMIT", default="100/h")
ACADEMY_SIGNUP_ADDRESS_LIMIT = env("ACADEMY_SIGNUP_ADDRESS_LIMIT", default="10/10s,100/h")
ACADEMY_SIGNUP_EMAIL_LIMIT = env("ACADEMY_SIGNUP_EMAIL_LIMIT", default="5/h")
ACADEMY_PASSWORD_RESET_ADDRESS_LIMIT = env("ACADEMY_PASSWORD_RESET_ADDRESS_LIMIT", default="10/min,50/h")
ACADEMY_PASSWORD_RESET_EMAIL_LIMIT = env("ACADEMY_PASSWORD_RESET_EMAIL_LIMIT", default="3/h")
# An API token unused for this many days stops working; its last use is written at most once an hour.
ACADEMY_API_TOKEN_IDLE_DAYS = env.int("ACADEMY_API_TOKEN_IDLE_DAYS", default=30)
SPECTACULAR_SETTINGS = {
    "TITLE": "Academy API",
    "DESCRIPTION": "Courses, sessions, registrations and certificates of the academy.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "PREPROCESSING_HOOKS": ["academy.api.schema.only_public_api"],
    # OpenAPI 3.1: nullable references and fields in plain JSON Schema, which strict clients accept
    # (academy/api/schema.py; tests/hardening/test_openapi_responses.py checks real responses against it).
    "OAS_VERSION": "3.1.0",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "academy.api.schema.strict_schema",
    ],
    # One stable component per choice set: several models have a `status` (or a language / organisation kind)
    # field with different choices, which drf-spectacular would otherwise name by hash or twice.
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "academy.models.Language",
        "OrganizationKindEnum": "academy.models.OrganizationKind",
        "SessionStatusEnum": "courses.models.SessionStatus",
        "RegistrationStatusEnum": "courses.models.RegistrationStatus",
        "AttendanceStatusEnum": "courses.models.AttendanceStatus",
        "CertificateStatusEnum": "certificates.models.CertificateStatus",
        "CycleStatusEnum": "certificates.models.CycleStatus",
    },
}

# Bumped whenever the text of the personal-data consent changes; signups record it.
ACADEMY_CONSENT_VERSION = "2026-01"
ACADEMY_ADMIN_EMAIL = env("ACADEMY_ADMIN_EMAIL", default="admin@example.org")

# Every handler masks e-mail addresses and +996 phone numbers (academy/logging.py): no personal data in logs.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "academy.logging.PersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["personal_data"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Drop Django's own handlers (console when DEBUG, mail_admins): its records reach the root handler, masked.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
ACADEMY_SIGNING_KEY = env("ACADEMY_SIGNING_KEY", default="")
# Materials: documents always go through Wagtail's serve view, where the `before_serve_document`
# hook of courses.admin.materials checks who may see a restricted material's file.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# The public address printed in QR codes (empty: WAGTAILADMIN_BASE_URL).
ACADEMY_SHORT_LINK_BASE_URL = env("ACADEMY_SHORT_LINK_BASE_URL", default="")

# A dead or unreachable Redis must not hang a web request: publishing gives up within about two seconds
# (the caller keeps the work, e.g. the e-mail stays pending in the outbox for flush_outbox), and the
# worker keeps retrying the broker at start-up instead of exiting.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "socket_timeout": 10, "max_retries": 2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.3, "interval_max": 0.5}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 3
CELERY_REDIS_SOCKET_TIMEOUT = 10
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.3, "interval_max": 0.5}
}
# reports: ask participants of sessions that ended for feedback (idempotent per registration).
CELERY_BEAT_SCHEDULE["feedback-requests"] = {"task": "reports.tasks.send_feedback_requests", "schedule": 60 * 60}
# The people counters of the reports are appended to on every participation; folded to a row per group.
CELERY_BEAT_SCHEDULE["fold-rollup-counters"] = {"task": "reports.tasks.fold_rollup_counters", "schedule": 15 * 60}
# Registration area: reminders 24 h before a session (deduplicated per registration), waitlist safety net, outbox.
CELERY_BEAT_SCHEDULE["session-reminders"] = {
    "task": "courses.tasks.registration.send_session_reminders",
    "schedule": 900.0,
}
CELERY_BEAT_SCHEDULE["pending-digests"] = {
    "task": "courses.tasks.registration.send_pending_digests",
    "schedule": 1800.0,
}
CELERY_BEAT_SCHEDULE["officer-digests"] = {
    "task": "courses.tasks.municipality.send_officer_digests",
    "schedule": 1800.0,
}
CELERY_BEAT_SCHEDULE["flush-scan-counts"] = {"task": "courses.tasks.materials.flush_scan_counts", "schedule": 60.0}
CELERY_BEAT_SCHEDULE["promote-waitlists"] = {"task": "courses.tasks.registration.promote_waitlists", "schedule": 600.0}
# Waitlist offers past their deadline pass to the next person within five minutes.
CELERY_BEAT_SCHEDULE["expire-waitlist-offers"] = {
    "task": "courses.tasks.registration.expire_waitlist_offers",
    "schedule": 300.0,
}
CELERY_BEAT_SCHEDULE["flush-outbox"] = {"task": "academy.tasks.flush_outbox", "schedule": 60.0}
# Pages and revisions an editor scheduled go live (or expire) within five minutes of their time.
CELERY_BEAT_SCHEDULE["publish-scheduled-pages"] = {"task": "cms.tasks.publish_scheduled_pages", "schedule": 300.0}

# Certificates: the prefix of certificate numbers, e.g. CAALG-2026-000123.
CERTIFICATES_NUMBER_PREFIX = env("CERTIFICATES_NUMBER_PREFIX", default="CAALG")
# Bulk issuance: a batch is split into up to this many parts, one Celery task each (set it to the number of
# worker processes), none smaller than CERTIFICATES_BATCH_MIN_PART; a part issues CERTIFICATES_BATCH_CHUNK
# registrations per transaction.
CERTIFICATES_BATCH_PARTS = env.int("CERTIFICATES_BATCH_PARTS", default=2)
CERTIFICATES_BATCH_MIN_PART = env.int("CERTIFICATES_BATCH_MIN_PART", default=100)
CERTIFICATES_BATCH_CHUNK = env.int("CERTIFICATES_BATCH_CHUNK", default=50)
# A running part renews its lease after every chunk; one quiet this long (its worker was killed) is queued again
# by beat, at most CERTIFICATES_STALLED_MAX_REQUEUES times before the batch fails for an admin to look at.
CERTIFICATES_STALLED_AFTER = env.int("CERTIFICATES_STALLED_AFTER", default=300)
CERTIFICATES_STALLED_MAX_REQUEUES = env.int("CERTIFICATES_STALLED_MAX_REQUEUES", default=5)
CELERY_BEAT_SCHEDULE["requeue-stalled-batch-parts"] = {
    "task": "certificates.tasks.requeue_stalled_batch_parts",
    "schedule": 60.0,
}
# Certificates that expire: holders are reminded this many days before (comma-separated), by a daily task
# just after midnight (Bishkek time) that also refreshes the verification of certificates that just expired.
from celery.schedules import crontab  # noqa: E402 (kept beside its only use)

CERTIFICATES_EXPIRY_REMINDER_DAYS = env.list("CERTIFICATES_EXPIRY_REMINDER_DAYS", cast=int, default=[60, 14])
CELERY_BEAT_SCHEDULE["certificate-expiry-reminders"] = {
    "task": "certificates.tasks.send_certificate_expiry_reminders",
    "schedule": crontab(hour=0, minute=5),
}
# Action plans (issue 19.3, docs/action-plans.md): follow-up rounds in months after the session (comma-separated),
# how long the link in the message works, and the daily task (9:10 Bishkek time) that sends each round once.
ACTION_PLAN_FOLLOW_UP_MONTHS = tuple(env.list("ACTION_PLAN_FOLLOW_UP_MONTHS", cast=int, default=[3, 6]))
ACTION_PLAN_LINK_DAYS = env.int("ACTION_PLAN_LINK_DAYS", default=90)
CELERY_BEAT_SCHEDULE["action-plan-follow-ups"] = {
    "task": "courses.tasks.action_plans.send_action_plan_follow_ups",
    "schedule": crontab(hour=9, minute=10),
}
# Session ZIPs of certificate PDFs: up to this many certificates are streamed at once, more are built by a worker.
CERTIFICATES_ZIP_STREAM_LIMIT = env.int("CERTIFICATES_ZIP_STREAM_LIMIT", default=30)
# A 404 under /api/, /q/, /verify/ ... stays a 404 instead of a redirect to /ky/... (academy/middleware.py).
MIDDLEWARE[MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware")] = "academy.middleware.LocaleMiddleware"
