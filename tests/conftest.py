import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import connection

from tests import factories

REQUIRE_SERVICES = os.environ.get("ACADEMY_REQUIRE_SERVICES") == "1"
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
BROKER = os.environ.get("CELERY_BROKER_URL", "")


def _reachable(url, default_port):
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=3):
            return True
    except OSError:
        return False


def pytest_sessionstart(session):
    """With ACADEMY_REQUIRE_SERVICES=1 (CI), an unreachable service fails the run instead of skipping tests."""
    if not REQUIRE_SERVICES:
        return
    problems = []
    if not ON_POSTGRES:
        problems.append("DATABASE_URL does not point at PostgreSQL")
    elif not _reachable(os.environ["DATABASE_URL"], 5432):
        problems.append(f"PostgreSQL is unreachable at {os.environ['DATABASE_URL']}")
    if not BROKER.startswith("redis://"):
        problems.append("CELERY_BROKER_URL does not point at Redis")
    elif not _reachable(BROKER, 6379):
        problems.append(f"Redis is unreachable at {BROKER}")
    if problems:
        pytest.exit("Required services missing: " + "; ".join(problems), returncode=3)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords and not ON_POSTGRES:
            if REQUIRE_SERVICES:
                raise pytest.UsageError("postgres tests must run on PostgreSQL when services are required")
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (run .ci/run or make test-services)"))
        if "worker" in item.keywords and not BROKER.startswith("redis://"):
            item.add_marker(pytest.mark.skip(reason="needs Redis and a Celery worker (run make test-services)"))


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code called outside a request speaks English in tests (the source language); a test that checks
    another language activates it, and requests pick theirs from the URL prefix."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def clock():
    """An injected clock: `clock.move_to(datetime)` moves time for the code under test."""
    import time_machine

    with time_machine.travel(factories.bishkek(2026, 12, 1, 10), tick=False) as traveller:
        yield traveller


@pytest.fixture
def homes(db):
    from cms.services.site import ensure_home_pages

    return ensure_home_pages({"ky": "Академия", "ru": "Академия", "en": "Academy"})


@pytest.fixture
def course_index(homes):
    from courses.models import CourseIndexPage

    index = CourseIndexPage(title="Курстар", slug="courses")
    homes["ky"].add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def course(course_index):
    return factories.make_course(course_index, hours=16)


@pytest.fixture
def participant(db):
    return factories.participant()


@pytest.fixture
def other_participant(db):
    return factories.participant()


@pytest.fixture
def trainer(db):
    return factories.trainer()


@pytest.fixture
def other_trainer(db):
    return factories.trainer()


@pytest.fixture
def admin_user(db):
    return factories.academy_admin()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    # The API answers in the Accept-Language of the caller (Kyrgyz without one); tests read English.
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def celery_worker(django_db_setup, django_db_blocker):
    """A real Celery worker process on Redis, reading the test database. Tests using it must commit."""
    from academy.celery import app

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "academy.settings.test",
        "ACADEMY_TEST_DATABASE_NAME": connection.settings_dict["NAME"],
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    log = Path(settings.BASE_DIR) / ".celery-test-worker.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "academy",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"test-{os.getpid()}@%h",
        ],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        cwd=settings.BASE_DIR,
    )
    app.conf.task_always_eager = False
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            replies = app.control.ping(timeout=1)
            if replies:
                break
            if process.poll() is not None:
                raise RuntimeError("The Celery worker exited: " + log.read_text()[-2000:])
        else:
            raise RuntimeError("The Celery worker did not answer: " + log.read_text()[-2000:])
        yield process
    finally:
        app.conf.task_always_eager = True
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
