"""The embedded default: SQLite, eager Celery, console e-mail."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Serve static files straight from the app folders while developing; production uses collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# `manage.py seed_scale` (the benchmark data generator) lives beside the benchmarks, not in a domain app.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405

# Links, QR codes and e-mails follow the address the site is served on (academy/base_url.py).
ACADEMY_BASE_URL_FROM_REQUEST = env.bool("ACADEMY_BASE_URL_FROM_REQUEST", default=True)
MIDDLEWARE = [*MIDDLEWARE, "academy.base_url.RequestBaseUrlMiddleware"]  # noqa: F405
