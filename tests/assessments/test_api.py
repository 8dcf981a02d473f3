"""The knowledge-test API: allowed and denied both ways (a participant only their own, a trainer only their
sessions, anonymous 401), no correct answer leaked, bad input refused with a translated 400/409 and nothing
changed, the same results as the service, bounded queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from courses.models import Answer, Attempt, KnowledgeTest
from courses.services import assessments as service
from tests import factories

from .factories import answers_with, register, right_answers

pytestmark = pytest.mark.django_db


def _client(user=None, language="en"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_authenticate(user)
    return client


def _body(answers):
    return {"answers": [{"question": question, "choices": choices} for question, choices in answers.items()]}


@pytest.fixture
def people(participant, other_participant, trainer, other_trainer, admin_user):
    return {
        "participant": participant,
        "other_participant": other_participant,
        "trainer": trainer,
        "other_trainer": other_trainer,
        "admin": admin_user,
    }


# Participant ----------------------------------------------------------------------------------------------


def test_my_tests_lists_the_open_tests_of_my_sessions_only(participant, registration, open_pre, post_test, course):
    elsewhere = factories.make_session(course)  # not registered there: its open test is not listed
    other = service.ensure_test(factories.academy_admin(), elsewhere, "pre")
    service.open_test(factories.academy_admin(), other, 10)
    data = _client(participant).get(reverse("api-my-knowledge-tests")).json()
    assert [(item["id"], item["kind"], item["state"], item["submitted"]) for item in data] == [
        (open_pre.pk, "pre", "open", False)
    ]
    service.submit(participant, open_pre, {})
    data = _client(participant).get(reverse("api-my-knowledge-tests"), {"session": open_pre.session_id}).json()
    assert data[0]["submitted"] is True
    assert _client(participant).get(reverse("api-my-knowledge-tests"), {"session": elsewhere.pk}).json() == []
    assert _client(participant).get(reverse("api-my-knowledge-tests"), {"session": "x"}).status_code == 400


def test_a_cancelled_or_expired_registration_lists_nothing(participant, registration, open_pre):
    registration.status = "cancelled"
    registration.save()
    assert _client(participant).get(reverse("api-my-knowledge-tests")).json() == []


def test_anonymous_gets_401_with_a_challenge_everywhere(open_pre, session):
    client = _client()
    for url, method in [
        (reverse("api-my-knowledge-tests"), "get"),
        (reverse("api-knowledge-test", args=[open_pre.pk]), "get"),
        (reverse("api-knowledge-test-attempt", args=[open_pre.pk]), "get"),
        (reverse("api-knowledge-test-attempt", args=[open_pre.pk]), "post"),
        (reverse("api-knowledge-test-paper", args=[open_pre.pk]), "post"),
        (reverse("api-session-knowledge-tests", args=[session.pk]), "get"),
        (reverse("api-session-knowledge-test-open", args=[session.pk, "pre"]), "post"),
        (reverse("api-session-knowledge-test-close", args=[session.pk, "pre"]), "post"),
        (reverse("api-session-knowledge-test-results", args=[session.pk]), "get"),
    ]:
        response = getattr(client, method)(url, {}, format="json")
        assert response.status_code == 401 and "Token" in response["WWW-Authenticate"], url


def test_a_participant_reads_the_questions_in_their_language_without_the_answers(
    participant, registration, open_pre, bank, django_assert_max_num_queries
):
    url = reverse("api-knowledge-test", args=[open_pre.pk])
    with django_assert_max_num_queries(8):
        data = _client(participant, "ru").get(url).json()
    assert data["state"] == "open" and data["attempt"] is None
    assert [q["id"] for q in data["questions"]] == [q.pk for q in bank]
    assert data["questions"][0]["text"] == "RU Суроо 1" and data["questions"][0]["choices"][0]["text"] == "Ответ 1"
    assert data["questions"][1]["kind"] == "multiple" and data["questions"][0]["image_url"] is None
    assert "correct" not in str(data)
    assert _client(participant, "ky").get(url).json()["questions"][0]["text"] == "Суроо 1"


def test_the_picture_url_is_absolute(participant, registration, open_pre, bank):
    from tests.certificates.conftest import wagtail_image

    bank[0].image = wagtail_image("budget.png")
    bank[0].save()
    data = _client(participant).get(reverse("api-knowledge-test", args=[open_pre.pk])).json()
    assert data["questions"][0]["image_url"].startswith("http") and "budget" in data["questions"][0]["image_url"]


def test_questions_are_hidden_before_the_test_opens_and_after_submitting(participant, registration, pre_test):
    url = reverse("api-knowledge-test", args=[pre_test.pk])
    data = _client(participant).get(url).json()
    assert data["state"] == "not_opened" and data["questions"] == []
    service.open_test(factories.academy_admin(), pre_test, 10)
    service.submit(participant, pre_test, {})
    data = _client(participant).get(url).json()
    assert data["questions"] == [] and data["attempt"]["score"] == 0


@pytest.mark.parametrize(
    "who, status",
    [("participant", 200), ("trainer", 200), ("admin", 200), ("other_participant", 403), ("other_trainer", 403)],
)
def test_who_may_read_a_test(people, who, status, registration, open_pre):
    assert _client(people[who]).get(reverse("api-knowledge-test", args=[open_pre.pk])).status_code == status


def test_submit_once_then_read_my_own_score(participant, other_participant, registration, open_pre, bank):
    register(open_pre.session, other_participant)
    url = reverse("api-knowledge-test-attempt", args=[open_pre.pk])
    response = _client(participant).post(url, _body(answers_with(bank, 3)), format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["score"], response.json()["max_score"], response.json()["method"]) == (3, 4, "phone")
    assert _client(participant).get(url).json()["percent"] == 75
    # Another participant of the same session has no attempt: 404, never the first one's score.
    assert _client(other_participant).get(url).status_code == 404
    # A second submission: 409, translated, the first answers kept.
    again = _client(participant, "ru").post(url, _body(right_answers(bank)), format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_submitted"
    assert "уже" in again.json()["detail"]
    assert Attempt.objects.get(test=open_pre, registration=registration).score == 3


@pytest.mark.parametrize(
    "case, code",
    [
        ("question not in the test", "question_not_in_test"),
        ("option not in the question", "choice_not_in_question"),
        ("two answers to a single-choice question", "one_answer_only"),
        ("the same question twice", "invalid"),
        ("not a list", "invalid"),
    ],
)
def test_bad_answers_are_refused_and_nothing_saved(participant, registration, open_pre, bank, case, code):
    first, second = bank[0], bank[1]
    body = {
        "question not in the test": {"answers": [{"question": 999_999, "choices": [1]}]},
        "option not in the question": {"answers": [{"question": first.pk, "choices": [second.choices.first().pk]}]},
        "two answers to a single-choice question": {
            "answers": [{"question": first.pk, "choices": [c.pk for c in first.choices.all()[:2]]}]
        },
        "the same question twice": {
            "answers": [{"question": first.pk, "choices": []}, {"question": first.pk, "choices": []}]
        },
        "not a list": {"answers": "all of them"},
    }[case]
    response = _client(participant, "ky").post(
        reverse("api-knowledge-test-attempt", args=[open_pre.pk]), body, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == code and response.json()["detail"]
    assert not Attempt.objects.exists() and not Answer.objects.exists()


def test_closed_not_opened_and_late_submissions_are_refused(participant, registration, pre_test, bank):
    url = reverse("api-knowledge-test-attempt", args=[pre_test.pk])
    response = _client(participant).post(url, _body(answers_with(bank, 2)), format="json")
    assert response.status_code == 400 and response.json()["code"] == "not_opened"
    admin = factories.academy_admin()
    service.open_test(admin, pre_test, 5, now=timezone.now() - timedelta(minutes=6))  # time over (and grace)
    response = _client(participant).post(url, _body(answers_with(bank, 2)), format="json")
    assert response.status_code == 400 and response.json()["code"] == "closed"
    service.open_test(admin, pre_test, 5)
    service.close_test(admin, pre_test)
    response = _client(participant, "ru").post(url, _body(answers_with(bank, 2)), format="json")
    assert response.status_code == 400 and response.json()["code"] == "closed" and "закрыт" in response.json()["detail"]
    assert not Attempt.objects.exists()


def test_only_confirmed_participants_submit(people, session, open_pre, bank):
    register(session, people["other_participant"], status="pending")
    url = reverse("api-knowledge-test-attempt", args=[open_pre.pk])
    for who in ("other_participant", "trainer", "other_trainer", "admin"):
        assert _client(people[who]).post(url, _body(answers_with(bank, 1)), format="json").status_code == 403
    assert not Attempt.objects.exists()


def test_submitting_costs_a_bounded_number_of_queries(
    participant, registration, open_pre, bank, django_assert_max_num_queries
):
    body = _body(right_answers(bank))
    with django_assert_max_num_queries(11):  # whatever the number of questions (answers in one insert); +1 on PostgreSQL: the FOR SHARE re-read of the test
        response = _client(participant).post(
            reverse("api-knowledge-test-attempt", args=[open_pre.pk]), body, format="json"
        )
    assert response.status_code == 201 and Answer.objects.count() == len(bank)


# Trainer --------------------------------------------------------------------------------------------------


def test_the_trainer_opens_and_closes_the_post_test_building_it_first(trainer, session, bank):
    client = _client(trainer)
    url = reverse("api-session-knowledge-test-open", args=[session.pk, "post"])
    response = client.post(url, {"minutes": 20}, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["kind"], data["state"], data["time_limit_minutes"], data["questions"]) == ("post", "open", 20, 4)
    assert data["participant_url"].endswith(f"/tests/{data['id']}/?lang={session.language}")
    listed = client.get(reverse("api-session-knowledge-tests", args=[session.pk])).json()
    assert [(item["kind"], item["attempts"]) for item in listed] == [("post", 0)]
    response = client.post(reverse("api-session-knowledge-test-close", args=[session.pk, "post"]), format="json")
    assert response.status_code == 200 and response.json()["state"] == "closed"


def test_bad_open_and_close_change_nothing(trainer, session, course):
    client = _client(trainer, "ru")
    url = reverse("api-session-knowledge-test-open", args=[session.pk, "pre"])
    response = client.post(url, {"minutes": 15}, format="json")  # the course has no questions yet
    assert response.status_code == 400 and response.json()["code"] == "no_questions"
    from .factories import make_bank

    make_bank(course)
    response = client.post(url, {"minutes": 0}, format="json")
    assert response.status_code == 400 and response.json()["errors"]["minutes"]
    assert not KnowledgeTest.objects.exists()  # not even built
    close = reverse("api-session-knowledge-test-close", args=[session.pk, "pre"])
    assert client.post(close, format="json").status_code == 404  # not built yet
    service.ensure_test(trainer, session, "pre")
    response = client.post(close, format="json")
    assert response.status_code == 400 and response.json()["code"] == "not_opened"
    assert (
        client.post(reverse("api-session-knowledge-test-open", args=[session.pk, "mid"]), format="json").status_code
        == 404
    )


@pytest.mark.parametrize(
    "who, allowed", [("trainer", True), ("admin", True), ("other_trainer", False), ("participant", False)]
)
def test_who_may_manage_a_session_s_tests(people, who, allowed, session, bank, registration):
    client = _client(people[who])
    open_url = reverse("api-session-knowledge-test-open", args=[session.pk, "pre"])
    assert client.post(open_url, {"minutes": 10}, format="json").status_code == (200 if allowed else 403)
    assert KnowledgeTest.objects.filter(session=session, opened_at__isnull=False).exists() == allowed
    for name in ("api-session-knowledge-tests", "api-session-knowledge-test-results"):
        assert client.get(reverse(name, args=[session.pk])).status_code == (200 if allowed else 403)
    test = service.ensure_test(factories.academy_admin(), session, "pre")
    body = {"registration": registration.pk, **_body(answers_with(service.load_questions(test), 2))}
    response = client.post(reverse("api-knowledge-test-paper", args=[test.pk]), body, format="json")
    assert response.status_code == (201 if allowed else 403)
    assert Attempt.objects.filter(method="paper").exists() == allowed


def test_paper_entry_refuses_a_stranger_and_a_second_copy(
    trainer, session, open_pre, bank, registration, other_participant
):
    client = _client(trainer)
    url = reverse("api-knowledge-test-paper", args=[open_pre.pk])
    stranger = register(factories.make_session(session.course), other_participant)
    response = client.post(url, {"registration": stranger.pk, **_body(answers_with(bank, 1))}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "bad_person"
    response = client.post(url, {"registration": registration.pk, **_body(answers_with(bank, 1))}, format="json")
    assert response.status_code == 201 and response.json()["method"] == "paper"
    response = client.post(url, {"registration": registration.pk, **_body(answers_with(bank, 4))}, format="json")
    assert response.status_code == 409
    assert Attempt.objects.get().score == 1


def test_results_match_the_service_in_bounded_queries(trainer, session, bank, django_assert_max_num_queries):
    admin = factories.academy_admin()
    pre, post = service.ensure_test(admin, session, "pre"), service.ensure_test(admin, session, "post")
    service.open_test(admin, pre, 10)
    service.open_test(admin, post, 10)
    people = [register(session, factories.participant()).user for _ in range(6)]
    for index, person in enumerate(people):
        service.submit(person, pre, answers_with(bank, 1))
        service.submit(person, post, answers_with(bank, 1 + index % 4))
    url = reverse("api-session-knowledge-test-results", args=[session.pk])
    with django_assert_max_num_queries(12):  # the same for 6 people as for 60
        data = _client(trainer).get(url).json()
    expected = service.session_results(trainer, session)
    assert (data["taken_pre"], data["taken_post"]) == (6, 6)
    assert data["average_gain"] == expected.average_gain and data["improved_share"] == expected.improved_share
    assert sorted(row["gain"] for row in data["people"]) == sorted(row.gain for row in expected.people)
    assert data["people"][0]["pre"]["score"] == 1 and data["people"][0]["participant"]
    assert [(q["question"], q["right_pre"], q["right_post"]) for q in data["questions"]] == [
        (row.question.pk, row.right_pre, row.right_post) for row in expected.questions
    ]
    for _ in range(10):
        person = register(session, factories.participant()).user
        service.submit(person, pre, answers_with(bank, 2))
    with django_assert_max_num_queries(12):
        assert len(_client(trainer).get(url).json()["people"]) == 16
