from datetime import timedelta

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from courses.models import AssignmentSubmission, Attendance, CompletionOverride
from courses.services import attendance as attendance_service
from courses.services import checkin
from courses.services import completion as completion_service
from tests import factories

from .conftest import make_session, pdf_bytes, png_bytes, register, upload

DAY_START = factories.bishkek(2026, 12, 15, 9, 0)
DENIED = (401, 403)


@pytest.fixture
def people(participant, other_participant, trainer, other_trainer, admin_user):
    return {
        "anonymous": None,
        "participant": participant,
        "other_participant": other_participant,
        "trainer": trainer,
        "other_trainer": other_trainer,
        "admin": admin_user,
    }


def _as(api_client, user):
    if user is not None:
        api_client.force_authenticate(user)
    return api_client


ROLES = [
    ("anonymous", False),
    ("participant", False),
    ("other_participant", False),
    ("other_trainer", False),
    ("trainer", True),
    ("admin", True),
]


# Attendance --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "allowed"), ROLES)
def test_mark_attendance_permissions(api_client, people, session, who, allowed):
    registration = register(session, people["participant"])
    response = _as(api_client, people[who]).post(
        reverse("api-session-attendance", args=[session.pk]),
        [{"registration": registration.pk, "day": "2026-12-15", "status": "present"}],
        format="json",
    )
    if allowed:
        assert response.status_code == 200, response.content
        assert response.json()["saved"] == 1
        assert response.json()["records"][0]["status"] == "present"
    else:
        assert response.status_code in DENIED
        assert set(response.json()) == {"detail", "code", "errors"}
    assert Attendance.objects.count() == int(allowed)


@pytest.mark.parametrize(("who", "allowed"), ROLES)
def test_list_attendance_permissions(api_client, people, session, trainer, who, allowed):
    registration = register(session, people["participant"])
    attendance_service.mark_attendance(
        session, [{"registration": registration.pk, "day": "2026-12-15", "status": "late"}], by=trainer
    )
    response = _as(api_client, people[who]).get(reverse("api-session-attendance", args=[session.pk]))
    assert response.status_code == (200 if allowed else response.status_code)
    if allowed:
        assert response.json()["count"] == 1
        assert response.json()["results"][0]["status"] == "late"
    else:
        assert response.status_code in DENIED


def test_object_form_with_paper_method_and_blocks(api_client, block_session, block_registration, trainer):
    items = list(block_session.agenda_items.all())
    api_client.force_authenticate(trainer)
    response = api_client.post(
        reverse("api-session-attendance", args=[block_session.pk]),
        {
            "method": "paper",
            "records": [{"registration": block_registration.pk, "agenda_item": item.pk, "status": "present"} for item in items],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert set(Attendance.objects.values_list("method", flat=True)) == {"paper"}
    block_registration.refresh_from_db()
    assert block_registration.attendance_percent == 100
    listed = api_client.get(reverse("api-session-attendance", args=[block_session.pk]) + f"?agenda_item={items[0].pk}")
    assert listed.json()["count"] == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ([{"registration": "R", "day": "2026-12-15", "status": "present"}], "records[0].registration"),
        ([{"registration": 1, "day": "2026-12-15", "status": "maybe"}], "records[0].status"),
        ([{"registration": 1, "day": "15/12/2026", "status": "present"}], "records[0].day"),
        ([], "records"),
        ({"records": "nope"}, "records"),
        ({"records": [{}], "method": "qr"}, "method"),
        (["x"], "records[0].registration"),
    ],
)
def test_bad_payloads(api_client, session, registration, trainer, payload, field):
    api_client.force_authenticate(trainer)
    response = api_client.post(reverse("api-session-attendance", args=[session.pk]), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not Attendance.objects.exists()


def test_rule_errors_are_translated_and_change_nothing(api_client, session, registration, block_course, trainer):
    other = make_session(block_course, trainers=[trainer])
    factories.make_agenda(other)
    url = reverse("api-session-attendance", args=[session.pk])
    api_client.force_authenticate(trainer)
    outside = api_client.post(
        url,
        [
            {"registration": registration.pk, "day": "2026-12-16", "status": "present"},
            {"registration": registration.pk, "day": "2026-12-20", "status": "present"},
        ],
        format="json",
    )
    assert outside.status_code == 400
    assert outside.json()["errors"] == {"day": ["This day is outside the dates of the session."]}
    foreign = api_client.post(
        url,
        [{"registration": registration.pk, "agenda_item": other.agenda_items.first().pk, "status": "present"}],
        format="json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert foreign.status_code == 400 and foreign.json()["errors"].get("agenda_item")
    assert not Attendance.objects.exists()


def test_attendance_list_runs_bounded_queries(api_client, session, trainer, django_assert_max_num_queries):
    registrations = [register(session, factories.participant()) for _ in range(100)]
    attendance_service.mark_attendance(
        session,
        [{"registration": r.pk, "day": day, "status": "present"} for r in registrations for day in session.days],
        by=trainer,
    )
    api_client.force_authenticate(trainer)
    with django_assert_max_num_queries(8):
        response = api_client.get(reverse("api-session-attendance", args=[session.pk]))
    assert response.json()["count"] == 200 and len(response.json()["results"]) == 20


def test_missing_session(api_client, trainer):
    api_client.force_authenticate(trainer)
    assert api_client.get(reverse("api-session-attendance", args=[999999])).status_code == 404


# Check-in ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "allowed"), ROLES)
def test_check_in_code_permissions(api_client, people, session, who, allowed, clock):
    response = _as(api_client, people[who]).get(reverse("api-check-in-code", args=[session.pk]) + "?day=2026-12-16")
    if allowed:
        assert response.status_code == 200
        assert response.json()["url"].startswith("http://testserver/")
        assert response.json()["day"] == "2026-12-16"
    else:
        assert response.status_code in DENIED


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", DENIED), ("participant", (200,)), ("other_participant", (403,)), ("trainer", (403,)), ("admin", (403,))],
)
def test_check_in_permissions(api_client, people, session, trainer, who, expected, clock):
    clock.move_to(DAY_START)
    register(session, people["participant"])
    code = checkin.issue_code(session, attendance_service.session_slots(session)[0], by=trainer).code
    response = _as(api_client, people[who]).post(reverse("api-check-in"), {"code": code}, format="json")
    assert response.status_code in expected
    assert Attendance.objects.count() == (1 if expected == (200,) else 0)


def test_check_in_with_a_token_and_bad_codes(api_client, session, registration, participant, trainer, clock):
    clock.move_to(DAY_START + timedelta(days=1))
    token = Token.objects.create(user=participant)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    code = checkin.issue_code(session, attendance_service.session_slots(session)[1], by=trainer).code
    for bad in ("forged:code", "", code + "x"):
        response = api_client.post(reverse("api-check-in"), {"code": bad}, format="json")
        assert response.status_code == 400
    clock.shift(60)
    response = api_client.post(reverse("api-check-in"), {"code": code}, format="json")
    assert response.status_code == 200
    assert response.json()["day"] == "2026-12-16" and response.json()["already_checked_in"] is False
    assert api_client.post(reverse("api-check-in"), {"code": code}, format="json").json()["already_checked_in"]
    clock.shift(600)
    expired = api_client.post(reverse("api-check-in"), {"code": code}, format="json")
    assert expired.status_code == 400 and expired.json()["code"] == "expired_code"
    assert Attendance.objects.count() == 1


# Assignments -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("anonymous", False), ("participant", True), ("other_participant", False), ("trainer", False), ("other_trainer", False), ("admin", True)],
)
def test_upload_permissions(api_client, people, assignment_session, who, allowed):
    registration = register(assignment_session, people["participant"])
    response = _as(api_client, people[who]).post(
        reverse("api-registration-assignment", args=[registration.pk]),
        {"file": upload("БАП.pdf", pdf_bytes())},
        format="multipart",
    )
    if allowed:
        assert response.status_code == 201, response.content
        assert response.json()["status"] == "submitted"
        assert response.json()["original_name"] == "БАП.pdf"
        assert "/api/v1/assignments/" in response.json()["download_url"]
    else:
        assert response.status_code in DENIED
    assert AssignmentSubmission.objects.count() == int(allowed)


def test_bad_uploads(api_client, assignment_session, participant, settings):
    registration = register(assignment_session, participant)
    api_client.force_authenticate(participant)
    url = reverse("api-registration-assignment", args=[registration.pk])
    wrong = api_client.post(url, {"file": upload("plan.pdf", png_bytes())}, format="multipart")
    assert wrong.status_code == 400 and wrong.json()["errors"]["file"]
    settings.ACADEMY_MAX_UPLOAD_BYTES = 100
    big = api_client.post(url, {"file": upload("plan.pdf", b"%PDF-" + b"1" * 500)}, format="multipart")
    assert big.status_code == 400 and "too large" in big.json()["detail"]
    missing = api_client.post(url, {}, format="multipart")
    assert missing.status_code == 400
    assert not AssignmentSubmission.objects.exists()
    assert api_client.post(reverse("api-registration-assignment", args=[999999]), {}, format="multipart").status_code == 404


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("anonymous", False), ("participant", True), ("other_participant", False), ("trainer", True), ("other_trainer", False), ("admin", True)],
)
def test_list_and_download_permissions(api_client, people, assignment_session, who, allowed):
    registration = register(assignment_session, people["participant"])
    submission = completion_service.submit_assignment(registration, upload("a.pdf", pdf_bytes()), by=people["participant"])
    client = _as(api_client, people[who])
    listed = client.get(reverse("api-registration-assignment", args=[registration.pk]))
    downloaded = client.get(reverse("api-assignment-file", args=[submission.pk]))
    if allowed:
        assert listed.status_code == 200 and listed.json()[0]["id"] == submission.pk
        assert downloaded.status_code == 200
        assert b"".join(downloaded.streaming_content).startswith(b"%PDF-")
    else:
        assert listed.status_code in DENIED and downloaded.status_code in DENIED


@pytest.mark.parametrize(("who", "allowed"), ROLES)
def test_review_permissions(api_client, people, assignment_session, who, allowed):
    registration = register(assignment_session, people["participant"])
    submission = completion_service.submit_assignment(registration, upload("a.pdf", pdf_bytes()), by=people["participant"])
    response = _as(api_client, people[who]).post(
        reverse("api-assignment-review", args=[submission.pk]), {"decision": "accept"}, format="json"
    )
    submission.refresh_from_db()
    if allowed:
        assert response.status_code == 200 and response.json()["status"] == "accepted"
    else:
        assert response.status_code in DENIED
    assert submission.status == ("accepted" if allowed else "submitted")


def test_review_bad_input(api_client, assignment_session, participant, trainer):
    registration = register(assignment_session, participant)
    submission = completion_service.submit_assignment(registration, upload("a.pdf", pdf_bytes()), by=participant)
    api_client.force_authenticate(trainer)
    url = reverse("api-assignment-review", args=[submission.pk])
    assert api_client.post(url, {"decision": "maybe"}, format="json").status_code == 400
    no_feedback = api_client.post(url, {"decision": "return"}, format="json")
    assert no_feedback.status_code == 400 and no_feedback.json()["errors"] == {"feedback": ["Tell the participant what to change."]}
    ok = api_client.post(url, {"decision": "return", "feedback": "Бюджет жок"}, format="json")
    assert ok.status_code == 200 and ok.json()["feedback"] == "Бюджет жок"
    again = api_client.post(url, {"decision": "accept"}, format="json")
    assert again.status_code == 400
    assert api_client.post(reverse("api-assignment-review", args=[999999]), {"decision": "accept"}, format="json").status_code == 404


# Completion ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "allowed"), ROLES)
def test_override_permissions(api_client, people, session, who, allowed):
    registration = register(session, people["participant"])
    response = _as(api_client, people[who]).post(
        reverse("api-registration-completion", args=[registration.pk]),
        {"completed": True, "reason": "Оорусу боюнча, кийин толуктады"},
        format="json",
    )
    registration.refresh_from_db()
    if allowed:
        assert response.status_code == 200
        body = response.json()
        assert body["completed"] is True and body["override"]["reason"].startswith("Оорусу")
        assert registration.completed_at is not None
    else:
        assert response.status_code in DENIED
        assert registration.completed_at is None
    assert CompletionOverride.objects.count() == int(allowed)


def test_override_without_reason(api_client, session, registration, trainer):
    api_client.force_authenticate(trainer)
    url = reverse("api-registration-completion", args=[registration.pk])
    for payload in ({"completed": True}, {"completed": True, "reason": "   "}):
        response = api_client.post(url, payload, format="json")
        assert response.status_code == 400
        assert response.json()["errors"] == {"reason": ["Give a reason for the override."]}
    assert api_client.post(url, {"reason": "x"}, format="json").status_code == 400
    assert not CompletionOverride.objects.exists()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("anonymous", False), ("participant", True), ("other_participant", False), ("trainer", True), ("other_trainer", False), ("admin", True)],
)
def test_completion_read_permissions(api_client, people, session, trainer, who, allowed):
    registration = register(session, people["participant"])
    attendance_service.mark_attendance(
        session, [{"registration": registration.pk, "day": "2026-12-15", "status": "present"}], by=trainer
    )
    response = _as(api_client, people[who]).get(reverse("api-registration-completion", args=[registration.pk]))
    if allowed:
        assert response.status_code == 200
        body = response.json()
        assert (body["attendance_percent"], body["completed"], body["total"]) == (50, False, 2)
        assert body["missing"]
    else:
        assert response.status_code in DENIED


@pytest.mark.parametrize(("who", "allowed"), ROLES)
def test_finalise_permissions(api_client, people, session, who, allowed, clock):
    register(session, people["participant"])
    clock.move_to(factories.bishkek(2026, 12, 20))
    response = _as(api_client, people[who]).post(reverse("api-session-finalise", args=[session.pk]))
    session.refresh_from_db()
    if allowed:
        assert response.status_code == 200
        assert response.json() == {"completed": 0, "participants": 1, "session_completed": True}
    else:
        assert response.status_code in DENIED
    assert (session.status == "completed") == allowed


def test_schema_lists_the_endpoints(client):
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/sessions/{session_id}/attendance/",
        "/api/v1/check-in/",
        "/api/v1/registrations/{registration_id}/assignment/",
        "/api/v1/assignments/{submission_id}/review/",
        "/api/v1/registrations/{registration_id}/completion/",
    ):
        assert path in paths
