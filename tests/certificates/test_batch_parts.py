"""A batch split into parts that workers issue side by side: totals add up, the last part finishes it."""

import pytest

from academy.models import OutboxEmail
from certificates import tasks
from certificates.models import Certificate, IssuanceBatch
from certificates.services import batches, issuance
from tests import factories
from tests.certificates.conftest import register


@pytest.fixture
def split(settings):
    """Parts of two registrations, so a small roster makes several parts."""
    settings.CERTIFICATES_BATCH_PARTS = 3
    settings.CERTIFICATES_BATCH_MIN_PART = 2
    settings.CERTIFICATES_BATCH_CHUNK = 1


@pytest.fixture
def roster(template, past_session):
    """Six registrations: five completed, and the fourth (by key) not completed."""
    people = [register(past_session, factories.participant()) for _ in range(3)]
    people.append(register(past_session, factories.participant(), completed=False))
    people += [register(past_session, factories.participant()) for _ in range(2)]
    return people


def sequences():
    return sorted(Certificate.objects.values_list("sequence", flat=True))


def test_plan_parts_one_per_worker_but_none_too_small(settings):
    settings.CERTIFICATES_BATCH_PARTS, settings.CERTIFICATES_BATCH_MIN_PART = 2, 100
    assert [batches.plan_parts(total) for total in (1, 99, 199, 200, 1000)] == [1, 1, 1, 2, 2]


def test_parts_are_contiguous_slices_that_cover_the_batch(split, roster, past_session, admin_user):
    batch = batches.start_batch(created_by=admin_user, session=past_session, enqueue=False)
    batch.parts = 3
    assert [batches.part_registration_ids(batch, part) for part in range(3)] == [
        [roster[0].pk, roster[1].pk],
        [roster[2].pk, roster[3].pk],
        [roster[4].pk, roster[5].pk],
    ]


def test_the_task_queues_the_other_parts_and_the_batch_adds_them_up(
    split, roster, past_session, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        batch = batches.start_batch(created_by=admin_user, session=past_session, language="en")
    batch.refresh_from_db()
    summary = batches.batch_summary(batch)
    assert (summary["parts"], summary["parts_done"], summary["status"]) == (3, 3, "done")
    assert (summary["total"], summary["processed"], summary["issued"], summary["already_issued"]) == (6, 6, 5, 0)
    assert [(item["registration"], item["code"]) for item in summary["skipped"]] == [(roster[3].pk, "not_completed")]
    assert summary["skipped"][0]["participant"] == roster[3].user.profile.full_name
    assert sequences() == [1, 2, 3, 4, 5]
    assert OutboxEmail.objects.filter(key__startswith="certificate-issued:").count() == 5


def test_the_batch_is_finished_only_by_its_last_part_whatever_the_order(split, roster, past_session, admin_user):
    batch = batches.start_batch(created_by=admin_user, session=past_session, enqueue=False)
    batch, pending = batches.prepare_batch(batch.pk)
    assert pending == [0, 1, 2]
    batch = tasks.issue_certificate_batch_part(batch.pk, 2, "en") and IssuanceBatch.objects.get(pk=batch.pk)
    assert (batch.status, batch.processed, batch.issued_count) == ("running", 2, 2)
    tasks.issue_certificate_batch_part(batch.pk, 0, "en")
    tasks.issue_certificate_batch_part(batch.pk, 2, "en")  # delivered twice: changes nothing
    batch.refresh_from_db()
    assert (batch.status, batch.processed, batch.issued_count, batch.finished_at) == ("running", 4, 4, None)
    assert tasks.issue_certificate_batch_part(batch.pk, 1, "en") == "done"
    batch.refresh_from_db()
    assert (batch.processed, batch.issued_count, batch.existing_count, len(batch.skipped)) == (6, 5, 0, 1)
    assert batch.finished_at is not None
    assert sequences() == [1, 2, 3, 4, 5]


def test_running_every_part_twice_changes_nothing(split, roster, past_session, admin_user):
    batch = batches.run_batch(batches.start_batch(created_by=admin_user, session=past_session, enqueue=False).pk)
    first = batches.batch_summary(batch)
    for part in range(3):
        assert tasks.issue_certificate_batch_part(batch.pk, part, "en") == "done"
    assert tasks.issue_certificate_batch(batch.pk, "en") == "done"
    assert batches.batch_summary(IssuanceBatch.objects.get(pk=batch.pk)) == first
    assert sequences() == [1, 2, 3, 4, 5]


def test_a_part_killed_halfway_is_finished_by_its_redelivery(split, roster, past_session, admin_user, monkeypatch):
    original = issuance.notify_issued_many
    calls = {"count": 0}

    def dying(certificates):
        calls["count"] += 1
        if calls["count"] == 2:
            raise KeyboardInterrupt("the worker was killed")  # in the part's second chunk
        return original(certificates)

    batch = batches.start_batch(created_by=admin_user, session=past_session, enqueue=False)
    batches.prepare_batch(batch.pk)
    tasks.issue_certificate_batch_part(batch.pk, 0, "en")
    monkeypatch.setattr(issuance, "notify_issued_many", dying)
    calls["count"] = 0
    with pytest.raises(KeyboardInterrupt):
        tasks.issue_certificate_batch_part(batch.pk, 2, "en")
    batch.refresh_from_db()
    assert batch.part_state(2) == "running" and batch.processed == 3  # two of part 0, one of part 2
    monkeypatch.setattr(issuance, "notify_issued_many", original)
    for part in (2, 1):
        tasks.issue_certificate_batch_part(batch.pk, part, "en")
    batch.refresh_from_db()
    assert (batch.status, batch.processed, batch.issued_count, batch.existing_count) == ("done", 6, 5, 0)
    assert sequences() == [1, 2, 3, 4, 5]
    assert OutboxEmail.objects.filter(key__startswith="certificate-issued:").count() == 5


def test_a_failed_part_fails_the_batch_and_resuming_finishes_it(
    split, roster, past_session, admin_user, settings, tmp_path
):
    batch = batches.start_batch(created_by=admin_user, session=past_session, enqueue=False)
    batches.prepare_batch(batch.pk)
    tasks.issue_certificate_batch_part(batch.pk, 0, "en")
    settings.CERTIFICATES_FONT_DIR = tmp_path  # the fonts disappear while the batch runs
    tasks.issue_certificate_batch_part(batch.pk, 1, "en")
    batch.refresh_from_db()
    assert batch.status == "failed" and "DejaVuSans.ttf" in batch.error and batch.part_state(1) == "failed"
    assert batches.batch_summary(batch)["finished"] is True

    del settings.CERTIFICATES_FONT_DIR
    batch = batches.run_batch(batch.pk)  # what "Resume" queues, run here
    assert (batch.status, batch.error, batch.processed, batch.issued_count) == ("done", "", 6, 5)
    assert sequences() == [1, 2, 3, 4, 5]


def test_a_part_of_a_missing_or_finished_batch_does_nothing(split, roster, past_session, admin_user):
    assert tasks.issue_certificate_batch_part(424242, 0, "en") is None
    batch = batches.run_batch(batches.start_batch(created_by=admin_user, session=past_session, enqueue=False).pk)
    assert tasks.issue_certificate_batch_part(batch.pk, 7, "en") == "done"
    assert Certificate.objects.count() == 5


def test_a_chunk_costs_the_same_few_queries_whatever_its_size(
    template, past_session, admin_user, django_assert_max_num_queries
):
    """Issuing is a handful of statements per chunk (lock, read, number, three inserts): 5 or 40 cost the same."""
    people = [register(past_session, factories.participant()) for _ in range(45)]
    issuer = issuance.CertificateIssuer(template=template, issued_by=admin_user)
    issuer.facts(past_session)
    with django_assert_max_num_queries(16):  # the first also creates the year's counter row
        assert all(outcome.created for outcome in issuer.issue_many(people[:5]))
    with django_assert_max_num_queries(13):  # one of them: keys already sent by Telegram or SMS
        assert all(outcome.created for outcome in issuer.issue_many(people[5:]))
    assert sequences() == list(range(1, 46))
