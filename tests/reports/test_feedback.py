"""Feedback rules, the "My feedback" pages and the feedback request e-mails."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from academy.errors import DomainError, NotFoundError
from academy.models import OutboxEmail
from reports.models import Feedback
from reports.services import feedback as service
from reports.tasks import send_feedback_requests

from .conftest import answer, make_session, person, register

pytestmark = pytest.mark.django_db


def test_one_answer_per_registration_in_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        answer(world.a1, 1, 1, 1)


def test_scores_must_be_1_to_5_in_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        answer(world.c1, 6, 1, 1)


def test_submit_create_update_and_lock(world, clock):
    feedback, created = service.submit_feedback(
        world.c, world.c1.pk, content_score=3, trainer_score="4", organisation_score=5, comments="  ok  "
    )
    assert created and feedback.comments == "ok"
    clock.shift(timedelta(days=6))
    feedback, created = service.submit_feedback(
        world.c, world.c1.pk, content_score=5, trainer_score=5, organisation_score=5
    )
    assert not created and feedback.content_score == 5
    clock.shift(timedelta(days=2))
    with pytest.raises(DomainError) as error:
        service.submit_feedback(world.c, world.c1.pk, content_score=1, trainer_score=1, organisation_score=1)
    assert error.value.code == "locked"
    assert Feedback.objects.get(registration=world.c1).content_score == 5


def test_submit_rejects_others_and_bad_scores(world):
    with pytest.raises(NotFoundError):
        service.submit_feedback(world.a, world.c1.pk, content_score=3, trainer_score=3, organisation_score=3)
    for bad in (0, 6, "3.5", None, True):
        with pytest.raises(DomainError) as error:
            service.submit_feedback(world.c, world.c1.pk, content_score=bad, trainer_score=3, organisation_score=3)
        assert error.value.field == "content_score"
    assert not Feedback.objects.filter(registration=world.c1).exists()


def test_feedback_opens_on_the_last_day(world, clock, course):
    session = make_session(course, starts_at=world.s3.starts_at.replace(day=1), status="open")  # 1–2 Dec
    registration = register(session, world.c)
    with pytest.raises(DomainError):  # 1 Dec: the first day
        service.submit_feedback(world.c, registration.pk, content_score=3, trainer_score=3, organisation_score=3)
    clock.shift(timedelta(days=1))  # 2 Dec, 10:00: the last day
    _feedback, created = service.submit_feedback(
        world.c, registration.pk, content_score=3, trainer_score=3, organisation_score=3
    )
    assert created


def test_my_feedback_page(client, world, django_assert_max_num_queries):
    url = reverse("my_feedback")
    assert client.get(url).status_code == 302  # anonymous: to the login
    client.force_login(world.a)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    assert [r.pk for r in response.context["awaiting"]] == [world.a2.pk]
    assert [r.pk for r in response.context["answered"]] == [world.a1.pk]
    client.force_login(world.f)  # S3 not held yet
    response = client.get(url)
    assert response.context["awaiting"] == [] and response.context["answered"] == []


def test_my_feedback_page_queries_do_not_grow(client, world, course, django_assert_max_num_queries):
    client.force_login(world.c)
    for index in range(12):
        session = make_session(
            course, starts_at=world.s1.starts_at + timedelta(days=7 * (index + 1)), status="completed"
        )
        register(session, world.c)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("my_feedback"))
    assert len(response.context["awaiting"]) == 13


def test_feedback_form_get_post_and_denied(client, world):
    url = reverse("feedback_form", args=[world.c1.pk])
    assert client.get(url).status_code == 302
    client.force_login(world.a)
    assert client.get(url).status_code == 404  # somebody else's registration
    assert client.post(url, {"content_score": "5", "trainer_score": "5", "organisation_score": "5"}).status_code == 404
    client.force_login(world.c)
    assert client.get(url).status_code == 200
    response = client.post(url, {"content_score": "7", "trainer_score": "5", "organisation_score": "5"})
    assert response.status_code == 400
    assert "content_score" in response.context["form"].errors
    response = client.post(
        url, {"content_score": "4", "trainer_score": "5", "organisation_score": "3", "most_useful": "Баары"}
    )
    assert response.status_code == 302
    assert Feedback.objects.get(registration=world.c1).most_useful == "Баары"


def test_feedback_form_explains_when_it_cannot_be_given(client, world, clock):
    client.force_login(world.f)
    response = client.get(reverse("feedback_form", args=[world.f3.pk]))
    assert response.status_code == 200 and response.context["problem"]
    response = client.post(
        reverse("feedback_form", args=[world.f3.pk]),
        {"content_score": "4", "trainer_score": "5", "organisation_score": "3"},
    )
    assert response.status_code == 400
    assert not Feedback.objects.filter(registration=world.f3).exists()
    clock.shift(timedelta(days=300))
    client.force_login(world.a)
    response = client.post(
        reverse("feedback_form", args=[world.a1.pk]),
        {"content_score": "1", "trainer_score": "1", "organisation_score": "1"},
    )
    assert response.status_code == 400
    assert Feedback.objects.get(registration=world.a1).content_score == 5


@pytest.fixture
def ended(world, course, clock):
    """A session that ended yesterday, with two confirmed participants, one cancelled, one who answered."""
    session = make_session(course, starts_at=world.s3.starts_at.replace(month=11, day=29), status="completed", days=2)
    ru = person(gender="female", year=1990)
    ru.profile.preferred_language = "ru"
    ru.profile.save()
    registrations = {
        "ky": register(session, person(gender="male", year=1980)),
        "ru": register(session, ru),
        "cancelled": register(session, person(), "cancelled"),
        "answered": register(session, person()),
    }
    answer(registrations["answered"], 5, 5, 5)
    draft = make_session(course, starts_at=world.s3.starts_at.replace(month=11, day=28), status="draft", days=2)
    registrations["draft"] = register(draft, person())
    return registrations


def test_feedback_requests_are_queued_once(world, ended, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert send_feedback_requests.delay().get() == 2
    keys = set(OutboxEmail.objects.values_list("key", flat=True))
    assert keys == {f"feedback-request:{ended['ky'].pk}", f"feedback-request:{ended['ru'].pk}"}
    assert len(mail.outbox) == 2
    russian = OutboxEmail.objects.get(key=f"feedback-request:{ended['ru'].pk}")
    assert f"/ru/my/feedback/{ended['ru'].pk}/" in russian.body_text
    assert russian.body_text.startswith("Dear") or "Dear" not in russian.body_text  # translated once .po exists
    with django_capture_on_commit_callbacks(execute=True):
        assert send_feedback_requests.delay().get() == 0
    assert OutboxEmail.objects.count() == 2 and len(mail.outbox) == 2


def test_old_sessions_get_no_request(world, clock):
    # S1 and S2 ended months ago: outside the request window.
    assert service.queue_feedback_requests() == 0


def test_beat_schedule_runs_the_task():
    entry = settings.CELERY_BEAT_SCHEDULE["feedback-requests"]
    assert entry["task"] == "reports.tasks.send_feedback_requests"
