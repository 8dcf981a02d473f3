"""Faults: Redis down, a worker killed mid-task, the database unreachable.

Nothing is lost, nothing is sent twice, and nobody sees a traceback.
"""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import OperationalError, connection
from wagtail.models import Locale, Page

from academy.models import OutboxEmail
from cms.services.site import ensure_home_pages
from courses.models import CourseIndexPage, CoursePage
from tests import factories
from tests.hardening.conftest import celery_broker

# --- Redis down ------------------------------------------------------------------------------


def _flush_once_redis_is_back():
    """What beat runs every few minutes: send what was kept in the outbox."""
    from academy.tasks import flush_outbox

    with celery_broker("memory://", eager=True):
        return flush_outbox.delay().get()


@pytest.mark.django_db
def test_an_email_queued_while_redis_is_down_is_kept_and_sent_once_later(
    dead_broker, django_capture_on_commit_callbacks
):
    from academy.services.notifications import queue_email

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        email, created = queue_email(
            key="fault-test:1",
            to="aigul@example.org",
            template="password_reset",
            context={"protocol": "https", "domain": "academy.example.org", "uid": "x", "token": "y", "user": None},
            language="ky",
        )
    assert created
    assert time.monotonic() - started < 5, "publishing to a dead broker must give up quickly"
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.PENDING
    assert mail.outbox == []

    assert _flush_once_redis_is_back() == 1
    assert _flush_once_redis_is_back() == 0
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
    assert [message.to for message in mail.outbox] == [["aigul@example.org"]]


def _register_on_the_site(client, session, user):
    """Register through the public page when it exists, else through the service the page calls."""
    from django.urls import NoReverseMatch, reverse

    client.force_login(user)
    for name in ("session_register", "registration_create", "register"):
        try:
            url = reverse(name, args=[session.pk])
        except NoReverseMatch:
            continue
        response = client.post(url, follow=False)
        assert response.status_code < 500, response.content[:2000]
        return response
    from courses.services.registration import register

    return register(session, user)


@pytest.mark.django_db
def test_registration_succeeds_with_redis_down_and_its_emails_wait_in_the_outbox(
    client, course, participant, dead_broker, django_capture_on_commit_callbacks, clock
):
    from courses.models import Registration

    session = factories.make_session(course, capacity=10)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        _register_on_the_site(client, session, participant)
    assert time.monotonic() - started < 10, "a dead broker must not hang the registration"

    registration = Registration.objects.get(session=session, user=participant)
    assert registration.status in {"confirmed", "pending", "waitlisted"}
    kept = list(OutboxEmail.objects.filter(to=participant.email))
    assert kept, "the registration e-mail was lost while Redis was down (it must wait in the outbox)"
    assert {email.status for email in kept} == {OutboxEmail.Status.PENDING}
    assert mail.outbox == []

    assert _flush_once_redis_is_back() == len(kept)
    assert _flush_once_redis_is_back() == 0
    assert len(mail.outbox) == len(kept)
    assert all(message.to == [participant.email] for message in mail.outbox)
    assert set(OutboxEmail.objects.filter(to=participant.email).values_list("status", flat=True)) == {"sent"}


# --- the database unreachable ---------------------------------------------------------------


@pytest.fixture
def database_down(monkeypatch):
    """Every new cursor fails as it does when PostgreSQL is down or the network to it is cut."""

    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5439 failed: Connection refused')

    monkeypatch.setattr(connection, "_cursor", refuse)
    monkeypatch.setattr(connection, "ensure_connection", refuse)


PAGES_THAT_NEED_THE_DATABASE = [
    "/ky/",
    "/ru/",
    "/ky/accounts/signup/",
    "/en/accounts/login/",
    "/verify/ABCD-1234/",
    "/q/abc123",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES_THAT_NEED_THE_DATABASE)
def test_pages_answer_a_clean_503_when_the_database_is_unreachable(client, homes, database_down, path):
    client.raise_request_exception = False
    response = client.get(path, HTTP_COOKIE="sessionid=abc")
    if response.status_code in (301, 302, 404):  # the page does not exist yet or needs no database
        assert b"Traceback" not in response.content
        return
    assert response.status_code == 503, (path, response.status_code, response.content[:500])
    body = response.content.decode()
    assert "Traceback" not in body and "OperationalError" not in body and "5439" not in body
    assert "Temporarily unavailable" in body
    assert response["Retry-After"]


@pytest.mark.django_db
def test_api_answers_a_json_503_when_the_database_is_unreachable(client, database_down):
    client.raise_request_exception = False
    response = client.get("/api/v1/regions/")
    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"
    assert "OperationalError" not in response.content.decode()


@pytest.mark.django_db
def test_a_form_post_answers_503_and_not_a_traceback_when_the_database_is_unreachable(client, database_down):
    client.raise_request_exception = False
    response = client.post("/en/accounts/login/", {"username": "a@example.org", "password": "x"})
    assert response.status_code == 503
    assert b"Traceback" not in response.content


# --- a worker killed mid-task ---------------------------------------------------------------

WORKER_SCRIPT = textwrap.dedent(
    """
    import os, sys, time
    import django

    django.setup()
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = os.environ["FAULT_MAIL_DIR"]
    if os.environ.get("FAULT_STALL_MARKER"):
        # The first worker stalls inside the task, before the e-mail leaves, until it is killed.
        from django.core.mail.backends.filebased import EmailBackend

        def stall(self, messages):
            open(os.environ["FAULT_STALL_MARKER"], "w").write(str(os.getpid()))
            time.sleep(120)

        EmailBackend.send_messages = stall
    from academy.celery import app

    # Redeliver unacknowledged messages after a few seconds instead of an hour.
    app.conf.broker_transport_options = {
        **app.conf.broker_transport_options,
        "visibility_timeout": 4,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
    app.worker_main(["worker", "--pool=solo", "--loglevel=INFO", "--without-heartbeat", "--without-gossip",
                     "--without-mingle", "-n", sys.argv[1]])
    """
)


def _start_worker(name, log, **extra_env):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "academy.settings.test",
        "ACADEMY_TEST_DATABASE_NAME": connection.settings_dict["NAME"],
        "CELERY_TASK_ALWAYS_EAGER": "0",
        **extra_env,
    }
    return subprocess.Popen(
        [sys.executable, "-c", WORKER_SCRIPT, f"{name}-{os.getpid()}@%h"],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        cwd=settings.BASE_DIR,
    )


def _wait_for(predicate, timeout, message):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(message)


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_task_leaves_the_task_to_be_redone_once(tmp_path):
    """acks_late: the message of a task whose worker died is delivered again, and the task is idempotent."""
    from academy.celery import app
    from academy.tasks import send_outbox_email

    mail_dir, marker, log = tmp_path / "mail", tmp_path / "stalled", tmp_path / "workers.log"
    mail_dir.mkdir()
    email = OutboxEmail.objects.create(key="fault:kill", to="aigul@example.org", subject="S", body_text="B")
    app.conf.task_always_eager = False
    first = second = None
    try:
        first = _start_worker("doomed", log, FAULT_MAIL_DIR=str(mail_dir), FAULT_STALL_MARKER=str(marker))
        send_outbox_email.delay(email.pk)
        _wait_for(marker.exists, 60, "the first worker never started the task: " + log.read_text()[-2000:])
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)

        email.refresh_from_db()
        assert email.status == OutboxEmail.Status.PENDING  # the killed transaction changed nothing
        second = _start_worker("survivor", log, FAULT_MAIL_DIR=str(mail_dir))

        def sent():
            email.refresh_from_db()
            return email.status == OutboxEmail.Status.SENT

        _wait_for(sent, 90, "the task was not redelivered after the worker died: " + log.read_text()[-3000:])
        # A late duplicate delivery (or the beat's flush) changes nothing.
        send_outbox_email.delay(email.pk)
        from academy.tasks import flush_outbox

        flush_outbox.delay()
        time.sleep(3)
    finally:
        app.conf.task_always_eager = True
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
    sent_files = list(Path(mail_dir).iterdir())
    messages = "".join(path.read_text() for path in sent_files)
    assert messages.count("To: aigul@example.org") == 1, messages
    email.refresh_from_db()
    assert email.attempts == 1


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_share_a_batch_and_every_holder_gets_one_email(tmp_path):
    """A batch split in two parts: each real worker issues one, and the second to finish finishes the batch."""
    from academy.celery import app
    from certificates.models import Certificate, IssuanceBatch
    from certificates.services import batches
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
    people = [register(session, factories.participant()) for _ in range(24)]
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    split = {"CERTIFICATES_BATCH_PARTS": "2", "CERTIFICATES_BATCH_MIN_PART": "1", "CERTIFICATES_BATCH_CHUNK": "5"}
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    app.conf.task_always_eager = False
    workers = []
    try:
        workers = [
            _start_worker(name, log, FAULT_MAIL_DIR=str(mail_dir), **split) for name, log in zip(["a", "b"], logs, strict=True)
        ]
        _wait_for(lambda: len(app.control.ping(timeout=1)) >= 2, 60, "the workers did not start")
        batch = batches.start_batch(created_by=factories.academy_admin(), session=session, language="en")

        def finished():
            batch.refresh_from_db()
            return batch.is_finished

        _wait_for(finished, 90, "the batch did not finish: " + "".join(log.read_text()[-2000:] for log in logs))
    finally:
        app.conf.task_always_eager = True
        for process in workers:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    assert (batch.status, batch.parts, batch.processed, batch.issued_count) == ("done", 2, 24, 24)
    tasks_run = [log.read_text().count("issue_certificate_batch_part[") for log in logs]
    dispatched = [log.read_text().count("issue_certificate_batch[") for log in logs]
    assert sum(dispatched) >= 1 and sum(tasks_run) >= 1
    assert all(dispatched[i] or tasks_run[i] for i in range(2)), "one worker did all the work"
    assert sorted(Certificate.objects.values_list("sequence", flat=True)) == list(range(1, 25))
    messages = "".join(path.read_text() for path in mail_dir.iterdir())
    for registration in people:
        assert messages.count(f"To: {registration.user.email}") == 1
    assert IssuanceBatch.objects.count() == 1


# --- the Redis cache down ----------------------------------------------------------------------


DEAD_REDIS_CACHE = {"default": {"BACKEND": "academy.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:9/0"}}


def test_production_uses_the_cache_that_survives_a_redis_outage():
    from tests.hardening.test_security import PRINT_SETTINGS, _production

    result = _production(PRINT_SETTINGS)
    assert result.returncode == 0, result.stderr
    assert '"cache_backend": "academy.cache.ResilientRedisCache"' in result.stdout


def test_a_dead_redis_cache_reads_as_empty_and_fails_fast():
    from academy.cache import ResilientRedisCache

    cache = ResilientRedisCache("redis://127.0.0.1:9/0", {})
    started = time.monotonic()
    assert cache.get("key", "default") == "default"
    assert cache.add("key", 1) is False
    cache.set("key", 1)
    with pytest.raises(ValueError):
        cache.incr("key")
    assert cache.delete("key") is False
    assert time.monotonic() - started < 10


def test_the_redis_cache_keeps_one_client_per_server_instead_of_one_per_call():
    """Django builds a redis.Redis for every cache call; ours keeps one per connection pool (writes go to the
    first server, reads to the others)."""
    from academy.cache import ResilientRedisCache

    single = ResilientRedisCache("redis://127.0.0.1:9/0", {})._cache
    assert single.get_client(write=True) is single.get_client(write=False) is single.get_client("key")
    shared = ResilientRedisCache("redis://127.0.0.1:9/0,redis://127.0.0.1:10/0", {})._cache
    writer, reader = shared.get_client(write=True), shared.get_client(write=False)
    assert writer is not reader
    assert (writer, reader) == (shared.get_client(write=True), shared.get_client(write=False))
    assert writer.connection_pool.connection_kwargs["port"] == 9
    assert reader.connection_pool.connection_kwargs["port"] == 10


@pytest.mark.django_db
def test_login_throttle_and_verification_work_while_the_redis_cache_is_down(client, homes, participant, settings):
    from django.core.cache import caches

    settings.CACHES = DEAD_REDIS_CACHE
    caches._settings = caches.settings = DEAD_REDIS_CACHE
    caches._connections.__dict__.pop("default", None)
    try:
        response = client.post("/en/accounts/login/", {"username": participant.email, "password": "pass-Word-123"})
        assert response.status_code == 302
        assert client.get("/verify/NOSUCHCODE0000/").status_code == 404
        assert client.get("/api/v1/certificates/verify/NOSUCHCODE0000/").status_code == 404
    finally:
        caches._connections.__dict__.pop("default", None)


# --- the other notifications with Redis down ------------------------------------------------------


@pytest.mark.django_db
def test_session_cancellation_emails_wait_in_the_outbox_while_redis_is_down(
    course, participant, trainer, dead_broker, django_capture_on_commit_callbacks, clock
):
    from courses.models import Registration
    from courses.services import catalogue

    session = factories.make_session(course, trainers=[trainer], capacity=10)
    session.save()
    Registration.objects.create(session=session, user=participant, status="confirmed")
    with django_capture_on_commit_callbacks(execute=True):
        catalogue.cancel_session(session, user=trainer, reason="Жол жабык")
    kept = list(OutboxEmail.objects.filter(to=participant.email))
    assert len(kept) == 1 and kept[0].status == OutboxEmail.Status.PENDING
    assert mail.outbox == []
    assert _flush_once_redis_is_back() == 1
    assert _flush_once_redis_is_back() == 0


@pytest.mark.django_db
def test_an_assignment_review_email_waits_in_the_outbox_while_redis_is_down(
    course_index, participant, trainer, dead_broker, django_capture_on_commit_callbacks, clock
):
    from courses.models import Registration
    from courses.services import completion
    from tests.attendance.conftest import pdf_bytes, upload

    course = factories.make_course(course_index, title="БАП", requires_assignment=True, assignment_title="БАП")
    session = factories.make_session(course, trainers=[trainer])
    session.save()
    registration = Registration.objects.create(session=session, user=participant, status="confirmed")
    submission = completion.submit_assignment(registration, upload("БАП.pdf", pdf_bytes()), by=participant)
    with django_capture_on_commit_callbacks(execute=True):
        completion.review_assignment(submission, decision="return", feedback="Мөөнөттөрдү кошуңуз.", by=trainer)
    kept = list(OutboxEmail.objects.filter(to=participant.email))
    assert len(kept) == 1 and kept[0].status == OutboxEmail.Status.PENDING
    assert _flush_once_redis_is_back() == 1
