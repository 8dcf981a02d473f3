"""The offline roll call's sync API, and the refusal of marks for a day that has not come yet."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from academy.errors import DomainError
from courses.models import Attendance, AttendanceChange
from courses.services import attendance as attendance_service
from courses.services import attendance_sync
from tests import factories

from .conftest import make_session, register

DAY1 = factories.bishkek(2026, 12, 15, 9, 0)


def _url(session):
    return reverse("api-session-attendance-sync", args=[session.pk])


def _mark(registration, status="present", day="2026-12-15", at=DAY1, client_id=None, **extra):
    return {
        "client_id": str(client_id or uuid.uuid4()),
        "registration": registration.pk,
        "day": day,
        "status": status,
        "recorded_at": at.isoformat(),
        **extra,
    }


@pytest.fixture
def people(participant, other_participant, trainer, other_trainer, admin_user):
    return {
        "anonymous": None,
        "participant": participant,
        "other_trainer": other_trainer,
        "trainer": trainer,
        "admin": admin_user,
    }


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("anonymous", False), ("participant", False), ("other_trainer", False), ("trainer", True), ("admin", True)],
)
def test_sync_permissions(api_client, people, session, registration, who, allowed):
    if people[who] is not None:
        api_client.force_authenticate(people[who])
    response = api_client.post(_url(session), {"marks": [_mark(registration)]}, format="json")
    if allowed:
        assert response.status_code == 200, response.content
        assert response.json()["applied"] == 1
        assert Attendance.objects.get().status == "present"
    else:
        assert response.status_code in (401, 403)
        assert not Attendance.objects.exists() and not AttendanceChange.objects.exists()


def test_applied_then_the_same_batch_again_is_duplicate(api_client, session, registration, trainer, other_participant):
    second = register(session, other_participant)
    batch = {"marks": [_mark(registration), _mark(second, "late", day="2026-12-16", at=DAY1 + timedelta(days=1))]}
    api_client.force_authenticate(trainer)
    first = api_client.post(_url(session), batch, format="json").json()
    assert [r["outcome"] for r in first["results"]] == ["applied", "applied"]
    assert [r["status"] for r in first["results"]] == ["present", "late"]
    rows = sorted(Attendance.objects.values_list("registration_id", "day", "status", "client_id", "recorded_at"))
    again = api_client.post(_url(session), batch, format="json").json()
    assert (again["applied"], again["duplicate"]) == (0, 2)
    assert [r["status"] for r in again["results"]] == ["present", "late"]
    assert (
        sorted(Attendance.objects.values_list("registration_id", "day", "status", "client_id", "recorded_at")) == rows
    )
    assert AttendanceChange.objects.count() == 2
    # The phone's time is what is kept, not the arrival.
    assert Attendance.objects.get(registration=registration).recorded_at == DAY1


def test_same_id_twice_in_one_batch_counts_once(api_client, session, registration, trainer):
    mark = _mark(registration)
    api_client.force_authenticate(trainer)
    body = api_client.post(_url(session), {"marks": [mark, mark]}, format="json").json()
    assert [r["outcome"] for r in body["results"]] == ["applied", "duplicate"]
    assert Attendance.objects.count() == 1 and AttendanceChange.objects.count() == 1


def test_own_later_correction_is_applied(api_client, session, registration, trainer):
    api_client.force_authenticate(trainer)
    early, late = _mark(registration, "absent"), _mark(registration, "present", at=DAY1 + timedelta(minutes=5))
    body = api_client.post(_url(session), {"marks": [late, early]}, format="json").json()
    assert [r["outcome"] for r in body["results"]] == ["applied", "applied"]
    assert [r["status"] for r in body["results"]] == ["present", "present"]
    assert Attendance.objects.get().status == "present"
    assert set(AttendanceChange.objects.values_list("status", "outcome")) == {
        ("absent", "replaced"),
        ("present", "applied"),
    }


def test_conflict_with_a_later_mark_on_the_server_keeps_the_server_one(
    api_client, session, registration, trainer, admin_user
):
    # An admin marked present at 9:30 online; the trainer's phone marked absent at 9:10 offline.
    attendance_service.mark_attendance(
        session,
        [{"registration": registration.pk, "day": "2026-12-15", "status": "present"}],
        by=admin_user,
        now=DAY1 + timedelta(minutes=30),
    )
    api_client.force_authenticate(trainer)
    body = api_client.post(
        _url(session), {"marks": [_mark(registration, "absent", at=DAY1 + timedelta(minutes=10))]}, format="json"
    ).json()
    result = body["results"][0]
    assert (result["outcome"], result["kept"], result["status"]) == ("conflict", "server", "present")
    assert result["detail"]
    row = Attendance.objects.get()
    assert (row.status, row.recorded_by) == ("present", admin_user)
    assert list(AttendanceChange.objects.values_list("status", "outcome")) == [("absent", "lost")]


def test_conflict_with_an_earlier_mark_on_the_server_keeps_the_phone_one(
    api_client, session, registration, trainer, admin_user
):
    attendance_service.mark_attendance(
        session,
        [{"registration": registration.pk, "day": "2026-12-15", "status": "absent"}],
        by=admin_user,
        now=DAY1,
    )
    api_client.force_authenticate(trainer)
    body = api_client.post(
        _url(session), {"marks": [_mark(registration, "late", at=DAY1 + timedelta(minutes=20))]}, format="json"
    ).json()
    result = body["results"][0]
    assert (result["outcome"], result["kept"], result["status"]) == ("conflict", "yours", "late")
    row = Attendance.objects.get()
    assert (row.status, row.recorded_by, row.recorded_at) == ("late", trainer, DAY1 + timedelta(minutes=20))
    # Both sides of the conflict stay in the audit.
    assert sorted(AttendanceChange.objects.values_list("status", "outcome", "recorded_by")) == [
        ("absent", "replaced", admin_user.pk),
        ("late", "won", trainer.pk),
    ]


def test_marks_not_of_the_session_are_refused_one_by_one(
    api_client, session, registration, trainer, course, other_participant, participant
):
    other_session = make_session(course, trainers=[trainer], starts_at=factories.bishkek(2026, 12, 10))
    foreign = register(other_session, other_participant)
    pending = register(session, factories.participant(), status="pending")
    api_client.force_authenticate(trainer)
    body = api_client.post(
        _url(session),
        {
            "marks": [
                _mark(registration),
                _mark(foreign),
                _mark(pending),
                _mark(registration, day="2026-12-17"),
                {**_mark(registration), "client_id": "not-a-uuid"},
            ]
        },
        format="json",
    )
    # A client_id that is not a UUID is bad input for the whole batch.
    assert body.status_code == 400
    assert "marks[4].client_id" in body.json()["errors"]
    assert not Attendance.objects.exists()
    body = api_client.post(
        _url(session),
        {"marks": [_mark(registration), _mark(foreign), _mark(pending), _mark(registration, day="2026-12-17")]},
        format="json",
    ).json()
    outcomes = [(r["outcome"], r["field"]) for r in body["results"]]
    assert outcomes == [("applied", None), ("refused", "registration"), ("refused", "registration"), ("refused", "day")]
    assert body["refused"] == 3
    assert all(r["detail"] for r in body["results"][1:])
    assert Attendance.objects.count() == 1


def test_refusal_messages_are_translated(api_client, session, registration, trainer, other_participant):
    api_client.force_authenticate(trainer)
    outsider = register(make_session(session.course, trainers=[trainer]), other_participant)
    answers = {}
    for language in ("en", "ru", "ky"):
        body = api_client.post(
            _url(session), {"marks": [_mark(outsider)]}, format="json", HTTP_ACCEPT_LANGUAGE=language
        ).json()
        answers[language] = body["results"][0]["detail"]
    assert answers["en"] == "This person is not registered for this session."
    assert len(set(answers.values())) == 3


def test_bad_batches_answer_400(api_client, session, registration, trainer):
    api_client.force_authenticate(trainer)
    assert api_client.post(_url(session), {"marks": []}, format="json").status_code == 400
    assert api_client.post(_url(session), {"nothing": 1}, format="json").status_code == 400
    too_many = [_mark(registration) for _ in range(attendance_sync.MAX_BATCH + 1)]
    assert api_client.post(_url(session), {"marks": too_many}, format="json").status_code == 400
    bad_status = api_client.post(_url(session), {"marks": [_mark(registration, "here")]}, format="json")
    assert bad_status.status_code == 400 and "marks[0].status" in bad_status.json()["errors"]
    assert not Attendance.objects.exists()


def test_completion_is_reevaluated_once_per_batch(
    api_client, session, registration, trainer, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(trainer)
    marks = [_mark(registration), _mark(registration, day="2026-12-16", at=DAY1 + timedelta(days=1))]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api_client.post(_url(session), {"marks": marks}, format="json")
    assert response.status_code == 200
    assert len(callbacks) == 1
    registration.refresh_from_db()
    assert registration.attendance_percent == 100 and registration.completed_at is not None


def test_a_phone_clock_ahead_does_not_win_later_marks(session, registration, trainer):
    now = factories.bishkek(2026, 12, 15, 12)
    results = attendance_sync.sync_marks(
        session,
        [{**_mark(registration), "day": "2026-12-15", "recorded_at": now + timedelta(hours=5)}],
        by=trainer,
        now=now,
    )
    assert results[0].outcome == "applied"
    assert Attendance.objects.get().recorded_at == now


# A day that has not come yet ---------------------------------------------------------------------


def test_future_day_is_refused_by_the_service_until_it_comes(session, registration, trainer, clock):
    mark = [{"registration": registration.pk, "day": "2026-12-15", "status": "present"}]
    with pytest.raises(DomainError) as error:
        attendance_service.mark_attendance(session, mark, by=trainer)  # the clock says 1 Dec
    assert error.value.field == "day" and "has not come yet" in str(error.value.message)
    assert not Attendance.objects.exists()
    clock.move_to(factories.bishkek(2026, 12, 15, 0, 5))
    attendance_service.mark_attendance(session, mark, by=trainer)
    assert Attendance.objects.get().status == "present"
    with pytest.raises(DomainError):  # the second day still has to come
        attendance_service.mark_attendance(session, [{**mark[0], "day": "2026-12-16"}], by=trainer)


def test_future_day_is_refused_by_the_roll_call_and_the_apis(client, api_client, session, registration, trainer, clock):
    client.force_login(trainer)
    response = client.post(
        reverse("attendance_roll_call", args=[session.pk]),
        {"registration": registration.pk, "day": "2026-12-15", "status": "present"},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert response.status_code == 400 and response.json()["field"] == "day"
    api_client.force_authenticate(trainer)
    response = api_client.post(
        reverse("api-session-attendance", args=[session.pk]),
        [{"registration": registration.pk, "day": "2026-12-15", "status": "present"}],
        format="json",
    )
    assert response.status_code == 400
    body = api_client.post(_url(session), {"marks": [_mark(registration)]}, format="json").json()
    assert (body["results"][0]["outcome"], body["results"][0]["field"]) == ("refused", "day")
    assert not Attendance.objects.exists()


def test_sync_is_in_the_openapi_schema(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/sessions/{session_id}/attendance/sync/" in text
    assert "SyncResponse" in text and "SyncMark" in text
