"""The catalogue API: courses and sessions to read, and trainers' own sessions to write."""

import pytest

from courses.models import AgendaItem, Registration, Session
from tests import factories
from tests.catalogue.conftest import make_session
from tests.factories import bishkek

pytestmark = pytest.mark.django_db


def _session_payload(course, **fields):
    from tests.catalogue.conftest import make_venue

    return {
        "course": course.pk,
        "venue": make_venue().pk,
        "starts_at": "2027-02-10T09:00:00+06:00",
        "ends_at": "2027-02-11T18:00:00+06:00",
        "format": "in_person",
        "capacity": 20,
        "language": "ky",
        "status": "open",
        "agenda": [
            {"day": "2027-02-10", "starts_at": "09:00", "ends_at": "10:30", "title": "Ачылыш"},
            {"day": "2027-02-11", "starts_at": "09:00", "ends_at": "10:30", "title": "БАП"},
        ],
        **fields,
    }


def test_courses_list_and_detail_are_public(api_client, course):
    listing = api_client.get("/api/v1/courses/", HTTP_ACCEPT_LANGUAGE="ky")
    assert listing.status_code == 200
    assert [row["id"] for row in listing.json()["results"]] == [course.pk]
    assert api_client.get("/api/v1/courses/").json()["results"] == []  # no English translation yet
    assert [row["id"] for row in api_client.get("/api/v1/courses/?locale=ky").json()["results"]] == [course.pk]
    detail = api_client.get(f"/api/v1/courses/{course.pk}/")
    assert detail.status_code == 200
    assert detail.json()["title"] == course.title
    assert api_client.get("/api/v1/courses/999999/").status_code == 404


def test_session_detail_has_the_agenda_and_seats_left(api_client, session, participant):
    factories.make_agenda(session, blocks_per_day=2)
    Registration.objects.create(session=session, user=participant, status="confirmed")
    body = api_client.get(f"/api/v1/sessions/{session.pk}/").json()
    assert body["seats_left"] == session.capacity - 1
    assert len(body["agenda"]) == 4
    assert body["online_url"] == ""  # only for the session's trainers and admins


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("format=online", {"online"}),
        ("format=in_person", {"full", "later"}),
        ("has_seats=true", {"online", "later"}),
        ("starts_after=2026-12-18", {"online", "later"}),
        ("starts_before=2026-12-18", {"full"}),
    ],
)
def test_sessions_filter(api_client, course, trainer, participant, query, expected):
    sessions = {
        "full": make_session(course, trainers=[trainer], capacity=1, starts_at=bishkek(2026, 12, 15)),
        "online": make_session(course, trainers=[trainer], format="online", starts_at=bishkek(2026, 12, 20)),
        "later": make_session(course, trainers=[trainer], starts_at=bishkek(2026, 12, 22)),
    }
    Registration.objects.create(session=sessions["full"], user=participant, status="confirmed")
    response = api_client.get(f"/api/v1/sessions/?{query}")
    assert response.status_code == 200, response.json()
    names = {pk: name for name, pk in ((name, session.pk) for name, session in sessions.items())}
    assert {names[row["id"]] for row in response.json()["results"]} == expected


def test_an_unknown_filter_value_is_a_400_with_field_errors(api_client, session):
    response = api_client.get("/api/v1/sessions/?format=carrier-pigeon&oblast=atlantis")
    assert response.status_code == 400
    assert {"format", "oblast"} <= set(response.json()["errors"])


def test_a_trainer_creates_a_session_through_the_api(api_client, course, trainer):
    api_client.force_authenticate(trainer)
    response = api_client.post("/api/v1/sessions/", _session_payload(course), format="json")
    assert response.status_code == 201, response.json()
    session = Session.objects.get(pk=response.json()["id"])
    assert list(session.trainers.all()) == [trainer]
    assert session.agenda_items.count() == 2


@pytest.mark.parametrize("role", ["anonymous", "participant"])
def test_others_cannot_create_sessions(api_client, course, participant, role):
    if role == "participant":
        api_client.force_authenticate(participant)
    response = api_client.post("/api/v1/sessions/", _session_payload(course), format="json")
    assert response.status_code in (401, 403)
    assert not Session.objects.exists()


def test_a_trainer_updates_own_sessions_only(api_client, session, other_session, trainer):
    api_client.force_authenticate(trainer)
    assert api_client.patch(f"/api/v1/sessions/{session.pk}/", {"capacity": 30}, format="json").status_code == 200
    denied = api_client.patch(f"/api/v1/sessions/{other_session.pk}/", {"capacity": 30}, format="json")
    assert denied.status_code == 403
    other_session.refresh_from_db()
    assert other_session.capacity != 30


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"ends_at": "2027-02-09T18:00:00+06:00"}, "ends_at"),
        ({"capacity": -5}, "capacity"),
        (
            {"agenda": [{"day": "2027-03-01", "starts_at": "09:00", "ends_at": "10:00", "title": "Сыртта"}]},
            "agenda",
        ),
        (
            {
                "agenda": [
                    {"day": "2027-02-10", "starts_at": "09:00", "ends_at": "11:00", "title": "Биринчи"},
                    {"day": "2027-02-10", "starts_at": "10:00", "ends_at": "12:00", "title": "Экинчи"},
                ]
            },
            "agenda",
        ),
    ],
)
def test_bad_session_input_is_a_400_and_saves_nothing(api_client, course, trainer, fields, field):
    api_client.force_authenticate(trainer)
    response = api_client.post("/api/v1/sessions/", _session_payload(course, **fields), format="json")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}
    assert any(key.startswith(field) for key in body["errors"]), body
    assert not Session.objects.exists() and not AgendaItem.objects.exists()


def test_bad_input_is_answered_in_the_callers_language(api_client, course, trainer):
    api_client.force_authenticate(trainer)
    payload = _session_payload(course, ends_at="2027-02-09T18:00:00+06:00")
    english = api_client.post("/api/v1/sessions/", payload, format="json").json()
    kyrgyz = api_client.post("/api/v1/sessions/", payload, format="json", HTTP_ACCEPT_LANGUAGE="ky").json()
    assert english["errors"] != kyrgyz["errors"]
