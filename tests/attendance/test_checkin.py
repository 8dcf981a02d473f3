from datetime import timedelta

import pytest
from django.core import signing

from academy.errors import DomainError, PermissionDeniedError
from courses.models import Attendance
from courses.services import attendance as attendance_service
from courses.services import checkin
from tests import factories

from .conftest import register

DAY_START = factories.bishkek(2026, 12, 15, 9, 0)


def _slot(session, index=0):
    return attendance_service.session_slots(session)[index]


def _code(session, trainer, index=0):
    return checkin.issue_code(session, _slot(session, index), by=trainer).code


def test_check_in_records_present_with_method_qr(session, registration, trainer, participant, clock):
    clock.move_to(DAY_START)
    result = checkin.check_in(participant, _code(session, trainer))
    assert not result.already_checked_in
    row = Attendance.objects.get()
    assert (row.registration, row.status, row.method, row.recorded_by) == (registration, "present", "qr", participant)
    registration.refresh_from_db()
    assert registration.attendance_percent == 50
    # Scanning again changes nothing.
    again = checkin.check_in(participant, _code(session, trainer))
    assert again.already_checked_in
    assert Attendance.objects.count() == 1


def test_late_after_fifteen_minutes_and_absent_is_corrected(session, registration, trainer, participant, clock):
    clock.move_to(DAY_START)
    attendance_service.mark_attendance(
        session, [{"registration": registration.pk, "day": "2026-12-15", "status": "absent"}], by=trainer
    )
    clock.move_to(DAY_START + timedelta(minutes=40))
    checkin.check_in(participant, _code(session, trainer))
    row = Attendance.objects.get()
    assert (row.status, row.method) == ("late", "qr")


def test_codes_rotate_every_window(session, trainer, clock):
    clock.move_to(DAY_START)
    first = _code(session, trainer)
    assert _code(session, trainer) == first  # same window, same code
    clock.shift(checkin.ROTATION_SECONDS)
    second = _code(session, trainer)
    assert second != first
    assert checkin.read_code(first).window + 1 == checkin.read_code(second).window


def test_code_stays_valid_two_minutes_after_it_left_the_screen(session, registration, trainer, participant, clock):
    clock.move_to(DAY_START)
    code = _code(session, trainer)
    issued = checkin.read_code(code)
    # The next code is on screen by now, but this one still works for VALID_SECONDS.
    clock.move_to(issued.expires_at - timedelta(seconds=1))
    checkin.check_in(participant, code)
    assert Attendance.objects.count() == 1


def test_expired_code_is_refused_and_changes_nothing(session, registration, trainer, participant, clock):
    clock.move_to(DAY_START)
    code = _code(session, trainer)
    clock.shift(checkin.ROTATION_SECONDS + checkin.VALID_SECONDS + 1)
    with pytest.raises(DomainError) as error:
        checkin.check_in(participant, code)
    assert error.value.code == "expired_code"
    assert "expired" in str(error.value)
    assert not Attendance.objects.exists()


def test_code_from_the_future_is_refused(session, registration, trainer, participant, clock):
    clock.move_to(DAY_START + timedelta(minutes=10))
    code = _code(session, trainer)
    clock.move_to(DAY_START)
    with pytest.raises(DomainError):
        checkin.check_in(participant, code)
    assert not Attendance.objects.exists()


def test_validation_uses_the_server_clock_only(session, registration, trainer, participant, clock):
    """A phone whose clock is minutes off still checks in: its time is never part of the check."""
    clock.move_to(DAY_START)
    code = _code(session, trainer)
    # The server clock moved 100 s; what the participant's phone believes plays no role.
    clock.shift(100)
    checkin.check_in(participant, code)
    assert Attendance.objects.count() == 1


def test_scan_grace_lets_a_participant_log_in_first(session, registration, trainer, participant, clock):
    clock.move_to(DAY_START)
    code = _code(session, trainer)
    scanned_at = DAY_START + timedelta(seconds=20)
    clock.move_to(DAY_START + timedelta(minutes=8))  # the code itself expired
    with pytest.raises(DomainError):
        checkin.read_code(code)
    checkin.check_in(participant, code, scanned_at=scanned_at)
    assert Attendance.objects.count() == 1
    # Not beyond the grace, and a "scan" at a time the code was not valid does not help.
    with pytest.raises(DomainError):
        checkin.read_code(code, now=DAY_START + timedelta(minutes=11), scanned_at=scanned_at)
    with pytest.raises(DomainError):
        checkin.read_code(code, now=DAY_START + timedelta(minutes=8), scanned_at=DAY_START + timedelta(minutes=7))


@pytest.mark.parametrize(
    "forge",
    [
        lambda code: code[:-2] + ("AA" if not code.endswith("AA") else "BB"),  # altered signature
        lambda code: "W1sxLDIsMyw0XQ:" + code.split(":")[-1],  # payload swapped
        lambda code: signing.Signer(salt="another").sign_object([1, 20261215, 0, 1]),
        lambda code: signing.Signer(salt=checkin.SALT).sign_object({"session": 1}),  # right key, bad shape
        lambda code: "garbage",
        lambda code: "",
    ],
)
def test_forged_codes_are_refused(session, registration, trainer, participant, clock, forge):
    clock.move_to(DAY_START)
    with pytest.raises(DomainError) as error:
        checkin.check_in(participant, forge(_code(session, trainer)))
    assert error.value.code == "invalid_code"
    assert not Attendance.objects.exists()


def test_a_code_for_another_session_does_not_fit(session, registration, trainer, participant, course, clock):
    clock.move_to(DAY_START)
    other = factories.make_session(course)
    payload = [other.pk, 20261215, 0, checkin.window_of(DAY_START)]
    code = signing.Signer(salt=checkin.SALT).sign_object(payload)
    with pytest.raises(PermissionDeniedError):
        checkin.check_in(participant, code)
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("status", ["pending", "waitlisted", "cancelled", "rejected", None])
def test_only_confirmed_participants_check_in(session, trainer, other_participant, clock, status):
    clock.move_to(DAY_START)
    if status:
        register(session, other_participant, status=status)
    with pytest.raises(PermissionDeniedError) as error:
        checkin.check_in(other_participant, _code(session, trainer))
    assert "not a confirmed participant" in str(error.value)
    assert not Attendance.objects.exists()


def test_only_trainers_and_admins_issue_codes(session, participant, other_trainer, admin_user):
    slot = _slot(session)
    for user in (participant, other_trainer):
        with pytest.raises(PermissionDeniedError):
            checkin.issue_code(session, slot, by=user)
    assert checkin.issue_code(session, slot, by=admin_user).code


def test_block_codes_and_changed_agenda(block_session, block_registration, trainer, participant, clock):
    clock.move_to(DAY_START)
    code = _code(block_session, trainer, index=1)
    result = checkin.check_in(participant, code)
    assert result.attendance.agenda_item == _slot(block_session, 1).agenda_item
    clock.move_to(DAY_START + timedelta(days=1))
    code = _code(block_session, trainer, index=2)
    _slot(block_session, 2).agenda_item.delete()
    with pytest.raises(DomainError) as error:
        checkin.check_in(participant, code)
    assert "no longer matches" in str(error.value)
    assert Attendance.objects.count() == 1


def test_a_code_for_another_day_is_refused_and_changes_nothing(session, registration, trainer, participant, clock):
    clock.move_to(DAY_START)
    tomorrow = _code(session, trainer, index=1)  # the screen was switched to day two a day early
    with pytest.raises(DomainError) as error:
        checkin.check_in(participant, tomorrow)
    assert error.value.code == "wrong_day"
    assert "only on that day" in str(error.value)
    assert not Attendance.objects.exists()
    # Even kept until day two, it is long expired by then: only a code shown that day works.
    clock.move_to(DAY_START + timedelta(days=1))
    with pytest.raises(DomainError):
        checkin.check_in(participant, tomorrow)
    checkin.check_in(participant, _code(session, trainer, index=1))
    assert Attendance.objects.get().day.isoformat() == "2026-12-16"


def test_cancelled_session(session, registration, trainer, participant, clock):
    clock.move_to(DAY_START)
    code = _code(session, trainer)
    session.status = "cancelled"
    session.save()
    with pytest.raises(DomainError):
        checkin.check_in(participant, code)
    with pytest.raises(DomainError):
        checkin.issue_code(session, _slot(session), by=trainer)
    assert not Attendance.objects.exists()


# --- the check-in's completion reads only what it needs (issue #17) -----------------------------------------


def test_check_in_keeps_a_trainers_override(session, registration, trainer, participant, clock):
    from courses.services import completion

    clock.move_to(DAY_START)
    completion.override_completion(registration, completed=True, reason="Кийин толуктады", by=trainer)
    checkin.check_in(participant, _code(session, trainer))
    registration.refresh_from_db()
    assert registration.attendance_percent == 50  # below the course's rule, yet the override wins
    assert registration.completed_at is not None


def test_check_in_completes_with_an_accepted_assignment_only(assignment_session, participant, trainer, clock):
    from courses.services import completion

    from .conftest import pdf_bytes, upload

    clock.move_to(DAY_START)
    other = factories.participant()
    with_plan, without_plan = register(assignment_session, participant), register(assignment_session, other)
    submission = completion.submit_assignment(with_plan, upload("БАП.pdf", pdf_bytes()), by=participant)
    completion.review_assignment(submission, decision="accept", by=trainer)
    for person in (participant, other):
        checkin.check_in(person, _code(assignment_session, trainer))
    with_plan.refresh_from_db()
    without_plan.refresh_from_db()
    assert (with_plan.attendance_percent, without_plan.attendance_percent) == (50, 50)
    assert with_plan.completed_at is not None and without_plan.completed_at is None


def test_second_scan_of_a_block_course_changes_nothing(block_session, block_registration, trainer, participant, clock):
    clock.move_to(DAY_START)
    first = checkin.check_in(participant, _code(block_session, trainer))
    again = checkin.check_in(participant, _code(block_session, trainer))
    assert (first.already_checked_in, again.already_checked_in) == (False, True)
    assert again.attendance.pk == first.attendance.pk
    row = Attendance.objects.get()
    assert (row.agenda_item_id, row.status, row.method) == (first.slot.agenda_item_id, "present", "qr")
    block_registration.refresh_from_db()
    assert block_registration.attendance_percent == 25  # one block of four
