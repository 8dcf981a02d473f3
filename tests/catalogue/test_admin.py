"""Scheduling in the Wagtail admin, through the real admin URLs."""

import pytest

from courses.models import Session, TrainerProfile
from tests import factories
from tests.factories import bishkek

from .conftest import make_session

pytestmark = pytest.mark.django_db

INDEX = "/admin/snippets/courses/session/"
ADD = INDEX + "add/"


def edit_url(session):
    return f"{INDEX}edit/{session.pk}/"


def session_form(course, venue, *, starts="2026-12-15 09:00", ends="2026-12-16 18:00", agenda=(), **fields):
    data = {
        "course": course.pk,
        "title": "",
        "status": "open",
        "format": "in_person",
        "language": "ky",
        "starts_at": starts,
        "ends_at": ends,
        "venue": venue.pk if venue else "",
        "capacity": 25,
        "online_url": "",
        "funding_project": "",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "cancellation_reason": "",
        "agenda_items-TOTAL_FORMS": len(agenda),
        "agenda_items-INITIAL_FORMS": 0,
        "agenda_items-MIN_NUM_FORMS": 0,
        "agenda_items-MAX_NUM_FORMS": 1000,
        "quotas-TOTAL_FORMS": 0,
        "quotas-INITIAL_FORMS": 0,
        "quotas-MIN_NUM_FORMS": 0,
        "quotas-MAX_NUM_FORMS": 1000,
    }
    for index, (day, start, end, title) in enumerate(agenda):
        data.update(
            {
                f"agenda_items-{index}-day": day,
                f"agenda_items-{index}-starts_at": start,
                f"agenda_items-{index}-ends_at": end,
                f"agenda_items-{index}-title": title,
                f"agenda_items-{index}-trainer": "",
                f"agenda_items-{index}-description": "",
                f"agenda_items-{index}-id": "",
                f"agenda_items-{index}-ORDER": index + 1,
                f"agenda_items-{index}-DELETE": "",
            }
        )
    data.update(fields)
    return data


def test_a_trainer_lists_only_the_sessions_they_train(trainer_client, session, other_session):
    response = trainer_client.get(INDEX)
    assert response.status_code == 200
    assert edit_url(session) in response.content.decode()
    assert edit_url(other_session) not in response.content.decode()


def test_an_admin_lists_every_session(admin_client, session, other_session):
    body = admin_client.get(INDEX).content.decode()
    assert edit_url(session) in body and edit_url(other_session) in body


def test_a_trainer_edits_their_own_session(trainer_client, session):
    assert trainer_client.get(edit_url(session)).status_code == 200


def test_a_trainer_is_denied_another_trainers_session(trainer_client, other_session):
    assert trainer_client.get(edit_url(other_session)).status_code == 403
    data = session_form(other_session.course, other_session.venue, capacity=5)
    assert trainer_client.post(edit_url(other_session), data).status_code == 403
    assert Session.objects.get(pk=other_session.pk).capacity == 25
    assert trainer_client.get(f"{INDEX}copy/{other_session.pk}/").status_code == 403
    assert trainer_client.get(f"{INDEX}copy-agenda/{other_session.pk}/").status_code == 403
    assert trainer_client.post(f"{INDEX}delete/{other_session.pk}/").status_code == 403


def test_participants_do_not_reach_the_admin(client, participant, session):
    client.force_login(participant)
    response = client.get(INDEX)
    assert response.status_code in (302, 403)
    assert client.get(edit_url(session)).status_code in (302, 403)


def test_a_trainer_schedules_a_two_day_session_with_its_agenda(trainer_client, trainer, course, venue, clock):
    agenda = [
        ("2026-12-15", "09:00", "09:45", "Тренингдин ачылышы"),
        ("2026-12-15", "09:45", "11:15", "Мамлекеттик саясат"),
        ("2026-12-16", "16:45", "18:00", "БАП"),
    ]
    response = trainer_client.post(ADD, session_form(course, venue, agenda=agenda))
    assert response.status_code == 302, response.content.decode()[:3000]
    session = Session.objects.get()
    assert list(session.trainers.all()) == [trainer]
    assert session.created_by == trainer
    assert [item.title for item in session.agenda_items.order_by("day", "starts_at")] == [a[3] for a in agenda]


def test_a_double_booking_is_a_form_error_naming_the_clash(trainer_client, session, course, other_venue):
    response = trainer_client.post(ADD, session_form(course, other_venue, starts="2026-12-16 09:00", ends="2026-12-16 18:00"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "15.12.2026" in body
    assert Session.objects.count() == 1


def test_a_venue_too_small_is_a_form_error(trainer_client, course, venue, clock):
    response = trainer_client.post(ADD, session_form(course, venue, capacity=41))
    assert response.status_code == 200
    assert "room capacity" in response.content.decode()
    assert Session.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "agenda"),
    [
        ({"ends_at": "2026-12-14 18:00"}, ()),
        ({"capacity": -3}, ()),
        ({}, [("2026-12-18", "09:00", "10:00", "Сырттагы блок")]),
        ({}, [("2026-12-15", "09:00", "10:30", "Биринчи"), ("2026-12-15", "10:00", "11:00", "Экинчи")]),
    ],
)
def test_bad_input_is_a_form_error_not_a_500(trainer_client, course, venue, clock, fields, agenda):
    response = trainer_client.post(ADD, session_form(course, venue, agenda=agenda, **fields))
    assert response.status_code == 200
    assert "could not be saved" in response.content.decode() or "error" in response.content.decode()
    assert Session.objects.count() == 0


def test_agenda_error_is_shown_on_the_block(trainer_client, course, venue, clock):
    agenda = [("2026-12-15", "09:00", "10:30", "Биринчи"), ("2026-12-15", "10:00", "11:00", "Экинчи")]
    body = trainer_client.post(ADD, session_form(course, venue, agenda=agenda)).content.decode()
    assert "overlap" in body and "Экинчи" in body


def test_editing_keeps_the_rules(trainer_client, session, course, venue):
    data = session_form(course, venue, capacity=30, title="Баткен")
    data["trainers"] = [session.trainers.first().pk]
    response = trainer_client.post(edit_url(session), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.title, session.capacity) == ("Баткен", 30)


def test_copy_agenda_screen(trainer_client, trainer, course, venue, session):
    past = make_session(course, trainers=[trainer], venue=venue, starts_at=bishkek(2026, 9, 10), status="completed")
    factories.make_agenda(past, blocks_per_day=2)
    page = trainer_client.get(f"{INDEX}copy-agenda/{session.pk}/")
    assert page.status_code == 200
    assert "Сессия 1" in page.content.decode()
    response = trainer_client.post(f"{INDEX}copy-agenda/{session.pk}/")
    assert response.status_code == 302
    assert session.agenda_items.count() == 4
    assert "copy-agenda" in trainer_client.get(edit_url(session)).content.decode()


def test_venues_are_visible_to_trainers_and_editable_by_admins(trainer_client, venue, admin_user, client):
    assert trainer_client.get("/admin/snippets/courses/venue/").status_code == 200
    # No change permission at all: Wagtail's usual answer (a redirect to the dashboard with a message).
    assert trainer_client.get(f"/admin/snippets/courses/venue/edit/{venue.pk}/").status_code in (302, 403)
    trainer_client.post(f"/admin/snippets/courses/venue/edit/{venue.pk}/", {"name": "X", "capacity": 1})
    venue.refresh_from_db()
    assert venue.name != "X"
    client.force_login(admin_user)
    assert client.get(f"/admin/snippets/courses/venue/edit/{venue.pk}/").status_code == 200


def test_a_trainer_keeps_only_their_own_profile(trainer_client, trainer, other_trainer):
    own = TrainerProfile.objects.create(user=trainer, bio_ky="Тренер")
    other = TrainerProfile.objects.create(user=other_trainer, bio_ky="Башка")
    body = trainer_client.get("/admin/snippets/courses/trainerprofile/").content.decode()
    assert f"edit/{own.pk}/" in body and f"edit/{other.pk}/" not in body
    assert trainer_client.get(f"/admin/snippets/courses/trainerprofile/edit/{own.pk}/").status_code == 200
    assert trainer_client.get(f"/admin/snippets/courses/trainerprofile/edit/{other.pk}/").status_code == 403
