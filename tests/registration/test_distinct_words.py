"""Three things, three words (glossary in DESIGN.md): creating an account, registering for a training, checking in.

"Катталуу" once meant all three; a Kyrgyz reader could not tell the sign-up button from the training's.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from courses.services import attendance as attendance_service
from courses.services import checkin
from tests import factories
from tests.attendance.conftest import make_session, register

pytestmark = pytest.mark.django_db

WORDS = {
    "ky": {"sign_up": "Аккаунт ачуу", "register": "Катталуу", "check_in": "Катышууну белгилөө"},
    "ru": {"sign_up": "Создать аккаунт", "register": "Записаться", "check_in": "Отметиться"},
}


def url(name, language, *args):
    with translation.override(language):
        return reverse(name, args=args)


def buttons_and_headings(body):
    """The visible labels of buttons, links styled as buttons, headings and the main navigation."""
    found = re.findall(r"<(?:button|h1|h2)[^>]*>(.*?)</(?:button|h1|h2)>", body, re.S)
    found += re.findall(r'<a [^>]*>([^<]*)</a>', body)
    return {re.sub(r"\s+", " ", text).strip() for text in found}


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_sign_up_register_and_check_in_each_have_their_own_word(client, clock, course, trainer, participant, language):
    words = WORDS[language]
    assert len(set(words.values())) == 3

    signup = buttons_and_headings(client.get(url("account_signup", language)).content.decode())
    assert words["sign_up"] in signup
    assert not {words["register"], words["check_in"]} & signup

    session = make_session(course, trainers=[trainer], status="open")
    client.force_login(participant)
    page = buttons_and_headings(client.get(url("session_detail", language, session.pk)).content.decode())
    assert words["register"] in page
    assert not {words["sign_up"], words["check_in"]} & page

    register(session, participant)
    clock.move_to(session.starts_at)  # check-in codes work on the session's days
    code = checkin.issue_code(session, attendance_service.session_slots(session)[0], by=trainer).code
    check_in = buttons_and_headings(client.get(url("attendance_check_in", language, code)).content.decode())
    assert words["check_in"] in check_in
    assert not {words["sign_up"], words["register"]} & check_in


@pytest.mark.parametrize(("language", "expected"), [("ky", "Күтүү тизмесинде · 2-орун"), ("ru", "В листе ожидания · место 2")])
def test_the_waitlist_position_does_not_repeat_the_status(client, course, trainer, participant, language, expected):
    session = make_session(course, trainers=[trainer], status="open", capacity=1)
    register(session, factories.participant())
    register(session, factories.participant(), status="waitlisted")
    register(session, participant, status="waitlisted")
    client.force_login(participant)
    body = client.get(url("my_trainings", language)).content.decode()
    text = re.sub(r"<[^>]+>", "", body)
    assert expected in re.sub(r"\s+", " ", text)
    assert "тизмесинде күтүү тизмесинде" not in text and "ожидания место" not in text
