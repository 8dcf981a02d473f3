"""A worker SIGKILLed in the middle of a batch, on PostgreSQL and Redis: the stalled part is queued again by
the beat task and finished by another worker, every certificate issued once, numbers without gaps.

The broker would redeliver the killed task only after its visibility timeout (an hour), so a batch that
finishes within the test was finished by `requeue_stalled_batch_parts`.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/certs CELERY_BROKER_URL=redis://127.0.0.1:6379/3 \
     .venv/bin/pytest tests/certificates/test_stalled_parts_worker.py
"""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from django.conf import settings
from django.db import connection
from wagtail.models import Locale, Page

from academy.models import OutboxEmail
from cms.services.site import ensure_home_pages
from courses.models import CourseIndexPage, CoursePage
from tests import factories

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PEOPLE = 30
STALLED_AFTER = 4

WORKER_SCRIPT = textwrap.dedent(
    """
    import os, sys, time
    import django

    django.setup()
    delay = float(os.environ.get("SLOW_CHUNK_SECONDS") or 0)
    if delay:
        # Slow chunks, so the kill lands mid-batch: the pause is inside the chunk's transaction, after it
        # took its numbers from the year's counter (a killed chunk must give them back).
        from certificates.services import issuance

        take_sequences = issuance.take_sequences

        def slow_take_sequences(year, count):
            numbers = take_sequences(year, count)
            time.sleep(delay)
            return numbers

        issuance.take_sequences = slow_take_sequences
    from academy.celery import app

    app.worker_main(["worker", "--pool=solo", "--loglevel=INFO", "--without-heartbeat", "--without-gossip",
                     "--without-mingle", "-n", sys.argv[1]])
    """
)


def start_worker(name, log, **extra_env):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "academy.settings.test",
        "ACADEMY_TEST_DATABASE_NAME": connection.settings_dict["NAME"],
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CERTIFICATES_BATCH_PARTS": "2",
        "CERTIFICATES_BATCH_MIN_PART": "1",
        "CERTIFICATES_BATCH_CHUNK": "3",
        "CERTIFICATES_STALLED_AFTER": str(STALLED_AFTER),
        **extra_env,
    }
    return subprocess.Popen(
        [sys.executable, "-c", WORKER_SCRIPT, f"{name}-{os.getpid()}@%h"],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        cwd=settings.BASE_DIR,
    )


def wait_for(predicate, timeout, message, *, every=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(every)
    raise AssertionError(message())


def stop(process):
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def completed_session():
    from tests.certificates.conftest import make_template, register

    if not Page.objects.filter(depth=1).exists():  # transactional tests empty every table, the root page too
        Page.add_root(
            instance=Page(title="Root", slug="root", locale=Locale.objects.get_or_create(language_code="ky")[0])
        )
    homes = ensure_home_pages({"ky": "Академия", "ru": "Академия", "en": "Academy"})
    index = homes["ky"].add_child(instance=CourseIndexPage(title="Курстар", slug="courses"))
    course = index.add_child(instance=CoursePage(title="Жергиликтүү бюджет", slug="budget", hours=16))
    session = factories.make_session(course, starts_at=factories.bishkek(2026, 11, 10), status="completed")
    make_template()
    people = [register(session, factories.participant()) for _ in range(PEOPLE)]
    return session, people


def test_a_batch_whose_worker_is_killed_is_requeued_and_finished_once(completed_session, tmp_path, capsys):
    from academy.celery import app
    from certificates.models import Certificate, IssuanceBatch
    from certificates.services import batches
    from certificates.tasks import requeue_stalled_batch_parts

    session, people = completed_session
    log = tmp_path / "workers.log"
    app.conf.task_always_eager = False
    doomed = survivor = None
    try:
        doomed = start_worker("doomed", log, SLOW_CHUNK_SECONDS="0.5")
        wait_for(lambda: app.control.ping(timeout=1), 60, lambda: "no worker: " + log.read_text()[-2000:])
        batch = batches.start_batch(created_by=factories.academy_admin(), session=session, language="en")

        def some_progress():
            batch.refresh_from_db()
            return batch.processed >= 3

        wait_for(some_progress, 60, lambda: "the batch never started: " + log.read_text()[-2000:], every=0.05)
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)
        killed_at = time.monotonic()
        batch.refresh_from_db()
        at_kill = (batch.status, batch.parts, batch.processed, Certificate.objects.count())
        assert at_kill[:2] == ("running", 2) and at_kill[2] < PEOPLE, at_kill

        survivor = start_worker("survivor", log)

        def finished():
            requeue_stalled_batch_parts.delay()  # what beat sends every minute
            batch.refresh_from_db()
            return batch.is_finished

        wait_for(finished, 120, lambda: "the batch stalled: " + log.read_text()[-3000:], every=1)
        recovered_in = time.monotonic() - killed_at
    finally:
        app.conf.task_always_eager = True
        stop(doomed)
        stop(survivor)
        try:
            with app.connection_for_write() as broker:
                app.control.purge(connection=broker)
        except Exception:  # noqa: BLE001 - cleanup only
            pass
    batch.refresh_from_db()
    assert (batch.status, batch.processed, batch.issued_count, batch.existing_count) == ("done", PEOPLE, PEOPLE, 0)
    assert sum(batch.part_results[str(part)].get("requeues", 0) for part in range(2)) >= 1
    # Every certificate once, numbers 1..30 without a gap, one e-mail each.
    assert sorted(Certificate.objects.values_list("sequence", flat=True)) == list(range(1, PEOPLE + 1))
    assert Certificate.objects.values("registration").distinct().count() == PEOPLE
    assert set(Certificate.objects.values_list("registration_id", flat=True)) == {r.pk for r in people}
    assert OutboxEmail.objects.filter(key__startswith="certificate-issued:").count() == PEOPLE
    assert IssuanceBatch.objects.count() == 1
    assert "requeue_stalled_batch_parts" in log.read_text()
    with capsys.disabled():
        print(
            f"\n[stalled batch] killed at processed={at_kill[2]}/{PEOPLE} with {at_kill[3]} certificates stored; "
            f"requeued and finished {recovered_in:.1f}s later (stalled after {STALLED_AFTER}s), numbers 1..{PEOPLE}"
        )
