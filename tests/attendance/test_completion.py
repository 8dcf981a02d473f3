from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail

from academy.errors import DomainError, PermissionDeniedError
from academy.models import OutboxEmail
from courses.models import AssignmentSubmission, CompletionOverride, Registration
from courses.services import attendance as attendance_service
from courses.services import completion
from tests import factories

from .conftest import mark_slots, pdf_bytes, png_bytes, register, upload

AFTER = factories.bishkek(2026, 12, 17, 10)
# On the second day of the sessions: both days can be marked (a day that has not come yet cannot).
SECOND_DAY = factories.bishkek(2026, 12, 16, 12)


def test_rule_met_sets_completed_at(session, registration, trainer, clock):
    clock.move_to(SECOND_DAY)
    mark_slots(session, registration, trainer, ["present"])
    assert registration.completed_at is None and registration.attendance_percent == 50
    clock.shift(3600)
    mark_slots(session, registration, trainer, ["present", "late"])  # late counts as attended
    assert registration.attendance_percent == 100
    first = registration.completed_at
    assert first is not None
    # Re-evaluating later keeps the date it was first reached.
    clock.shift(3600)
    completion.evaluate_completion(registration)
    registration.refresh_from_db()
    assert registration.completed_at == first
    # A correction below the rule clears it.
    mark_slots(session, registration, trainer, ["present", "absent"])
    assert registration.completed_at is None and registration.attendance_percent == 50


def test_threshold_is_exact(block_session, block_registration, trainer):
    """75 % of 4 blocks is 3 blocks."""
    mark_slots(block_session, block_registration, trainer, ["present", "present", "absent", "late"])
    result = completion.evaluate_completion(block_registration)
    assert result.attendance_percent == 75 and result.attendance_met
    assert not result.completed  # the block course also needs an accepted assignment
    assert "assignment" in " ".join(result.missing)


def test_assignment_flow_completes(assignment_session, participant, trainer, clock):
    clock.move_to(SECOND_DAY)
    registration = register(assignment_session, participant)
    mark_slots(assignment_session, registration, trainer, ["present", "present"])
    assert registration.completed_at is None
    submission = completion.submit_assignment(registration, upload("БАП.pdf", pdf_bytes()), by=participant)
    assert submission.status == "submitted" and submission.original_name == "БАП.pdf"
    completion.review_assignment(submission, decision="accept", by=trainer)
    registration.refresh_from_db()
    assert registration.completed_at is not None


def test_file_goes_to_private_storage(assignment_session, participant, settings):
    registration = register(assignment_session, participant)
    submission = completion.submit_assignment(registration, upload("plan.png", png_bytes()), by=participant)
    path = Path(submission.file.path)
    assert path.is_file()
    assert str(path).startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not str(path).startswith(str(settings.MEDIA_ROOT))
    assert "plan" not in path.name  # the stored name is random
    with pytest.raises(ValueError):
        submission.file.url  # noqa: B018 - no public URL, ever


def test_new_upload_replaces_an_unreviewed_one(assignment_session, participant, trainer):
    registration = register(assignment_session, participant)
    first = completion.submit_assignment(registration, upload("a.pdf", pdf_bytes()), by=participant)
    completion.review_assignment(first, decision="return", feedback="Мөөнөттөрдү кошуңуз", by=trainer)
    second = completion.submit_assignment(registration, upload("b.pdf", pdf_bytes()), by=participant)
    third = completion.submit_assignment(registration, upload("c.pdf", pdf_bytes()), by=participant)
    statuses = dict(AssignmentSubmission.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "returned", third.pk: "submitted"}
    assert second.pk not in statuses
    completion.review_assignment(third, decision="accept", by=trainer)
    with pytest.raises(DomainError) as error:
        completion.submit_assignment(registration, upload("d.pdf", pdf_bytes()), by=participant)
    assert "already been accepted" in str(error.value)


def test_bad_uploads_change_nothing(assignment_session, session, participant, other_participant, settings):
    registration = register(assignment_session, participant)
    settings.ACADEMY_MAX_UPLOAD_BYTES = 1000
    cases = [
        (registration, upload("plan.pdf", b"%PDF-" + b"0" * 2000), participant, DomainError),
        (registration, upload("plan.exe", b"MZ"), participant, DomainError),
        (registration, upload("plan.pdf", png_bytes()), participant, DomainError),
        (registration, upload("plan.pdf", b"%PDF-1"), other_participant, PermissionDeniedError),
        (register(session, other_participant), upload("plan.pdf", b"%PDF-1"), other_participant, DomainError),
    ]
    for target, file, user, error in cases:
        with pytest.raises(error):
            completion.submit_assignment(target, file, by=user)
    pending = register(assignment_session, other_participant, status="pending")
    with pytest.raises(DomainError):
        completion.submit_assignment(pending, upload("plan.pdf", b"%PDF-1"), by=other_participant)
    assert not AssignmentSubmission.objects.exists()
    assert not any(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.*"))


def test_review_rules_and_email(
    assignment_session, participant, trainer, other_trainer, django_capture_on_commit_callbacks
):
    registration = register(assignment_session, participant)
    submission = completion.submit_assignment(registration, upload("plan.pdf", pdf_bytes()), by=participant)
    with pytest.raises(PermissionDeniedError):
        completion.review_assignment(submission, decision="accept", by=other_trainer)
    with pytest.raises(PermissionDeniedError):
        completion.review_assignment(submission, decision="accept", by=participant)
    with pytest.raises(DomainError) as error:
        completion.review_assignment(submission, decision="return", feedback="  ", by=trainer)
    assert error.value.field == "feedback"
    with pytest.raises(DomainError) as error:
        completion.review_assignment(submission, decision="maybe", by=trainer)
    assert error.value.field == "decision"
    submission.refresh_from_db()
    assert submission.status == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        completion.review_assignment(
            submission, decision="return", feedback="Бюджетти кошуңуз & мөөнөттөрдү", by=trainer
        )
    assert OutboxEmail.objects.filter(key=f"assignment-reviewed:{submission.pk}").count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [participant.email]
    assert "Бюджетти кошуңуз & мөөнөттөрдү" in message.body  # plain text is not HTML-escaped
    assert f"/ky/my/sessions/{assignment_session.pk}/assignment/" in message.body
    with pytest.raises(DomainError) as error:
        completion.review_assignment(submission, decision="accept", by=trainer)
    assert "already been reviewed" in str(error.value)
    # The task is safe to run twice.
    from courses.tasks.attendance import notify_assignment_reviewed

    assert notify_assignment_reviewed(submission.pk) is False
    assert len(mail.outbox) == 1


def test_override_wins_and_is_audited(session, registration, trainer, other_trainer, admin_user, clock):
    clock.move_to(SECOND_DAY)
    mark_slots(session, registration, trainer, ["present", "absent"])
    result = completion.override_completion(
        registration, completed=True, reason="Ооруп калды, кийин толуктады", by=trainer
    )
    registration.refresh_from_db()
    assert result.completed and registration.completed_at is not None
    clock.shift(60)
    completion.override_completion(registration, completed=False, reason="Ката", by=admin_user)
    registration.refresh_from_db()
    assert registration.completed_at is None
    # Attendance changes do not beat the latest override.
    mark_slots(session, registration, trainer, ["present", "present"])
    assert registration.completed_at is None
    audit = list(CompletionOverride.objects.values_list("completed", "decided_by", "reason"))
    assert audit == [(False, admin_user.pk, "Ката"), (True, trainer.pk, "Ооруп калды, кийин толуктады")]


def test_override_needs_reason_permission_and_confirmation(
    session, registration, trainer, other_trainer, participant, other_participant
):
    with pytest.raises(DomainError) as error:
        completion.override_completion(registration, completed=True, reason="   ", by=trainer)
    assert error.value.field == "reason"
    with pytest.raises(DomainError):
        completion.override_completion(registration, completed=None, reason="x", by=trainer)
    for user in (other_trainer, participant):
        with pytest.raises(PermissionDeniedError):
            completion.override_completion(registration, completed=True, reason="x", by=user)
    pending = register(session, other_participant, status="pending")
    with pytest.raises(DomainError):
        completion.override_completion(pending, completed=True, reason="x", by=trainer)
    assert not CompletionOverride.objects.exists()
    registration.refresh_from_db()
    assert registration.completed_at is None


def test_cancelled_registration_loses_completion(session, registration, trainer):
    mark_slots(session, registration, trainer, ["present", "present"])
    assert registration.completed_at
    Registration.objects.filter(pk=registration.pk).update(status="cancelled")
    completion.evaluate_session(session)
    registration.refresh_from_db()
    assert registration.completed_at is None


def test_finalise(session, registration, trainer, other_trainer, clock):
    clock.move_to(SECOND_DAY)
    mark_slots(session, registration, trainer, ["present", "present"])
    with pytest.raises(PermissionDeniedError):
        completion.finalise_session(session, by=other_trainer)
    result = completion.finalise_session(session, by=trainer)
    session.refresh_from_db()
    assert (result.completed, result.participants, result.session_completed) == (1, 1, False)
    assert session.status == "open"
    clock.move_to(AFTER)
    result = completion.finalise_session(session, by=trainer)
    session.refresh_from_db()
    assert result.session_completed and session.status == "completed"
    session.status = "cancelled"
    session.save()
    with pytest.raises(DomainError):
        completion.finalise_session(session, by=trainer)


def test_evaluate_session_runs_bounded_queries(session, trainer, django_assert_max_num_queries):
    registrations = [register(session, factories.participant()) for _ in range(30)]
    slots = attendance_service.session_slots(session)
    attendance_service.mark_attendance(
        session,
        [{"registration": r.pk, "day": slot.day, "status": "present"} for r in registrations for slot in slots],
        by=trainer,
    )
    Registration.objects.update(completed_at=None)
    with django_assert_max_num_queries(8):
        results = completion.evaluate_session(session, now=AFTER - timedelta(days=1))
    assert sum(result.completed for result in results.values()) == 30


def test_a_replaced_file_leaves_the_storage_on_commit(
    assignment_session, participant, django_capture_on_commit_callbacks
):
    registration = register(assignment_session, participant)
    first = completion.submit_assignment(registration, upload("a.pdf", pdf_bytes()), by=participant)
    storage, name = first.file.storage, first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        second = completion.submit_assignment(registration, upload("b.pdf", pdf_bytes()), by=participant)
    assert not storage.exists(name)
    assert storage.exists(second.file.name)


def test_deleting_the_session_deletes_the_handed_in_files_on_commit(
    assignment_session, participant, django_capture_on_commit_callbacks
):
    registration = register(assignment_session, participant)
    submission = completion.submit_assignment(registration, upload("БАП.pdf", pdf_bytes()), by=participant)
    storage, name = submission.file.storage, submission.file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assignment_session.delete()  # the admin's delete: registrations and their files go by cascade
    assert storage.exists(name)  # not before the deletion is committed
    for callback in callbacks:
        callback()
    assert not storage.exists(name)
    assert not AssignmentSubmission.objects.filter(pk=submission.pk).exists()
