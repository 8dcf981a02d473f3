"""Fixtures of the attendance area: sessions with trainers, confirmed registrations, files."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import Registration
from tests import factories


def make_session(course, **kwargs):
    """factories.make_session, with the trainers saved (ParentalManyToMany keeps them in memory until save)."""
    from courses.models import Session

    session = factories.make_session(course, **kwargs)
    session.save()
    return Session.objects.select_related("course").get(pk=session.pk)


def register(session, user, status="confirmed"):
    return Registration.objects.create(session=session, user=user, status=status)


def mark_slots(session, registration, trainer, statuses):
    """The trainer marks the registration's first slots (days or blocks) with `statuses`, in order."""
    from courses.services import attendance as attendance_service

    slots = attendance_service.session_slots(session)
    assert len(statuses) <= len(slots)
    attendance_service.mark_attendance(
        session,
        [
            {"registration": registration.pk, "day": slot.day, "agenda_item": slot.agenda_item, "status": status}
            for slot, status in zip(slots, statuses, strict=False)
        ],
        by=trainer,
    )
    registration.refresh_from_db()
    return registration


@pytest.fixture
def session(course, trainer):
    """A two-day session (15–16 Dec 2026) of a per-day course, trained by `trainer`."""
    return make_session(course, trainers=[trainer], status="open")


@pytest.fixture
def registration(session, participant):
    return register(session, participant)


@pytest.fixture
def block_course(course_index):
    return factories.make_course(
        course_index,
        title="Социалдык жоопкерчилик",
        attendance_granularity="block",
        requires_assignment=True,
        assignment_title="БАП",
        min_attendance_percent=75,
    )


@pytest.fixture
def block_session(block_course, trainer):
    session = make_session(block_course, trainers=[trainer], status="open")
    factories.make_agenda(session, blocks_per_day=2)
    return session


@pytest.fixture
def block_registration(block_session, participant):
    return register(block_session, participant)


@pytest.fixture
def assignment_course(course_index):
    return factories.make_course(course_index, title="БАП курсу", requires_assignment=True, min_attendance_percent=50)


@pytest.fixture
def assignment_session(assignment_course, trainer):
    return make_session(assignment_course, trainers=[trainer], status="open")


def pdf_bytes():
    from courses.demo.attendance import action_plan_pdf

    return action_plan_pdf("Өмүрбек Таңатаров", "Тест")


def png_bytes():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def jpg_bytes():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="JPEG")
    return buffer.getvalue()


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def xlsx_bytes():
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def odt_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def named_participant(db):
    """A participant whose name needs ө, ү and ң."""
    user = factories.participant()
    user.profile.full_name = "Өмүрбек Таңатаров"
    user.profile.save()
    return user


@pytest.fixture(autouse=True)
def _after_the_sessions(request):
    """Tests without the `clock` fixture run on a ticking clock standing on the evening of the sessions'
    last day (16 Dec 2026, 19:00), so both days can be marked and the sessions are still on the dashboard."""
    if "clock" in request.fixturenames:
        yield
        return
    import time_machine

    with time_machine.travel(factories.bishkek(2026, 12, 16, 19), tick=True):
        yield
