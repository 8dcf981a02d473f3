"""Fixtures of the hardening tests: a Celery app pointed at a dead (or live) broker."""

import contextlib
import threading

import pytest

DEAD_BROKER = "redis://127.0.0.1:6390/0"


@contextlib.contextmanager
def celery_broker(broker_url, *, result_backend="cache+memory://", eager=False):
    """Point the project's Celery app at `broker_url` for the duration, then put everything back.

    The app caches its connection pool and result backend; both are dropped so the new URL is really used.
    """
    from academy.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}

    def reset_connections():
        app._pool = None  # not closed: kombu keeps pools per URL and would hand the closed one back
        with contextlib.suppress(AttributeError, KeyError):
            app.__dict__["amqp"]._producer_pool = None
        app._backend_cache = None
        app._local = threading.local()

    app.conf.update(broker_url=broker_url, result_backend=result_backend, task_always_eager=eager)
    reset_connections()
    try:
        yield app
    finally:
        app.conf.update(saved)
        reset_connections()


@pytest.fixture
def dead_broker():
    """Celery (not eager) publishing to a Redis port where nothing listens."""
    with celery_broker(DEAD_BROKER, result_backend=DEAD_BROKER) as app:
        yield app
