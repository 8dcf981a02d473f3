"""Views of knowledge tests: allowed and denied for every page and action, bad input answered with the
translated message and nothing changed, a participant sees only their own score, bounded queries."""

import pytest
from django.urls import reverse
from django.utils import translation

from courses.models import Attempt, KnowledgeTest
from courses.services import assessments as service
from tests import factories

from .factories import answers_with, as_post, register, right_answers

pytestmark = pytest.mark.django_db


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


def _as(client, user):
    if user is not None:
        client.force_login(user)
    return client


MANAGERS = {"trainer": 200, "admin": 200, "other_trainer": 403, "participant": 403, "other_participant": 403}


@pytest.mark.parametrize("who", [*MANAGERS, "anonymous"])
@pytest.mark.parametrize("name", ["assessment_session", "assessment_qr", "assessment_paper"])
def test_trainer_pages_allowed_and_denied(client, people, who, name, session, pre_test, registration):
    target = session.pk if name == "assessment_session" else pre_test.pk
    response = _as(client, people[who]).get(reverse(name, args=[target]))
    if who == "anonymous":
        assert response.status_code == 302 and "/login" in response["Location"]
    else:
        assert response.status_code == MANAGERS[who]


@pytest.mark.parametrize("who", [*MANAGERS, "anonymous"])
def test_build_open_close_allowed_and_denied(client, people, who, session, bank):
    client = _as(client, people[who])
    response = client.post(reverse("assessment_build", args=[session.pk, "post"]))
    allowed = MANAGERS.get(who) == 200
    assert response.status_code == (302 if allowed or who == "anonymous" else 403)
    assert KnowledgeTest.objects.filter(session=session, kind="post").exists() == allowed
    test = service.ensure_test(factories.academy_admin(), session, "pre")
    response = client.post(reverse("assessment_open", args=[test.pk]), {"minutes": "10"})
    test.refresh_from_db()
    assert (test.opened_at is not None) == allowed
    response = client.post(reverse("assessment_close", args=[test.pk]))
    test.refresh_from_db()
    assert (test.closed_at is not None) == allowed
    if not allowed and who != "anonymous":
        assert response.status_code == 403


def test_actions_need_post(client, trainer, pre_test):
    client.force_login(trainer)
    assert client.get(reverse("assessment_open", args=[pre_test.pk])).status_code == 405


@pytest.mark.parametrize("minutes", ["", "0", "999", "ten"])
def test_bad_time_limit_shows_the_message_and_changes_nothing(client, trainer, pre_test, minutes):
    client.force_login(trainer)
    response = client.post(reverse("assessment_open", args=[pre_test.pk]), {"minutes": minutes}, follow=True)
    assert response.status_code == 200
    assert "whole number of minutes" in response.content.decode()
    pre_test.refresh_from_db()
    assert pre_test.opened_at is None


def test_unknown_kind_and_empty_bank_are_explained(client, trainer, session):
    client.force_login(trainer)
    response = client.post(reverse("assessment_build", args=[session.pk, "middle"]), follow=True)
    assert "Unknown kind of test." in response.content.decode()
    response = client.post(reverse("assessment_build", args=[session.pk, "pre"]), follow=True)
    assert "no test questions yet" in response.content.decode()
    assert not KnowledgeTest.objects.exists()


def test_participant_takes_the_open_test_once_in_kyrgyz(client, participant, registration, open_pre, bank):
    client.force_login(participant)
    with translation.override("ky"):
        url = reverse("assessment_take", args=[open_pre.pk])
    assert url.startswith("/ky/")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Суроо 1" in html and 'type="checkbox"' in html and 'type="radio"' in html
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]
    response = client.post(url, as_post(right_answers(bank)))
    assert response.status_code == 200
    assert "4" in response.content.decode() and "100 %" in response.content.decode()
    again = client.post(url, as_post(answers_with(bank, 0)))
    assert again.status_code == 409
    assert "тапшырып койгонсуз" in again.content.decode()
    assert Attempt.objects.get().score == 4


@pytest.mark.parametrize("language,text", [("ru", "Ваш результат"), ("en", "Your score")])
def test_score_page_in_russian_and_english(client, participant, registration, open_pre, bank, language, text):
    service.submit(participant, open_pre, answers_with(bank, 2))
    client.force_login(participant)
    with translation.override(language):
        url = reverse("assessment_take", args=[open_pre.pk])
    response = client.get(url)
    assert text in response.content.decode() and "50 %" in response.content.decode()


def test_participant_page_denied(client, people, open_pre, registration):
    url = reverse("assessment_take", args=[open_pre.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response["Location"]
    for who in ("other_participant", "other_trainer"):
        client.force_login(people[who])
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403
    assert client.get(reverse("assessment_take", args=[999999])).status_code == 404
    assert not Attempt.objects.exists()


def test_participant_sees_only_their_own_score(client, participant, other_participant, session, open_pre, bank):
    register(session, participant)
    register(session, other_participant)
    service.submit(other_participant, open_pre, right_answers(bank))
    client.force_login(participant)
    html = client.get(reverse("assessment_take", args=[open_pre.pk])).content.decode()
    assert "100 %" not in html
    assert "Суроо 1" in html  # the form: the participant has not submitted yet
    assert other_participant.display_name not in html


@pytest.mark.parametrize(
    "data,message",
    [
        ({"q999999": "1"}, "not in this test"),
        ({"qabc": "1"}, "could not be read"),
    ],
)
def test_bad_answers_are_explained_and_save_nothing(client, participant, registration, open_pre, data, message):
    client.force_login(participant)
    response = client.post(reverse("assessment_take", args=[open_pre.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attempt.objects.exists()


def test_closed_and_unopened_tests_are_explained(client, participant, registration, pre_test, trainer, bank):
    client.force_login(participant)
    url = reverse("assessment_take", args=[pre_test.pk])
    assert "has not opened this test yet" in client.get(url).content.decode()
    response = client.post(url, as_post(right_answers(bank)))
    assert response.status_code == 400
    service.open_test(trainer, pre_test, 5)
    service.close_test(trainer, pre_test)
    response = client.post(url, as_post(right_answers(bank)))
    assert response.status_code == 400 and "This test is closed" in response.content.decode()
    assert not Attempt.objects.exists()


def test_paper_entry_page_saves_and_refuses_bad_input(client, trainer, registration, pre_test, bank):
    client.force_login(trainer)
    url = reverse("assessment_paper", args=[pre_test.pk])
    page = client.get(url)
    assert registration.user.display_name in page.content.decode()
    bad = client.post(url, {"registration": "nobody", **as_post(right_answers(bank))})
    assert bad.status_code == 400 and "Choose a confirmed participant" in bad.content.decode()
    ok = client.post(url, {"registration": registration.pk, **as_post(answers_with(bank, 3))})
    assert ok.status_code == 302
    attempt = Attempt.objects.get()
    assert (attempt.method, attempt.score, attempt.entered_by) == ("paper", 3, trainer)
    assert registration.user.display_name not in client.get(url).content.decode()


def test_paper_entry_denied_to_others(client, other_trainer, participant, registration, pre_test, bank):
    for user in (other_trainer, participant):
        client.force_login(user)
        response = client.post(
            reverse("assessment_paper", args=[pre_test.pk]),
            {"registration": registration.pk, **as_post(right_answers(bank))},
        )
        assert response.status_code == 403
    assert not Attempt.objects.exists()


def test_qr_holds_the_participant_address_in_the_session_language(client, trainer, pre_test):
    client.force_login(trainer)
    html = client.get(reverse("assessment_qr", args=[pre_test.pk])).content.decode()
    assert "<svg" in html
    with translation.override("ky"):
        path = reverse("assessment_take", args=[pre_test.pk])
    assert path + "?lang=ky" in html


def test_results_page_shows_the_figures_with_bounded_queries(
    client, trainer, session, pre_test, post_test, bank, django_assert_max_num_queries
):
    service.open_test(trainer, pre_test, 15)
    service.open_test(trainer, post_test, 15)
    for index in range(12):
        registration = register(session, factories.participant())
        service.submit(registration.user, pre_test, answers_with(bank, 1))
        service.submit(registration.user, post_test, answers_with(bank, 3 if index % 2 else 1))
    client.force_login(trainer)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("assessment_session", args=[session.pk]))
    html = response.content.decode()
    assert 'id="average-gain">25.0' in html  # half gained 50 points, half none
    assert 'id="improved-share">50 %' in html


def test_admin_question_bank_and_session_button(client, admin_user, session, bank):
    client.force_login(admin_user)
    response = client.get(reverse("wagtailsnippets_courses_question:list"))
    assert response.status_code == 200 and "Суроо 1" in response.content.decode()
    response = client.get(reverse("wagtailsnippets_courses_session:list"))
    assert reverse("assessment_session", args=[session.pk]) in response.content.decode()


def test_question_bank_admin_denied_to_participants(client, participant):
    client.force_login(participant)
    response = client.get(reverse("wagtailsnippets_courses_question:list"))
    assert response.status_code in (302, 403)


def test_admin_adds_a_question_with_its_choices(client, admin_user, course):
    from courses.models import Question

    client.force_login(admin_user)
    data = {
        "course": course.pk,
        "kind": "single",
        "text_ky": "Бюджетти ким бекитет?",
        "text_ru": "Кто утверждает бюджет?",
        "text_en": "",
        "choices-TOTAL_FORMS": "2",
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }
    for index, (ky, correct) in enumerate((("Кеңеш", True), ("Башчы", False))):
        data |= {
            f"choices-{index}-text_ky": ky,
            f"choices-{index}-text_ru": ky,
            f"choices-{index}-text_en": "",
            f"choices-{index}-ORDER": str(index + 1),
            f"choices-{index}-DELETE": "",
            f"choices-{index}-id": "",
        }
        if correct:
            data[f"choices-{index}-is_correct"] = "on"
    response = client.post(reverse("wagtailsnippets_courses_question:add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get()
    assert [(c.text_ky, c.is_correct) for c in question.choices.order_by("sort_order")] == [
        ("Кеңеш", True),
        ("Башчы", False),
    ]


def test_participant_page_queries_are_bounded(client, participant, registration, session, course, trainer, bank):
    """The same number of queries whatever the number of questions (and a small one)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import make_question

    client.force_login(participant)
    counts = []
    for kind, extra in (("pre", 0), ("post", 6)):
        for index in range(extra):
            make_question(course, f"Кошумча {index}")
        test = service.open_test(trainer, service.ensure_test(trainer, session, kind), 15)
        url = reverse("assessment_take", args=[test.pk])
        client.get(url)  # warm the per-site caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 15
