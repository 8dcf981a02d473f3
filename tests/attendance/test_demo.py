from pathlib import Path

from courses.demo import attendance as demo_attendance
from courses.models import AssignmentSubmission, Attendance, Registration, Session
from tests import factories

from .conftest import make_session

NOW = factories.bishkek(2026, 12, 1, 10)


def test_demo_is_idempotent(block_course, course, trainer, settings):
    past_blocks = make_session(block_course, trainers=[trainer], starts_at=factories.bishkek(2026, 10, 5), status="closed")
    factories.make_agenda(past_blocks, blocks_per_day=3)
    past_days = make_session(course, trainers=[trainer], starts_at=factories.bishkek(2026, 11, 2), status="closed")
    upcoming = make_session(course, trainers=[trainer], starts_at=factories.bishkek(2026, 12, 20))
    context = {"now": NOW, "participants": [factories.participant() for _ in range(10)]}

    summary = demo_attendance.seed(context)
    assert "2 past sessions" in summary
    counts = (Registration.objects.count(), Attendance.objects.count(), AssignmentSubmission.objects.count())
    completed = set(Registration.objects.completed().values_list("pk", flat=True))

    demo_attendance.seed(context)
    assert (Registration.objects.count(), Attendance.objects.count(), AssignmentSubmission.objects.count()) == counts
    assert set(Registration.objects.completed().values_list("pk", flat=True)) == completed

    for session in (past_blocks, past_days):
        registrations = list(session.registrations.order_by("pk"))
        assert len(registrations) == 8
        assert sum(r.completed_at is not None for r in registrations) == 7
        below = registrations[-1]
        assert below.completed_at is None and below.attendance_percent < session.course.min_attendance_percent
        assert all(r.completed_at <= NOW for r in registrations if r.completed_at)
    assert not upcoming.registrations.exists()
    assert set(Session.objects.filter(pk__in=[past_blocks.pk, past_days.pk]).values_list("status", flat=True)) == {"completed"}
    assert set(Attendance.objects.values_list("method", flat=True)) == {"roll_call", "qr", "paper"}
    assert Attendance.objects.filter(status="late").exists()

    plans = AssignmentSubmission.objects.accepted()
    assert plans.count() == 7  # only the block course requires the joint action plan
    plan = plans.first()
    path = Path(plan.file.path)
    assert path.read_bytes().startswith(b"%PDF-")
    assert str(path).startswith(str(settings.PRIVATE_MEDIA_ROOT))


def test_demo_without_past_sessions(db):
    assert demo_attendance.seed({"now": NOW, "participants": []}) == "no past sessions"
