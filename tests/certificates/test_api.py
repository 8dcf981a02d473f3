"""The certificates API: bulk issuance (202 + task status), the participant's certificates, revoke and reissue."""

import pytest
from django.urls import reverse

from certificates.models import Certificate, IssuanceBatch
from certificates.services.issuance import issue_certificate
from certificates.services.revocation import reissue_certificate
from tests import factories
from tests.certificates.conftest import pdf_text, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(template, past_session):
    done = [register(past_session, factories.participant()) for _ in range(3)]
    unfinished = register(past_session, factories.participant(), completed=False)
    return done, unfinished


def issue_url(session):
    return reverse("api-session-issue-certificates", args=[session.pk])


# Bulk issuance -----------------------------------------------------------------------------------


def test_issue_answers_202_with_a_task_status_url(
    api_client, admin_user, roster, past_session, django_capture_on_commit_callbacks
):
    done, unfinished = roster
    api_client.force_authenticate(admin_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api_client.post(issue_url(past_session), {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 202
    body = response.json()
    batch = IssuanceBatch.objects.get()
    status_url = reverse("api-certificate-batch", args=[batch.pk])
    assert body["id"] == batch.pk and body["total"] == 4 and body["status"] == "pending"
    assert body["status_url"].endswith(status_url) and response["Location"] == body["status_url"]

    pending = api_client.get(status_url).json()
    assert pending["finished"] is False and pending["percent"] == 0
    for callback in callbacks:  # the worker picks the task up
        callback()
    done_status = api_client.get(status_url).json()
    assert done_status["finished"] is True and done_status["status"] == "done"
    assert done_status["issued"] == 3 and done_status["already_issued"] == 0
    assert [item["registration"] for item in done_status["skipped"]] == [unfinished.pk]
    assert done_status["skipped"][0]["code"] == "not_completed"


def test_issue_selected_registrations(api_client, admin_user, roster, past_session, django_capture_on_commit_callbacks):
    done, _unfinished = roster
    api_client.force_authenticate(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(issue_url(past_session), {"registrations": [done[2].pk]}, format="json")
    assert response.status_code == 202 and response.json()["total"] == 1
    assert list(Certificate.objects.values_list("registration", flat=True)) == [done[2].pk]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"registrations": ["x"]}, "registrations"),
        ({"template": 99999}, "template"),
    ],
)
def test_issue_bad_payload_is_400_and_stores_nothing(api_client, admin_user, roster, past_session, payload, field):
    api_client.force_authenticate(admin_user)
    response = api_client.post(issue_url(past_session), payload, format="json")
    assert response.status_code == 400
    assert any(key.startswith(field) for key in response.json()["errors"])
    assert not IssuanceBatch.objects.exists()


def test_issue_for_an_unfinished_registration_is_400_and_stores_nothing(api_client, admin_user, roster, past_session):
    _done, unfinished = roster
    api_client.force_authenticate(admin_user)
    response = api_client.post(
        issue_url(past_session), {"registrations": [unfinished.pk]}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "not_completed"
    assert "have not completed the training" in response.json()["detail"]
    assert not IssuanceBatch.objects.exists() and not Certificate.objects.exists()


def test_issue_for_a_registration_of_another_session_is_400(api_client, admin_user, roster, past_session, course):
    other = factories.make_session(course, starts_at=factories.bishkek(2026, 10, 1), status="completed")
    stranger = register(other, factories.participant())
    api_client.force_authenticate(admin_user)
    response = api_client.post(issue_url(past_session), {"registrations": [stranger.pk]}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "not_found"


def test_issue_for_an_unknown_session_is_404(api_client, admin_user, db):
    api_client.force_authenticate(admin_user)
    response = api_client.post("/api/v1/sessions/987654/issue-certificates/", {}, format="json")
    assert response.status_code == 404


def test_only_academy_admins_issue_or_read_batches(api_client, roster, past_session, trainer, participant, admin_user):
    assert api_client.post(issue_url(past_session), {}, format="json").status_code in (401, 403)
    for user in (trainer, participant):
        api_client.force_authenticate(user)
        assert api_client.post(issue_url(past_session), {}, format="json").status_code == 403
    from certificates.services import batches

    batch = batches.start_batch(created_by=admin_user, session=past_session, enqueue=False)
    api_client.force_authenticate(participant)
    assert api_client.get(reverse("api-certificate-batch", args=[batch.pk])).status_code == 403
    assert IssuanceBatch.objects.count() == 1


# The participant's certificates -------------------------------------------------------------------


@pytest.fixture
def mine(roster, admin_user):
    done, _unfinished = roster
    return [issue_certificate(registration, issued_by=admin_user)[0] for registration in done]


def test_my_certificates_lists_only_my_current_certificates(api_client, mine, admin_user):
    first, second, _third = mine
    owner = first.user
    corrected = reissue_certificate(first, reason="spelling", actor=admin_user)
    api_client.force_authenticate(owner)
    response = api_client.get(reverse("api-my-certificates"))
    assert response.status_code == 200
    data = response.json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [row["number"] for row in rows] == [corrected.number]  # the replaced one is left out
    row = rows[0]
    assert row["verify_url"].endswith(f"/verify/{corrected.code}/")
    assert row["pdf_url"].endswith(reverse("api-certificate-pdf", args=[corrected.pk]))
    assert owner.email not in str(row)


def test_holder_downloads_pdf_and_badge_but_not_someone_elses(api_client, mine):
    first, second, _third = mine
    api_client.force_authenticate(first.user)
    pdf = api_client.get(reverse("api-certificate-pdf", args=[first.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert first.number in pdf_text(pdf.content)
    assert api_client.get(reverse("api-certificate-badge", args=[first.pk])).status_code == 200
    assert api_client.get(reverse("api-certificate-detail", args=[first.pk])).json()["number"] == first.number
    for name in ("api-certificate-detail", "api-certificate-pdf", "api-certificate-badge", "api-certificate-badge-jwt"):
        assert api_client.get(reverse(name, args=[second.pk])).status_code == 404, name


def test_anonymous_gets_401_for_personal_endpoints(api_client, mine):
    for url in (reverse("api-my-certificates"), reverse("api-certificate-pdf", args=[mine[0].pk])):
        assert api_client.get(url).status_code in (401, 403)


# Revoke and reissue -------------------------------------------------------------------------------


def test_admin_revokes_and_reissues_through_the_api(api_client, mine, admin_user):
    first, second, _third = mine
    api_client.force_authenticate(admin_user)
    missing = api_client.post(reverse("api-certificate-revoke", args=[first.pk]), {"reason": " "}, format="json")
    assert missing.status_code == 400
    revoked = api_client.post(reverse("api-certificate-revoke", args=[first.pk]), {"reason": "Ката"}, format="json")
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    again = api_client.post(
        reverse("api-certificate-reissue", args=[first.pk]),
        {"reason": "оңдоо"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert again.status_code == 400 and again.json()["code"] == "revoked"

    new = api_client.post(
        reverse("api-certificate-reissue", args=[second.pk]),
        {"reason": "Аты оңдолду", "holder_name": "Бермет Осмонова"},
        format="json",
    )
    assert new.status_code == 201
    assert new.json()["holder_name"] == "Бермет Осмонова" and new.json()["number"] != second.number
    second.refresh_from_db()
    assert second.status == "replaced"


def test_participants_cannot_revoke(api_client, mine):
    first = mine[0]
    api_client.force_authenticate(first.user)
    response = api_client.post(reverse("api-certificate-revoke", args=[first.pk]), {"reason": "x"}, format="json")
    assert response.status_code == 403
    first.refresh_from_db()
    assert first.status == "valid"
