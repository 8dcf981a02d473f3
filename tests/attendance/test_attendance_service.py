from datetime import date

import pytest

from academy.errors import DomainError, PermissionDeniedError
from courses.models import Attendance
from courses.services import attendance as service
from tests import factories

from .conftest import make_session, register


def test_day_course_has_one_slot_per_day(session):
    slots = service.session_slots(session)
    assert [slot.day for slot in slots] == [date(2026, 12, 15), date(2026, 12, 16)]
    assert all(slot.agenda_item is None for slot in slots)


def test_block_course_has_one_slot_per_block(block_session):
    slots = service.session_slots(block_session)
    assert len(slots) == 4
    assert all(slot.agenda_item is not None for slot in slots)
    assert slots[0].key == f"b{slots[0].agenda_item.pk}"


def test_block_course_without_agenda_falls_back_to_days(block_course, trainer):
    session = make_session(block_course, trainers=[trainer])
    assert len(service.session_slots(session)) == 2


def test_trainer_marks_attendance(session, registration, trainer):
    rows = service.mark_attendance(
        session,
        [{"registration": registration.pk, "day": "2026-12-15", "status": "present"}],
        by=trainer,
    )
    assert len(rows) == 1
    row = Attendance.objects.get()
    assert (row.status, row.method, row.recorded_by) == ("present", "roll_call", trainer)
    # Changing the mark updates the same row.
    service.mark_attendance(
        session, [{"registration": registration.pk, "day": date(2026, 12, 15), "status": "late"}], by=trainer
    )
    assert Attendance.objects.get().status == "late"
    registration.refresh_from_db()
    assert registration.attendance_percent == 50


def test_block_marks(block_session, block_registration, trainer):
    item = block_session.agenda_items.first()
    service.mark_attendance(
        block_session, [{"registration": block_registration.pk, "agenda_item": item.pk, "status": "present"}], by=trainer
    )
    row = Attendance.objects.get()
    assert row.agenda_item == item and row.day == item.day


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"day": "2026-12-17", "status": "present"}, "day"),
        ({"day": "2026-12-14", "status": "present"}, "day"),
        ({"day": "15.12.2026", "status": "present"}, "day"),
        ({"day": "2026-12-15", "status": "here"}, "status"),
        ({"status": "present"}, "day"),
    ],
)
def test_bad_marks_change_nothing(session, registration, trainer, entry, field):
    good = {"registration": registration.pk, "day": "2026-12-16", "status": "present"}
    with pytest.raises(DomainError) as error:
        service.mark_attendance(session, [good, {"registration": registration.pk, **entry}], by=trainer)
    assert error.value.field == field
    assert not Attendance.objects.exists()


def test_block_of_another_session_is_refused(block_session, block_registration, block_course, trainer):
    other = make_session(block_course, trainers=[trainer])
    factories.make_agenda(other)
    foreign = other.agenda_items.first()
    with pytest.raises(DomainError) as error:
        service.mark_attendance(
            block_session,
            [{"registration": block_registration.pk, "agenda_item": foreign.pk, "status": "present"}],
            by=trainer,
        )
    assert error.value.field == "agenda_item"
    assert "does not belong" in str(error.value)
    assert not Attendance.objects.exists()


def test_block_course_needs_a_block_and_day_course_refuses_one(block_session, block_registration, session, registration, trainer):
    with pytest.raises(DomainError) as error:
        service.mark_attendance(
            block_session, [{"registration": block_registration.pk, "day": "2026-12-15", "status": "present"}], by=trainer
        )
    assert error.value.field == "agenda_item"
    factories.make_agenda(session)
    item = session.agenda_items.first()
    with pytest.raises(DomainError) as error:
        service.mark_attendance(
            session, [{"registration": registration.pk, "agenda_item": item.pk, "status": "present"}], by=trainer
        )
    assert "per day" in str(error.value)
    item = block_session.agenda_items.filter(day=date(2026, 12, 16)).first()
    with pytest.raises(DomainError) as error:
        service.mark_attendance(
            block_session,
            [{"registration": block_registration.pk, "day": "2026-12-15", "agenda_item": item.pk, "status": "present"}],
            by=trainer,
        )
    assert error.value.field == "day"
    assert not Attendance.objects.exists()


def test_only_confirmed_registrations_of_this_session(session, course, trainer, other_participant, participant):
    pending = register(session, other_participant, status="pending")
    with pytest.raises(DomainError) as error:
        service.mark_attendance(session, [{"registration": pending.pk, "day": "2026-12-15", "status": "present"}], by=trainer)
    assert "confirmed" in str(error.value)
    other_session = make_session(course, trainers=[trainer])
    foreign = register(other_session, participant)
    with pytest.raises(DomainError) as error:
        service.mark_attendance(session, [{"registration": foreign.pk, "day": "2026-12-15", "status": "present"}], by=trainer)
    assert error.value.field == "registration"
    with pytest.raises(DomainError):
        service.mark_attendance(session, [{"registration": "x", "day": "2026-12-15", "status": "present"}], by=trainer)
    with pytest.raises(DomainError):
        service.mark_attendance(session, [], by=trainer)
    assert not Attendance.objects.exists()


def test_only_trainers_of_the_session_and_admins(session, registration, other_trainer, participant, admin_user):
    entry = [{"registration": registration.pk, "day": "2026-12-15", "status": "present"}]
    for user in (other_trainer, participant):
        with pytest.raises(PermissionDeniedError):
            service.mark_attendance(session, entry, by=user)
    assert not Attendance.objects.exists()
    service.mark_attendance(session, entry, by=admin_user)
    assert Attendance.objects.count() == 1


def test_method_qr_is_not_for_trainers(session, registration, trainer):
    with pytest.raises(DomainError) as error:
        service.mark_attendance(
            session, [{"registration": registration.pk, "day": "2026-12-15", "status": "present"}], by=trainer, method="qr"
        )
    assert error.value.field == "method"


def test_default_slot_follows_the_clock(block_session, clock):
    slots = service.session_slots(block_session)
    assert service.default_slot(block_session, slots) == slots[0]  # before the session
    clock.move_to(factories.bishkek(2026, 12, 16, 12))  # after the first block of day 2 (9:00–10:30)
    slot = service.default_slot(block_session, slots)
    assert slot.day == date(2026, 12, 16) and slot.agenda_item.starts_at.hour == 11


def test_signin_sheet_data(session, registration, named_participant):
    register(session, named_participant)
    sheet = service.build_signin_sheet(session)
    assert len(sheet.participants) == 2
    assert "Өмүрбек Таңатаров" in [name for name, _detail in sheet.participants]
    assert len(sheet.tables) == 1 and len(sheet.tables[0].columns) == 2
