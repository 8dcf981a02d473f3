"""`/q/` scans buffered in Redis (issue #17): a scan writes nothing to the database, the flush moves the counts
in exactly once, run twice or at the same time, and a scan is never lost while Redis or the database is down."""

import os
import threading
from datetime import timedelta

import pytest
import redis
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from courses.models import ShortLink
from courses.services import scan_counts
from courses.tasks.materials import flush_scan_counts
from tests.performance.conftest import materials

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# A Redis database of its own (the cache's when one is configured would be shared with other tests), one per
# pytest-xdist worker so that parallel runs do not empty each other's buffer.
REDIS_BASE_URL = os.environ.get("ACADEMY_TEST_SCAN_REDIS_URL", "redis://127.0.0.1:6379/")


@pytest.fixture
def buffer(settings, worker_id):
    number = 0 if worker_id == "master" else int(worker_id.removeprefix("gw"))
    redis_url = f"{REDIS_BASE_URL}{12 + number % 4}"
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("ACADEMY_REQUIRE_SERVICES"):
            pytest.fail(f"Redis is unreachable at {redis_url}")
        pytest.skip(f"needs Redis at {redis_url}")
    client.delete(scan_counts.PENDING, *client.keys(scan_counts.FLUSHING + "*"))
    settings.ACADEMY_SCAN_COUNTS_REDIS_URL = redis_url
    yield client
    client.delete(scan_counts.PENDING, *client.keys(scan_counts.FLUSHING + "*"))


@pytest.fixture
def link(course):
    return materials(1, course=course)[0].short_link


def scan(client, link, times=1):
    url = reverse("short_link", kwargs={"code": link.code})
    for _ in range(times):
        assert client.get(url).status_code == 302


def test_a_scan_writes_nothing_to_the_database(client, buffer, link, django_assert_num_queries):
    scan(client, link)  # the first visit fills the lookup cache
    with django_assert_num_queries(0):
        scan(client, link)
    assert ShortLink.objects.get(pk=link.pk).scan_count == 0
    assert scan_counts.pending(link.pk) == 2


def test_the_flush_writes_each_scan_once_and_a_second_run_writes_nothing(client, buffer, link):
    scan(client, link, 3)
    assert flush_scan_counts.apply().get() == 3
    assert flush_scan_counts.apply().get() == 0
    link.refresh_from_db()
    assert link.scan_count == 3 and link.last_scanned_at is not None
    assert scan_counts.pending(link.pk) == 0
    scan(client, link, 2)
    assert scan_counts.flush() == 2
    assert ShortLink.objects.get(pk=link.pk).scan_count == 5


@pytest.mark.postgres
def test_flushes_at_the_same_time_count_every_scan_once(buffer, link):
    for _ in range(50):
        scan_counts.record(link.pk)
    results = []

    def flush_in_own_connection():
        try:
            results.append(scan_counts.flush())
        finally:
            connection.close()

    threads = [threading.Thread(target=flush_in_own_connection) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 50
    assert ShortLink.objects.get(pk=link.pk).scan_count == 50


def test_a_flush_that_fails_keeps_its_counts_for_the_next_run(buffer, link, monkeypatch):
    for _ in range(4):
        scan_counts.record(link.pk)

    def database_down(*args, **kwargs):
        raise OperationalError("the database went away")

    with monkeypatch.context() as patch:
        patch.setattr(scan_counts, "_count_now", database_down)
        with pytest.raises(OperationalError):
            scan_counts.flush()
    scan_counts.record(link.pk)  # a scan after the failure goes to a fresh hash
    assert scan_counts.flush() == 1  # the failed batch is not taken while a run could still be writing it
    later = timezone.now() + timedelta(seconds=scan_counts.LEFTOVER_AFTER_SECONDS + 1)
    assert scan_counts.flush(now=later) == 4
    assert scan_counts.flush(now=later) == 0
    assert ShortLink.objects.get(pk=link.pk).scan_count == 5


def test_while_redis_is_down_a_scan_is_counted_in_the_database(settings, client, link):
    settings.ACADEMY_SCAN_COUNTS_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    scan(client, link, 2)
    assert ShortLink.objects.get(pk=link.pk).scan_count == 2


def test_without_a_buffer_a_scan_is_counted_at_once_and_the_flush_does_nothing(client, link):
    scan(client, link)
    assert ShortLink.objects.get(pk=link.pk).scan_count == 1
    assert scan_counts.flush() == 0
