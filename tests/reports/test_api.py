"""GET /api/v1/reports/summary/ and POST /api/v1/registrations/{id}/feedback/."""

from datetime import timedelta

import pytest

from reports.models import Feedback

pytestmark = pytest.mark.django_db

SUMMARY = "/api/v1/reports/summary/"


def feedback_url(registration):
    return f"/api/v1/registrations/{registration.pk}/feedback/"


def test_summary_is_for_staff(api_client, world):
    assert api_client.get(SUMMARY).status_code in (401, 403)
    api_client.force_authenticate(world.a)
    response = api_client.get(SUMMARY)
    assert response.status_code == 403
    assert set(response.json()) == {"detail", "code", "errors"}


def test_summary_figures_for_admin_and_scoped_trainers(api_client, world):
    api_client.force_authenticate(world.admin)
    data = api_client.get(SUMMARY).json()
    assert (data["people"], data["registrations"], data["women_share"], data["gender_not_given"]) == (5, 6, 50.0, 1)
    assert data["municipalities"] == 3
    assert data["sessions_held"] == 2
    assert {row["code"]: row["people"] for row in data["by_region"]}["batken"] == 2
    assert api_client.get(SUMMARY, {"region": world.batken.pk}).json()["people"] == 2
    api_client.force_authenticate(world.trainer)
    assert api_client.get(SUMMARY).json()["people"] == 4
    api_client.force_authenticate(world.other_trainer)
    assert api_client.get(SUMMARY).json()["people"] == 2


def test_summary_rejects_bad_filters_with_the_standard_error_body(api_client, world):
    api_client.force_authenticate(world.admin)
    response = api_client.get(SUMMARY, {"region": "x", "date_from": "2026-05-01", "date_to": "2026-01-01"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "region" in body["errors"]


def test_summary_query_count_is_bounded(api_client, world, grow, django_assert_max_num_queries):
    api_client.force_authenticate(world.admin)
    for size in (2, 20):
        grow(size)
        with django_assert_max_num_queries(14):
            assert api_client.get(SUMMARY, {"funding_project": world.p1.pk}).status_code == 200


def test_owner_posts_feedback_then_changes_it_within_seven_days(api_client, world, clock):
    api_client.force_authenticate(world.c)
    payload = {"content_score": 4, "trainer_score": 5, "organisation_score": 3, "most_useful": "Практика"}
    response = api_client.post(feedback_url(world.c1), payload, format="json")
    assert response.status_code == 201
    assert response.json()["content_score"] == 4
    response = api_client.post(feedback_url(world.c1), {**payload, "content_score": 2}, format="json")
    assert response.status_code == 200
    assert Feedback.objects.get(registration=world.c1).content_score == 2
    assert api_client.get(feedback_url(world.c1)).json()["content_score"] == 2
    clock.shift(timedelta(days=8))
    response = api_client.post(feedback_url(world.c1), {**payload, "content_score": 1}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "locked"
    assert Feedback.objects.get(registration=world.c1).content_score == 2


def _direct(method, user, registration, data=None):
    """Call the view without middleware: LocaleMiddleware turns any 404 outside a language prefix
    into a redirect to /ky/... (a project-wide quirk reported to the lead)."""
    from rest_framework.test import APIRequestFactory, force_authenticate

    from reports.api.views import RegistrationFeedbackView

    request = getattr(APIRequestFactory(), method)(feedback_url(registration), data, format="json")
    force_authenticate(request, user=user)
    return RegistrationFeedbackView.as_view()(request, pk=registration.pk)


def test_feedback_is_owner_only(api_client, world):
    payload = {"content_score": 4, "trainer_score": 5, "organisation_score": 3}
    assert api_client.post(feedback_url(world.c1), payload, format="json").status_code in (401, 403)
    for intruder in (world.a, world.trainer, world.admin):
        api_client.force_authenticate(intruder)
        assert api_client.post(feedback_url(world.c1), payload, format="json").status_code not in (200, 201)
        response = _direct("post", intruder, world.c1, payload)
        assert (response.status_code, response.data["code"]) == (404, "not_found")
        assert _direct("get", intruder, world.c1).status_code == 404
    assert not Feedback.objects.filter(registration=world.c1).exists()
    assert _direct("get", world.c, world.c1).status_code == 404  # the owner, before answering


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"content_score": 6, "trainer_score": 5, "organisation_score": 3}, "content_score"),
        ({"content_score": 0, "trainer_score": 5, "organisation_score": 3}, "content_score"),
        ({"content_score": "good", "trainer_score": 5, "organisation_score": 3}, "content_score"),
        ({"content_score": 4, "organisation_score": 3}, "trainer_score"),
        ({"content_score": 4, "trainer_score": 5, "organisation_score": 3, "comments": "x" * 4001}, "comments"),
    ],
)
def test_bad_feedback_gets_a_clear_error_and_saves_nothing(api_client, world, payload, field):
    api_client.force_authenticate(world.c)
    response = api_client.post(feedback_url(world.c1), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Feedback.objects.filter(registration=world.c1).exists()


def test_feedback_only_for_confirmed_registrations_of_sessions_held(api_client, world):
    payload = {"content_score": 4, "trainer_score": 5, "organisation_score": 3}
    api_client.force_authenticate(world.f)  # S3 is still ahead
    response = api_client.post(feedback_url(world.f3), payload, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "too_early")
    api_client.force_authenticate(world.e)  # cancelled registration
    response = api_client.post(feedback_url(world.e1), payload, format="json")
    assert response.status_code == 400
    assert Feedback.objects.filter(registration=world.e1).count() == 1  # the stray one from the fixture, unchanged
