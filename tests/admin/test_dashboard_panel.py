"""The admin's home page: a panel with the trainer's next sessions and pending work, in a bounded number of queries."""

import re

import pytest

from courses.models import AssignmentSubmission, Attendance, Registration
from tests import factories
from tests.catalogue.conftest import make_session
from tests.factories import bishkek

pytestmark = pytest.mark.django_db

HOME = "/admin/"


def panel(body):
    match = re.search(r"<section[^>]*data-trainer-overview.*?</section>", body, re.S)
    return match.group(0) if match else ""


def row(html, session):
    match = re.search(rf'<tr data-session="{session.pk}">.*?</tr>', html, re.S)
    return match.group(0) if match else ""


@pytest.fixture
def past_session(course, trainer, venue, clock):
    """Ended on 11 Nov 2026 with a confirmed participant and no attendance taken."""
    past = make_session(course, trainers=[trainer], venue=venue, starts_at=bishkek(2026, 11, 10))
    Registration.objects.create(session=past, user=factories.participant(), status="confirmed")
    return past


@pytest.fixture
def busy(session, other_session, past_session):
    """Two confirmed and one pending registration on `session`, one submitted assignment on `past_session`."""
    for status in ("confirmed", "confirmed", "pending"):
        Registration.objects.create(session=session, user=factories.participant(), status=status)
    registration = past_session.registrations.get()
    AssignmentSubmission.objects.create(registration=registration, original_name="essay.pdf", file="x/essay.pdf")
    # another trainer's pending registration stays out of this trainer's panel
    Registration.objects.create(session=other_session, user=factories.participant(), status="pending")
    return session


def test_a_trainer_sees_their_next_sessions_and_pending_work(trainer_client, busy, other_session, past_session):
    html = panel(trainer_client.get(HOME).content.decode())
    assert html, "the panel is missing"
    mine = row(html, busy)
    assert "2 / 25" in mine
    assert busy.venue.name in mine
    assert f"/trainer/sessions/{busy.pk}/attendance/" in mine  # roll call
    assert f"/admin/snippets/courses/session/edit/{busy.pk}/" in mine
    assert not row(html, other_session)
    assert not row(html, past_session)  # ended: not among the next sessions
    assert f"/admin/registrations/session/{busy.pk}/?status=pending" in html
    assert f"/admin/registrations/session/{other_session.pk}/?status=pending" not in html
    assert f"/trainer/sessions/{past_session.pk}/assignments/" in html
    assert re.search(rf'data-pending="attendance"><a href="[^"]*/trainer/sessions/{past_session.pk}/attendance/', html)


def test_attendance_taken_leaves_the_pending_list(trainer_client, trainer, past_session):
    registration = past_session.registrations.get()
    Attendance.objects.create(
        registration=registration,
        day=past_session.starts_at.date(),
        status="present",
        method="roll_call",
        recorded_by=trainer,
    )
    html = panel(trainer_client.get(HOME).content.decode())
    assert 'data-pending="attendance"' not in html


def test_an_admin_sees_every_session(admin_client, busy, other_session):
    html = panel(admin_client.get(HOME).content.decode())
    assert row(html, busy) and row(html, other_session)
    assert f"/admin/registrations/session/{other_session.pk}/?status=pending" in html


def test_the_panel_speaks_the_admin_language(client, trainer, busy, admin_language_of):
    admin_language_of(trainer, "ru")
    client.force_login(trainer)
    html = panel(client.get(HOME).content.decode())
    assert "Ближайшие тренинги" in html and "Next sessions" not in html


def test_participants_get_no_panel(client, participant):
    client.force_login(participant)
    response = client.get(HOME)
    assert not panel(response.content.decode() if response.status_code == 200 else "")


def test_the_panel_needs_a_bounded_number_of_queries(
    trainer_client, trainer, course, venue, busy, django_assert_max_num_queries
):
    trainer_client.get(HOME)  # warm the per-process caches (content types, locales)
    with django_assert_max_num_queries(60) as few:
        trainer_client.get(HOME)
    baseline = len(few.captured_queries)
    for day in range(1, 25):
        extra = make_session(course, trainers=[trainer], venue=venue, starts_at=bishkek(2027, 1, day))
        Registration.objects.create(session=extra, user=factories.participant(), status="pending")
    with django_assert_max_num_queries(baseline):
        trainer_client.get(HOME)
