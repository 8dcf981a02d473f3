"""Bulk issuance: batches with progress in the database, resumable after a crash, run-twice safe."""

import pytest
from django.core.management import CommandError, call_command

from academy.errors import DomainError
from academy.models import OutboxEmail
from certificates import tasks
from certificates.models import Certificate, IssuanceBatch
from certificates.services import batches
from tests import factories
from tests.certificates.conftest import make_template, register


@pytest.fixture
def roster(template, past_session):
    """Four completed registrations, one confirmed but not completed, one cancelled (left out of batches)."""
    done = [register(past_session, factories.participant()) for _ in range(4)]
    unfinished = register(past_session, factories.participant(), completed=False)
    register(past_session, factories.participant(), completed=False, status="cancelled")
    return done, unfinished


def sequences():
    return sorted(Certificate.objects.values_list("sequence", flat=True))


def test_session_batch_issues_and_reports_what_it_skipped(roster, past_session, admin_user, django_capture_on_commit_callbacks):
    done, unfinished = roster
    with django_capture_on_commit_callbacks(execute=True):
        batch = batches.start_batch(created_by=admin_user, session=past_session, language="en")
    batch.refresh_from_db()
    assert batch.status == "done"
    assert batch.total == 5 and batch.processed == 5 and batch.percent == 100
    assert batch.issued_count == 4 and batch.existing_count == 0
    assert [item["registration"] for item in batch.skipped] == [unfinished.pk]
    assert batch.skipped[0]["code"] == "not_completed"
    assert "has not completed" in batch.skipped[0]["reason"]
    assert sequences() == [1, 2, 3, 4]
    assert set(Certificate.objects.values_list("batch", flat=True)) == {batch.pk}


def test_running_a_batch_twice_changes_nothing(roster, past_session, admin_user):
    batch = batches.start_batch(created_by=admin_user, session=past_session, enqueue=False)
    tasks.issue_certificate_batch(batch.pk, "en")
    first = batches.batch_summary(IssuanceBatch.objects.get(pk=batch.pk))
    tasks.issue_certificate_batch(batch.pk, "en")
    assert batches.batch_summary(IssuanceBatch.objects.get(pk=batch.pk)) == first
    assert sequences() == [1, 2, 3, 4]


def test_a_second_batch_counts_existing_certificates(roster, past_session, admin_user):
    first = batches.start_batch(created_by=admin_user, session=past_session, enqueue=False)
    batches.run_batch(first.pk)
    second = batches.start_batch(created_by=admin_user, session=past_session, enqueue=False)
    second = batches.run_batch(second.pk)
    assert second.issued_count == 0 and second.existing_count == 4
    assert Certificate.objects.count() == 4


def test_a_worker_killed_mid_batch_finishes_on_restart_with_no_duplicates_or_gaps(
    roster, past_session, admin_user, monkeypatch, settings
):
    from certificates.services import issuance

    settings.CERTIFICATES_BATCH_CHUNK = 2  # the five registrations in three transactions
    original = issuance.notify_issued_many
    calls = {"count": 0}

    def dying(certificates):
        calls["count"] += 1
        if calls["count"] == 2:
            raise KeyboardInterrupt("the worker was killed")  # inside the second chunk's transaction
        return original(certificates)

    monkeypatch.setattr(issuance, "notify_issued_many", dying)
    batch = batches.start_batch(created_by=admin_user, session=past_session, enqueue=False)
    with pytest.raises(KeyboardInterrupt):
        tasks.issue_certificate_batch(batch.pk, "en")
    assert sequences() == [1, 2]  # the second chunk rolled back with its numbers
    batch.refresh_from_db()
    assert batch.status == "running" and batch.processed == 2 and batch.issued_count == 2

    tasks.issue_certificate_batch(batch.pk, "en")  # the message is delivered again (acks_late)
    batch.refresh_from_db()
    assert batch.status == "done" and batch.runs == 2
    assert batch.issued_count == 4 and batch.existing_count == 0 and batch.processed == 5
    assert sequences() == [1, 2, 3, 4]
    assert Certificate.objects.values("registration").distinct().count() == 4
    assert OutboxEmail.objects.filter(key__startswith="certificate-issued:").count() == 4


def test_selected_registrations(roster, past_session, admin_user):
    done, _unfinished = roster
    batch = batches.start_batch(
        created_by=admin_user, registration_ids=[done[0].pk, done[2].pk], enqueue=False, session=past_session
    )
    batch = batches.run_batch(batch.pk)
    assert batch.issued_count == 2
    assert set(Certificate.objects.values_list("registration", flat=True)) == {done[0].pk, done[2].pk}


def test_selecting_a_registration_that_is_not_completed_is_refused(roster, past_session, admin_user):
    done, unfinished = roster
    with pytest.raises(DomainError) as error:
        batches.start_batch(created_by=admin_user, session=past_session, registration_ids=[done[0].pk, unfinished.pk])
    assert error.value.code == "not_completed"
    assert unfinished.user.profile.full_name in str(error.value)
    assert not IssuanceBatch.objects.exists() and not Certificate.objects.exists()


def test_registrations_of_another_session_are_refused(roster, past_session, course, admin_user):
    other = register(factories.make_session(course, starts_at=factories.bishkek(2026, 10, 1)), factories.participant())
    with pytest.raises(DomainError) as error:
        batches.start_batch(created_by=admin_user, session=past_session, registration_ids=[other.pk])
    assert error.value.code == "not_found"
    assert not IssuanceBatch.objects.exists()


def test_a_broken_template_stops_the_batch_before_anything_is_issued(roster, past_session, admin_user, settings, tmp_path):
    batch = batches.start_batch(created_by=admin_user, session=past_session, enqueue=False)
    settings.CERTIFICATES_FONT_DIR = tmp_path  # the fonts disappear before the worker starts
    batch = batches.run_batch(batch.pk)
    assert batch.status == "failed"
    assert "DejaVuSans.ttf" in batch.error
    assert not Certificate.objects.exists()


def test_a_broken_template_is_refused_when_starting(roster, past_session, admin_user, settings, tmp_path):
    settings.CERTIFICATES_FONT_DIR = tmp_path
    with pytest.raises(DomainError, match="DejaVuSans.ttf"):
        batches.start_batch(created_by=admin_user, session=past_session)
    assert not IssuanceBatch.objects.exists()


def test_an_empty_session_is_refused(template, course, admin_user):
    with pytest.raises(DomainError) as error:
        batches.start_batch(created_by=admin_user, session=factories.make_session(course))
    assert error.value.code == "empty"


def test_resuming_a_finished_batch_is_refused(roster, past_session, admin_user):
    batch = batches.run_batch(batches.start_batch(created_by=admin_user, session=past_session, enqueue=False).pk)
    with pytest.raises(DomainError):
        batches.resume_batch(batch)


def test_task_of_a_missing_batch_does_nothing(db):
    assert tasks.issue_certificate_batch(999999, "en") is None


def test_management_command_issues_and_prints_a_summary(roster, past_session, capsys):
    call_command("issue_certificates", "--session", str(past_session.pk), "--language", "en")
    out = capsys.readouterr().out
    assert "Issued 4, already issued 0, skipped 1 of 5" in out
    call_command("issue_certificates", "--session", str(past_session.pk), "--language", "en")
    assert "Issued 0, already issued 4" in capsys.readouterr().out
    assert sequences() == [1, 2, 3, 4]


def test_management_command_resumes_a_batch(roster, past_session, admin_user, capsys):
    batch = batches.start_batch(created_by=admin_user, session=past_session, enqueue=False)
    call_command("issue_certificates", "--batch", str(batch.pk))
    assert IssuanceBatch.objects.get(pk=batch.pk).status == "done"


def test_management_command_bad_input(db, template):
    with pytest.raises(CommandError, match="no session"):
        call_command("issue_certificates", "--session", "424242")
    with pytest.raises(CommandError, match="no batch"):
        call_command("issue_certificates", "--batch", "424242")


def test_management_command_template_error_is_clear(roster, past_session):
    broken = make_template("Broken", is_default=False)
    broken.signatories.all().delete()
    with pytest.raises(CommandError, match="no certificate template"):
        call_command("issue_certificates", "--session", str(past_session.pk), "--template", "424242")
