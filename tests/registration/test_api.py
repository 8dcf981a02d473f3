from datetime import timedelta

import pytest
import yaml

from courses.models import Registration
from courses.services import registration as service
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "other_participant", "trainer", "other_trainer", "admin_user"]


def as_role(api_client, request, role):
    if role != "anonymous":
        api_client.force_authenticate(request.getfixturevalue(role))
    return api_client


def assert_not_found(response):
    """404. Until the lead keeps LocaleMiddleware off /api/, Django turns an API 404 into a redirect to /<lang>/api/...,
    which answers 404 too; either way nothing is revealed or changed."""
    if response.status_code == 302:
        assert response["Location"].split("/")[2] == "api"
        return
    assert response.status_code == 404
    body_shape(response)


def body_shape(response):
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}
    assert body["detail"]
    return body


# --- register ---------------------------------------------------------------------------------


def test_register_returns_201_with_the_registration(api_client, session, participant):
    api_client.force_authenticate(participant)
    response = api_client.post(f"/api/v1/sessions/{session.pk}/register/")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "confirmed"
    assert body["session"]["id"] == session.pk
    assert body["can_cancel"] is True
    assert Registration.objects.get().source == "api"


def test_register_when_full_waitlists_with_a_position(api_client, session, make_participant):
    for _ in range(3):
        service.register(session, make_participant())
    person = make_participant()
    api_client.force_authenticate(person)
    body = api_client.post(f"/api/v1/sessions/{session.pk}/register/").json()
    assert (body["status"], body["waitlist_position"]) == ("waitlisted", 1)


def test_anonymous_cannot_register(api_client, session):
    response = api_client.post(f"/api/v1/sessions/{session.pk}/register/")
    assert response.status_code in (401, 403)
    body_shape(response)
    assert not Registration.objects.exists()


def test_the_api_never_registers_someone_else(api_client, session, participant, other_participant):
    api_client.force_authenticate(participant)
    response = api_client.post(
        f"/api/v1/sessions/{session.pk}/register/",
        {"user": other_participant.pk, "user_id": other_participant.pk},
        format="json",
    )
    assert response.status_code == 201
    assert list(Registration.objects.values_list("user", flat=True)) == [participant.pk]


@pytest.mark.parametrize(
    ("fields", "status_code", "code"),
    [
        ({"status": "closed"}, 400, "registration_closed"),
        ({"status": "cancelled"}, 400, "session_cancelled"),
        ({"starts_at": factories.bishkek(2026, 11, 1), "ends_at": factories.bishkek(2026, 11, 2)}, 400, "session_past"),
    ],
)
def test_register_refusals_are_clear_and_change_nothing(api_client, session, participant, fields, status_code, code):
    for key, value in fields.items():
        setattr(session, key, value)
    session.save()
    api_client.force_authenticate(participant)
    response = api_client.post(f"/api/v1/sessions/{session.pk}/register/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status_code
    assert body_shape(response)["code"] == code
    assert not Registration.objects.exists()


def test_register_twice_is_400_duplicate(api_client, session, participant):
    api_client.force_authenticate(participant)
    api_client.post(f"/api/v1/sessions/{session.pk}/register/")
    response = api_client.post(f"/api/v1/sessions/{session.pk}/register/")
    assert response.status_code == 400
    assert body_shape(response)["code"] == "duplicate"
    assert Registration.objects.count() == 1


def test_register_unknown_session_is_404(api_client, participant):
    api_client.force_authenticate(participant)
    assert_not_found(api_client.post("/api/v1/sessions/424242/register/"))


def test_register_for_a_draft_session_is_not_found(api_client, session, participant):
    session.status = "draft"
    session.save()
    api_client.force_authenticate(participant)
    assert_not_found(api_client.post(f"/api/v1/sessions/{session.pk}/register/"))
    assert not Registration.objects.exists()


def test_register_with_incomplete_profile_is_400(api_client, session, participant):
    participant.profile.consent_given_at = None
    participant.profile.save()
    api_client.force_authenticate(participant)
    response = api_client.post(f"/api/v1/sessions/{session.pk}/register/")
    assert response.status_code == 400
    assert body_shape(response)["code"] == "profile_incomplete"


# --- cancel -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", (401, 403)),
        ("participant", (200,)),
        ("other_participant", (403,)),
        ("trainer", (200,)),
        ("other_trainer", (403,)),
        ("admin_user", (200,)),
    ],
)
def test_cancel_permissions(api_client, request, session, participant, role, expected):
    registration = service.register(session, participant)
    client = as_role(api_client, request, role)
    response = client.post(f"/api/v1/registrations/{registration.pk}/cancel/", {"reason": "Ill"}, format="json")
    assert response.status_code in expected
    registration.refresh_from_db()
    if response.status_code == 200:
        assert registration.status == "cancelled"
        assert response.json()["status"] == "cancelled"
    else:
        body_shape(response)
        assert registration.status == "confirmed"


def test_a_trainer_must_give_a_reason(api_client, session, participant, trainer):
    registration = service.register(session, participant)
    api_client.force_authenticate(trainer)
    response = api_client.post(f"/api/v1/registrations/{registration.pk}/cancel/", {}, format="json")
    assert response.status_code == 400
    assert body_shape(response)["errors"] == {"reason": [response.json()["detail"]]}


def test_cancel_unknown_registration_is_404(api_client, participant):
    api_client.force_authenticate(participant)
    assert_not_found(api_client.post("/api/v1/registrations/99999/cancel/"))


# --- my registrations ------------------------------------------------------------------------------


def test_my_registrations_needs_login(api_client):
    assert api_client.get("/api/v1/me/registrations/").status_code in (401, 403)


def test_my_registrations_lists_only_mine(api_client, session, participant, other_participant):
    mine = service.register(session, participant)
    service.register(session, other_participant)
    api_client.force_authenticate(participant)
    body = api_client.get("/api/v1/me/registrations/").json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert api_client.get("/api/v1/me/registrations/?status=cancelled").json()["results"] == []


def test_my_registrations_runs_a_bounded_number_of_queries(
    api_client, course, participant, django_assert_max_num_queries, clock
):
    for day in range(200):
        other = factories.make_session(
            course, starts_at=factories.bishkek(2026, 12, 2) + timedelta(days=day), capacity=5
        )
        Registration.objects.create(session=other, user=participant, status="confirmed")
    api_client.force_authenticate(participant)
    with django_assert_max_num_queries(8):
        response = api_client.get("/api/v1/me/registrations/")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 20


# --- roster -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", (401, 403)),
        ("participant", (403,)),
        ("other_participant", (403,)),
        ("trainer", (200,)),
        ("other_trainer", (403,)),
        ("admin_user", (200,)),
    ],
)
def test_roster_permissions(api_client, request, session, participant, role, expected):
    service.register(session, participant)
    response = as_role(api_client, request, role).get(f"/api/v1/sessions/{session.pk}/roster/")
    assert response.status_code in expected
    if response.status_code == 200:
        row = response.json()["results"][0]
        assert row["email"] == participant.email
        assert row["full_name"] == participant.profile.full_name
        assert row["phone"] == participant.profile.phone
    else:
        body_shape(response)


def test_roster_runs_a_bounded_number_of_queries(api_client, session, admin_user, django_assert_max_num_queries):
    session.capacity = 100
    session.save()
    for _ in range(200):
        user = factories.participant(profile__organization=factories.OrganizationFactory())
        Registration.objects.create(session=session, user=user, status="confirmed")
    api_client.force_authenticate(admin_user)
    with django_assert_max_num_queries(8):
        response = api_client.get(f"/api/v1/sessions/{session.pk}/roster/?status=confirmed")
    assert response.status_code == 200
    assert response.json()["count"] == 200


# --- approve / reject ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", (401, 403)),
        ("participant", (403,)),
        ("other_participant", (403,)),
        ("trainer", (200,)),
        ("other_trainer", (403,)),
        ("admin_user", (200,)),
    ],
)
@pytest.mark.parametrize(("action", "result"), [("approve", "confirmed"), ("reject", "rejected")])
def test_approve_and_reject_permissions(
    api_client, request, approval_session, participant, role, expected, action, result
):
    registration = service.register(approval_session, participant)
    response = as_role(api_client, request, role).post(
        f"/api/v1/registrations/{registration.pk}/{action}/", {"note": "ok"}, format="json"
    )
    assert response.status_code in expected
    registration.refresh_from_db()
    if response.status_code == 200:
        assert registration.status == result
        assert response.json()["status"] == result
    else:
        body_shape(response)
        assert registration.status == "pending"


def test_approving_when_full_waitlists(api_client, approval_session, make_participant, trainer):
    registrations = [service.register(approval_session, make_participant()) for _ in range(3)]
    api_client.force_authenticate(trainer)
    results = [
        api_client.post(f"/api/v1/registrations/{registration.pk}/approve/").json()["status"]
        for registration in registrations
    ]
    assert results == ["confirmed", "confirmed", "waitlisted"]


def test_approving_twice_is_400(api_client, approval_session, participant, admin_user):
    registration = service.register(approval_session, participant)
    api_client.force_authenticate(admin_user)
    api_client.post(f"/api/v1/registrations/{registration.pk}/approve/")
    response = api_client.post(f"/api/v1/registrations/{registration.pk}/approve/")
    assert response.status_code == 400
    assert body_shape(response)["code"] == "invalid_status"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", (401, 403)),
        ("participant", (403,)),
        ("trainer", (200,)),
        ("other_trainer", (403,)),
        ("admin_user", (200,)),
    ],
)
def test_bulk_decisions(api_client, request, approval_session, make_participant, session, role, expected):
    registrations = [service.register(approval_session, make_participant()) for _ in range(3)]
    elsewhere = service.register(session, make_participant())
    ids = [registration.pk for registration in registrations] + [elsewhere.pk]
    response = as_role(api_client, request, role).post(
        f"/api/v1/sessions/{approval_session.pk}/registrations/bulk/", {"action": "approve", "ids": ids}, format="json"
    )
    assert response.status_code in expected
    if response.status_code == 200:
        body = response.json()
        assert [row["status"] for row in body["changed"]] == ["confirmed", "confirmed", "waitlisted"]
        assert body["skipped"] == []
    else:
        assert Registration.objects.filter(session=approval_session, status="pending").count() == 3
    elsewhere.refresh_from_db()
    assert elsewhere.status == "confirmed"


def test_bulk_with_bad_input_is_400(api_client, approval_session, admin_user):
    api_client.force_authenticate(admin_user)
    for payload in (
        {"action": "delete", "ids": [1]},
        {"action": "approve", "ids": []},
        {"action": "approve", "ids": ["x"]},
    ):
        response = api_client.post(
            f"/api/v1/sessions/{approval_session.pk}/registrations/bulk/", payload, format="json"
        )
        assert response.status_code == 400
        body_shape(response)


def test_bulk_cancel_by_a_trainer_needs_a_reason(api_client, session, participant, trainer):
    registration = service.register(session, participant)
    api_client.force_authenticate(trainer)
    url = f"/api/v1/sessions/{session.pk}/registrations/bulk/"
    assert api_client.post(url, {"action": "cancel", "ids": [registration.pk]}, format="json").status_code == 400
    response = api_client.post(url, {"action": "cancel", "ids": [registration.pk], "note": "Moved"}, format="json")
    assert response.status_code == 200
    assert response.json()["changed"][0]["status"] == "cancelled"


def test_the_schema_documents_the_registration_api(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    for path in (
        "/api/v1/sessions/{session_id}/register/",
        "/api/v1/sessions/{session_id}/roster/",
        "/api/v1/sessions/{session_id}/registrations/bulk/",
        "/api/v1/registrations/{registration_id}/cancel/",
        "/api/v1/registrations/{registration_id}/approve/",
        "/api/v1/registrations/{registration_id}/reject/",
        "/api/v1/me/registrations/",
    ):
        assert path in schema["paths"], path
    assert "201" in schema["paths"]["/api/v1/sessions/{session_id}/register/"]["post"]["responses"]


@pytest.mark.parametrize("role", ROLES)
def test_register_and_my_registrations_for_every_role(api_client, request, session, other_participant, role):
    """Anyone signed in registers themself (trainers and admins too) and sees only their own registrations."""
    if role != "other_participant":
        service.register(session, other_participant)
    client = as_role(api_client, request, role)
    response = client.post(f"/api/v1/sessions/{session.pk}/register/")
    listing = client.get("/api/v1/me/registrations/")
    if role == "anonymous":
        assert response.status_code in (401, 403) and listing.status_code in (401, 403)
        assert Registration.objects.count() == 1
        return
    user = request.getfixturevalue(role)
    assert response.status_code == 201
    assert Registration.objects.get(pk=response.json()["id"]).user == user
    assert [row["id"] for row in listing.json()["results"]] == [response.json()["id"]]
