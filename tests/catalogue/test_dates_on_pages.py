"""Public pages write dates as their language does (academy.formats), in Bishkek time."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected", "wrong"),
    [
        ("ky", ["2026-жылдын 15-декабры, 09:00", "15-декабры, шейшемби", "16-декабры, шаршемби"], ["Декабрь", "15 декабря"]),
        ("ru", ["15 декабря 2026 г., 09:00", "Вторник, 15 декабря"], ["Декабрь", "декабры"]),
        ("en", ["15 December 2026, 09:00", "Tuesday, 15 December"], ["декабр"]),
    ],
)
def test_the_session_page(client, session, language, expected, wrong):
    factories.make_agenda(session, blocks_per_day=1)
    body = client.get(f"/{language}/sessions/{session.pk}/").content.decode()
    for text in expected:
        assert text in body
    for text in wrong:
        assert text not in body


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ky", "2026-жылдын 15–16-декабры"), ("ru", "15–16 декабря 2026 г."), ("en", "15–16 December 2026")],
)
def test_the_session_list_writes_a_two_day_session_once(client, session, language, expected):
    assert expected in client.get(f"/{language}/sessions/").content.decode()


def test_the_registration_e_mail_writes_dates_in_the_recipient_language(session, participant):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("ky"):
        text = render_to_string(
            "emails/registration_details.txt",
            {"title": "Т", "starts_at": session.starts_at, "ends_at": session.ends_at},
        )
    assert "2026-жылдын 15-декабры, 09:00 – 2026-жылдын 16-декабры, 18:00" in text
