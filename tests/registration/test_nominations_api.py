"""The municipality officers' API: staff list, nominations, approvals. Allowed and denied for every operation."""

import pytest

from academy.models import MunicipalityOfficer
from certificates.models import ExternalTraining
from courses.models import SessionQuota
from courses.services import registration as service
from tests import factories

from .conftest import make_session

STAFF = "/api/v1/municipality/staff/"
NOMINATE = "/api/v1/municipality/nominations/"
APPROVALS = "/api/v1/municipality/approvals/"


@pytest.fixture
def kyshtut(db):
    return factories.municipality("kyshtut")


@pytest.fixture
def officer(kyshtut):
    user = factories.participant(profile__municipality=kyshtut)
    MunicipalityOfficer.objects.create(user=user, municipality=kyshtut, role="head")
    return user


@pytest.fixture
def staff(kyshtut):
    return factories.participant(profile__municipality=kyshtut, profile__full_name="Бактыгүл Осмонова")


@pytest.fixture
def outsider(db):
    return factories.participant(profile__municipality=factories.municipality("suu_bashy"))


@pytest.fixture
def as_officer(api_client, officer):
    api_client.force_authenticate(officer)
    return api_client


# --- staff ------------------------------------------------------------------------------------------


def test_the_officer_lists_their_staff_with_the_qualification_record(as_officer, staff, outsider, clock):
    ExternalTraining.objects.create(
        user=staff, title="Бюджет", provider="ГАГСУ", starts_on="2026-03-01", ends_on="2026-03-03", hours=80
    )
    response = as_officer.get(STAFF)
    assert response.status_code == 200
    body = response.json()
    people = {row["full_name"]: row for row in body["staff"]}
    assert "Бактыгүл Осмонова" in people
    assert outsider.profile.full_name not in people
    assert people["Бактыгүл Осмонова"]["qualification"]["hours_in_cycle"] == 80
    assert people["Бактыгүл Осмонова"]["qualification"]["status"] == "up_to_date"
    assert body["summary"]["total"] == 2  # the officer is of the municipality too


def test_the_staff_list_is_refused_to_participants_trainers_and_anonymous(api_client, participant, trainer, staff):
    assert api_client.get(STAFF).status_code in (401, 403)
    for user in (participant, trainer, staff):
        api_client.force_authenticate(user)
        response = api_client.get(STAFF)
        assert response.status_code == 403
        assert "Бактыгүл" not in response.content.decode()


def test_the_staff_list_runs_a_bounded_number_of_queries(as_officer, kyshtut, clock, django_assert_max_num_queries):
    for _ in range(15):
        factories.participant(profile__municipality=kyshtut)
    with django_assert_max_num_queries(12):
        assert len(as_officer.get(STAFF).json()["staff"]) == 16


# --- nominations ------------------------------------------------------------------------------------


def test_the_officer_nominates(as_officer, session, staff):
    response = as_officer.post(NOMINATE, {"session": session.pk, "user": staff.pk}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "confirmed" and body["source"] == "nomination"
    assert body["person"]["id"] == staff.pk


def test_a_full_quota_says_why(as_officer, course, clock, kyshtut, staff):
    session = make_session(course, capacity=5)
    SessionQuota.objects.create(session=session, municipality=kyshtut, seats=1)
    service.register(session, factories.participant(profile__municipality=kyshtut))
    response = as_officer.post(NOMINATE, {"session": session.pk, "user": staff.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "waitlisted"
    assert "Kyshtut" in response.json()["waitlist_reason"]


def test_nominating_someone_of_another_municipality_is_404_and_changes_nothing(as_officer, session, outsider):
    response = as_officer.post(NOMINATE, {"session": session.pk, "user": outsider.pk}, format="json")
    assert response.status_code == 404
    assert not session.registrations.exists()


@pytest.mark.parametrize(
    "payload",
    [{}, {"session": "x", "user": 1}, {"session": 1}, {"session": -1, "user": 1}, {"session": 10**20, "user": 1}],
)
def test_bad_nomination_input_is_a_clear_400(as_officer, session, payload):
    response = as_officer.post(NOMINATE, payload, format="json")
    assert response.status_code == 400
    assert not session.registrations.exists()


def test_nominating_to_an_unknown_session_is_404(as_officer, staff, db):
    assert as_officer.post(NOMINATE, {"session": 999999, "user": staff.pk}, format="json").status_code == 404


def test_nominating_twice_is_a_translated_400(as_officer, session, staff):
    as_officer.post(NOMINATE, {"session": session.pk, "user": staff.pk}, format="json")
    response = as_officer.post(
        NOMINATE, {"session": session.pk, "user": staff.pk}, format="json", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 400
    assert session.registrations.count() == 1


def test_participants_and_trainers_cannot_nominate(api_client, session, participant, trainer, staff):
    assert api_client.post(NOMINATE, {"session": session.pk, "user": staff.pk}, format="json").status_code in (
        401,
        403,
    )
    for user in (participant, trainer, staff):
        api_client.force_authenticate(user)
        response = api_client.post(NOMINATE, {"session": session.pk, "user": staff.pk}, format="json")
        assert response.status_code == 403
    assert not session.registrations.exists()


# --- approvals --------------------------------------------------------------------------------------


@pytest.fixture
def municipal_session(course, clock):
    return make_session(course, capacity=2, requires_municipality_approval=True)


def test_the_officer_lists_and_approves_their_people(as_officer, municipal_session, staff, outsider):
    own = service.register(municipal_session, staff)
    service.register(municipal_session, outsider)
    listed = as_officer.get(APPROVALS).json()
    assert [row["id"] for row in listed] == [own.pk]
    response = as_officer.post(f"{APPROVALS}{own.pk}/approve/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"


def test_the_officer_rejects_with_a_note(as_officer, municipal_session, staff):
    own = service.register(municipal_session, staff)
    response = as_officer.post(f"{APPROVALS}{own.pk}/reject/", {"note": "Бул жолу башка адис барат"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"


def test_another_municipality_s_registration_is_404(as_officer, municipal_session, outsider):
    theirs = service.register(municipal_session, outsider)
    for action in ("approve", "reject"):
        assert as_officer.post(f"{APPROVALS}{theirs.pk}/{action}/", {}, format="json").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "pending"


def test_approvals_are_refused_to_everyone_else(api_client, municipal_session, staff, participant, trainer):
    own = service.register(municipal_session, staff)
    for user in (participant, trainer, staff):
        api_client.force_authenticate(user)
        assert api_client.get(APPROVALS).status_code == 403
        assert api_client.post(f"{APPROVALS}{own.pk}/approve/", {}, format="json").status_code == 403
    own.refresh_from_db()
    assert own.status == "pending"


def test_a_too_long_note_is_a_400(as_officer, municipal_session, staff):
    own = service.register(municipal_session, staff)
    response = as_officer.post(f"{APPROVALS}{own.pk}/reject/", {"note": "x" * 1001}, format="json")
    assert response.status_code == 400
    own.refresh_from_db()
    assert own.status == "pending"


def test_the_approval_list_runs_a_bounded_number_of_queries(
    as_officer, municipal_session, kyshtut, django_assert_max_num_queries
):
    for _ in range(10):
        service.register(municipal_session, factories.participant(profile__municipality=kyshtut))
    with django_assert_max_num_queries(8):
        assert len(as_officer.get(APPROVALS).json()) == 10
