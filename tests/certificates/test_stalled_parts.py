"""A part whose worker was killed is noticed (no heartbeat for CERTIFICATES_STALLED_AFTER) and queued again.

Fast tests with an injected clock; the real thing (a worker SIGKILLed mid-batch, PostgreSQL and Redis) is in
test_stalled_parts_worker.py.
"""

from datetime import timedelta

import pytest

from academy.models import OutboxEmail
from certificates import tasks
from certificates.models import Certificate
from certificates.services import batches, issuance
from tests import factories
from tests.certificates.conftest import register

STALLED_AFTER = 300


@pytest.fixture
def split(settings):
    settings.CERTIFICATES_BATCH_PARTS = 3
    settings.CERTIFICATES_BATCH_MIN_PART = 2
    settings.CERTIFICATES_BATCH_CHUNK = 1
    settings.CERTIFICATES_STALLED_AFTER = STALLED_AFTER
    settings.CERTIFICATES_STALLED_MAX_REQUEUES = 2


@pytest.fixture
def roster(template, past_session):
    return [register(past_session, factories.participant()) for _ in range(6)]


def sequences():
    return sorted(Certificate.objects.values_list("sequence", flat=True))


def killed_in_second_chunk(monkeypatch):
    """The worker dies (as far as this part is concerned) in the middle of its second chunk."""
    original = issuance.notify_issued_many
    calls = {"count": 0}

    def dying(certificates):
        calls["count"] += 1
        if calls["count"] == 2:
            raise KeyboardInterrupt("SIGKILL")
        return original(certificates)

    monkeypatch.setattr(issuance, "notify_issued_many", dying)
    return lambda: monkeypatch.setattr(issuance, "notify_issued_many", original)


def started(admin_user, session):
    batch = batches.start_batch(created_by=admin_user, session=session, enqueue=False)
    batch, pending = batches.prepare_batch(batch.pk)
    return batch, pending


def test_a_killed_part_is_requeued_after_the_quiet_period_and_finished_without_gaps(
    split, roster, past_session, admin_user, clock, monkeypatch, django_capture_on_commit_callbacks
):
    batch, pending = started(admin_user, past_session)
    assert pending == [0, 1, 2]
    for part in (0, 1):
        batches.run_batch_part(batch.pk, part, owner="task-a")
    revive = killed_in_second_chunk(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        batches.run_batch_part(batch.pk, 2, owner="task-b")
    revive()
    batch.refresh_from_db()
    assert (batch.status, batch.part_state(2), batch.processed) == ("running", "running", 5)

    # Another delivery of the part while the lease is live leaves it alone: maybe its worker is just slow.
    clock.shift(timedelta(seconds=STALLED_AFTER - 1))
    assert batches.stalled_parts() == []
    assert batches.requeue_stalled_parts() == []
    batches.run_batch_part(batch.pk, 2, owner="task-c")
    batch.refresh_from_db()
    assert (batch.part_state(2), batch.processed, batch.part_results["2"]["owner"]) == ("running", 5, "task-b")

    # Quiet for CERTIFICATES_STALLED_AFTER: beat queues it again, and the new task takes the lease over.
    clock.shift(timedelta(seconds=1))
    assert batches.stalled_parts() == [(batch.pk, 2)]
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.requeue_stalled_batch_parts.apply().get() == [[batch.pk, 2]]
    batch.refresh_from_db()
    assert (batch.status, batch.processed, batch.issued_count, batch.parts_done) == ("done", 6, 6, 3)
    assert batch.part_results["2"]["requeues"] == 1
    assert sequences() == [1, 2, 3, 4, 5, 6]
    assert Certificate.objects.values("registration").distinct().count() == 6
    assert OutboxEmail.objects.filter(key__startswith="certificate-issued:").count() == 6
    clock.shift(timedelta(seconds=STALLED_AFTER * 2))
    assert batches.requeue_stalled_parts() == []


def test_a_part_that_never_started_is_requeued_too(
    split, roster, past_session, admin_user, clock, django_capture_on_commit_callbacks
):
    """Its task was lost (the dispatching worker died before the part's task left, a flushed queue)."""
    batch, _pending = started(admin_user, past_session)
    clock.shift(timedelta(seconds=STALLED_AFTER))
    assert batches.stalled_parts() == [(batch.pk, 0), (batch.pk, 1), (batch.pk, 2)]
    with django_capture_on_commit_callbacks(execute=True):
        batches.requeue_stalled_parts()
    batch.refresh_from_db()
    assert (batch.status, batch.issued_count) == ("done", 6)
    assert sequences() == [1, 2, 3, 4, 5, 6]


def test_a_working_part_renews_its_lease_after_every_chunk(split, roster, past_session, admin_user, clock, monkeypatch):
    """Slow chunks (each 2/3 of the quiet period) never look stalled: the heartbeat follows the work."""
    batch, _pending = started(admin_user, past_session)
    original = issuance.CertificateIssuer.issue_many
    seen = []

    def slow(self, registrations):
        clock.shift(timedelta(seconds=STALLED_AFTER * 2 // 3))
        seen.append((batch.pk, 0) in batches.stalled_parts())
        return original(self, registrations)

    monkeypatch.setattr(issuance.CertificateIssuer, "issue_many", slow)
    batches.run_batch_part(batch.pk, 0, owner="task-a")
    assert seen == [False, False]
    batch.refresh_from_db()
    assert batch.part_state(0) == "done"


def test_a_run_that_lost_its_lease_stops_and_the_new_owner_finishes(
    split, roster, past_session, admin_user, clock, monkeypatch
):
    """A worker frozen longer than the quiet period: the part went to another run meanwhile; the frozen one,
    once awake, finishes the chunk it was in and stops instead of running on beside the new owner."""
    batch, _pending = started(admin_user, past_session)
    original = issuance.CertificateIssuer.issue_many
    calls = {"count": 0}

    def frozen(self, registrations):
        calls["count"] += 1
        if calls["count"] == 1:
            clock.shift(timedelta(seconds=STALLED_AFTER))
            assert batches._claim_part(batch.pk, 0, "task-new") is not None
        return original(self, registrations)

    monkeypatch.setattr(issuance.CertificateIssuer, "issue_many", frozen)
    batches.run_batch_part(batch.pk, 0, owner="task-old")
    assert calls["count"] == 1  # stopped after the chunk it was in
    batch.refresh_from_db()
    assert batch.part_results["0"]["owner"] == "task-new"
    batches.run_batch_part(batch.pk, 0, owner="task-new")
    batch.refresh_from_db()
    assert batch.part_state(0) == "done" and batch.part_results["0"]["processed"] == 2
    assert sequences() == [1, 2]


def test_a_redelivery_of_the_same_task_takes_over_at_once(split, roster, past_session, admin_user, monkeypatch):
    batch, _pending = started(admin_user, past_session)
    revive = killed_in_second_chunk(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        batches.run_batch_part(batch.pk, 0, owner="task-a")
    revive()
    batches.run_batch_part(batch.pk, 0, owner="task-a")
    batch.refresh_from_db()
    assert batch.part_state(0) == "done" and sequences() == [1, 2]


def test_a_part_that_keeps_stalling_fails_the_batch_for_an_admin(
    split, roster, past_session, admin_user, clock, monkeypatch, django_capture_on_commit_callbacks
):
    batch, _pending = started(admin_user, past_session)
    for part in (0, 1):
        batches.run_batch_part(batch.pk, part, owner="task-a")
    monkeypatch.setattr(batches, "enqueue_parts", lambda *args: None)  # every requeued task is lost as well
    for _ in range(2):
        clock.shift(timedelta(seconds=STALLED_AFTER))
        with django_capture_on_commit_callbacks(execute=True):
            assert batches.requeue_stalled_parts() == [(batch.pk, 2)]
    clock.shift(timedelta(seconds=STALLED_AFTER))
    assert batches.requeue_stalled_parts() == []
    batch.refresh_from_db()
    assert batch.status == "failed" and batch.part_state(2) == "failed"
    assert "Part 3 stopped 3 times" in batch.error
    monkeypatch.undo()
    batches.run_batch(batch.pk)  # what *Queue again* runs once the cause is fixed
    batch.refresh_from_db()
    assert (batch.status, batch.issued_count, batch.error) == ("done", 6, "")
    assert sequences() == [1, 2, 3, 4, 5, 6]


def test_beat_runs_the_requeue_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["requeue-stalled-batch-parts"]
    assert entry == {"task": "certificates.tasks.requeue_stalled_batch_parts", "schedule": 60.0}
