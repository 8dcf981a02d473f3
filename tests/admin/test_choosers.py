"""The session chooser of the admin: own sessions first, newest first; labels in the admin's language."""

import re

import pytest

from tests.catalogue.conftest import make_session
from tests.factories import bishkek

from .conftest import admin_language

pytestmark = pytest.mark.django_db

CHOOSE = "/admin/snippets/choose/courses/session/"
RESULTS = CHOOSE + "results/"
NEW_MATERIAL = "/admin/course_materials/new/"


def chosen_url(session):
    return f"{CHOOSE}chosen/{session.pk}/"


def listed(body, sessions):
    """The sessions of `sessions` in the order the chooser lists them."""
    positions = {re.search(re.escape(chosen_url(s)), body).start(): s for s in sessions if chosen_url(s) in body}
    return [positions[key] for key in sorted(positions)]


@pytest.fixture
def older_session(course, trainer, venue, clock):
    return make_session(course, trainers=[trainer], venue=venue, starts_at=bishkek(2026, 11, 3))


@pytest.fixture
def admins_own_session(course, admin_user, venue, clock):
    return make_session(course, trainers=[admin_user], venue=venue, starts_at=bishkek(2026, 10, 5))


def test_a_trainer_sees_only_their_sessions_newest_first(trainer_client, session, older_session, other_session):
    body = trainer_client.get(RESULTS).content.decode()
    assert listed(body, [session, older_session, other_session]) == [session, older_session]


def test_a_trainer_cannot_choose_another_trainers_session(trainer_client, session, other_session):
    assert trainer_client.get(chosen_url(session)).status_code == 200
    assert trainer_client.get(chosen_url(other_session)).status_code == 404
    body = trainer_client.get(CHOOSE + "chosen-multiple/", {"id": [session.pk, other_session.pk]}).content.decode()
    assert f'"id": "{session.pk}"' in body and f'"id": "{other_session.pk}"' not in body


def test_an_admin_sees_every_session_their_own_first_then_newest(
    admin_client, session, older_session, other_session, admins_own_session
):
    body = admin_client.get(CHOOSE).content.decode()
    assert listed(body, [session, older_session, other_session, admins_own_session]) == [
        admins_own_session,
        other_session,
        session,
        older_session,
    ]


def test_a_trainer_cannot_attach_a_material_to_another_trainers_session(trainer_client, session, other_session):
    data = {
        "session": other_session.pk,
        "title": "Слайддар",
        "language": "ky",
        "visibility": "participants",
        "kind": "link",
        "url": "https://example.org/x",
        "sort_order": 0,
        "link_active": "on",
    }
    response = trainer_client.post(NEW_MATERIAL, data)
    assert response.status_code == 200  # the form again, with an error on the session
    assert not other_session.materials.exists()


@pytest.mark.parametrize(
    ("language", "expected", "foreign"),
    [("ru", "Выбрать тренинг", ["Choose session", "Choose a page"]), ("en", "Choose session", ["Выбрать", "тренинг"])],
)
def test_chooser_labels_follow_the_admin_language(client, trainer, session, language, expected, foreign):
    # Build the form once in the other language first: the labels must not stay in it.
    admin_language(trainer, "en" if language == "ru" else "ru")
    client.force_login(trainer)
    client.get(NEW_MATERIAL)
    admin_language(trainer, language)
    body = client.get(NEW_MATERIAL).content.decode()
    assert expected in body
    for text in foreign:
        assert text not in body


def test_admin_pages_have_no_gravatar(trainer_client, session):
    for url in ("/admin/", "/admin/account/", NEW_MATERIAL):
        body = trainer_client.get(url).content.decode()
        assert "gravatar" not in body, url
    assert "default-user-avatar" in trainer_client.get("/admin/").content.decode()


@pytest.mark.parametrize("session_language", ["ky", "ru"])
def test_handout_links_open_in_the_language_of_the_session(trainer_client, session, session_language):
    from courses.models import Material

    session.language = session_language
    session.save()
    Material.objects.create(
        session=session, course=session.course, title="Слайддар", kind="link", url="https://example.org/x"
    )
    for url in ("/admin/material-packs/", "/admin/course_materials/"):
        body = trainer_client.get(url).content.decode()  # the admin speaks English here
        assert f"/{session_language}/sessions/{session.pk}/handout/" in body, url
        assert f"/en/sessions/{session.pk}/handout" not in body, url
