"""API tokens (issue 15 item 3): they expire after ACADEMY_API_TOKEN_IDLE_DAYS unused, DELETE revokes the
caller's token, and a password change or reset revokes every token of the person and ends their sessions
elsewhere. The password reset e-mail goes through the outbox (item 12)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from academy.models import OutboxEmail, TokenUse

pytestmark = pytest.mark.django_db

PASSWORD = "pass-Word-123"


def token_for(person):
    response = APIClient().post("/api/v1/auth/token/", {"email": person.email, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    return response.json()["token"]


def me(key):
    return APIClient(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_expires_after_the_idle_days(participant, clock, settings):
    settings.ACADEMY_API_TOKEN_IDLE_DAYS = 30
    key = token_for(participant)
    clock.shift(timedelta(days=29))
    assert me(key).status_code == 200, "used within 30 days: still good, and the clock starts again"
    clock.shift(timedelta(days=29))
    assert me(key).status_code == 200
    clock.shift(timedelta(days=30, minutes=1))
    response = me(key)
    assert response.status_code in (401, 403)
    assert "expired" in response.json()["detail"]
    assert not Token.objects.filter(key=key).exists()
    assert token_for(participant) != key, "signing in again gives a new token"


def test_signing_in_again_returns_the_same_token_while_it_is_good(participant):
    assert token_for(participant) == token_for(participant)


def test_the_last_use_is_written_at_most_once_an_hour(participant, clock):
    key = token_for(participant)
    written = TokenUse.objects.get(token_id=key).last_used_at
    for _request in range(5):
        clock.shift(timedelta(minutes=10))
        with CaptureQueriesContext(connection) as queries:
            assert me(key).status_code == 200
        assert not [q for q in queries.captured_queries if "tokenuse" in q["sql"].lower() and "SELECT" not in q["sql"]]
    assert TokenUse.objects.get(token_id=key).last_used_at == written
    clock.shift(timedelta(minutes=11))
    assert me(key).status_code == 200
    assert TokenUse.objects.get(token_id=key).last_used_at > written


def test_delete_revokes_the_callers_token(participant, other_participant):
    key, other = token_for(participant), token_for(other_participant)
    client = APIClient()
    response = client.delete("/api/v1/auth/token/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 204
    assert me(key).status_code in (401, 403)
    assert me(other).status_code == 200, "only the caller's token"
    assert APIClient().delete("/api/v1/auth/token/").status_code in (401, 403), "anonymous: nothing to revoke"


def test_a_password_change_in_the_admin_revokes_tokens_and_ends_the_other_sessions(admin_user):
    key = token_for(admin_user)
    here, elsewhere = Client(), Client()
    here.force_login(admin_user)
    elsewhere.force_login(admin_user)
    assert elsewhere.get("/admin/").status_code == 200
    response = here.post(
        "/admin/account/",
        {
            "name_email-email": admin_user.email,
            "name_email-first_name": "Нурлан",
            "name_email-last_name": "Асанов",
            "locale-preferred_language": "en",
            "locale-current_time_zone": "Asia/Bishkek",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "password-old_password": PASSWORD,
            "password-new_password1": "another-Pass-456",
            "password-new_password2": "another-Pass-456",
        },
    )
    assert response.status_code == 302
    assert here.get("/admin/").status_code == 200, "the session that changed it stays signed in"
    assert elsewhere.get("/admin/").status_code == 302, "every other session ends"
    assert me(key).status_code in (401, 403)
    assert not Token.objects.filter(user=admin_user).exists()


def test_a_password_reset_revokes_tokens_and_ends_every_session(homes, participant, django_capture_on_commit_callbacks):
    import re

    key = token_for(participant)
    signed_in = Client()
    signed_in.force_login(participant)
    assert signed_in.get("/en/accounts/profile/").status_code == 200
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/accounts/password-reset/", {"email": participant.email})
    link = re.search(r"https?://[^/]+(/en/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link)
    assert form.status_code == 302
    done = client.post(form["Location"], {"new_password1": "another-Pass-456", "new_password2": "another-Pass-456"})
    assert done.status_code == 302
    assert me(key).status_code in (401, 403)
    assert signed_in.get("/en/accounts/profile/").status_code == 302, "signed out everywhere"
    assert "_auth_user_id" not in client.session


def test_the_reset_email_waits_in_the_outbox_while_smtp_is_down(homes, participant, settings, django_capture_on_commit_callbacks):
    from academy.tasks import flush_outbox

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/en/accounts/password-reset/", {"email": participant.email})
    assert response.status_code == 302
    email = OutboxEmail.objects.get(to=participant.email)
    assert email.status == OutboxEmail.Status.PENDING and mail.outbox == []
    assert "/en/accounts/reset/" in email.body_text

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # SMTP is back
    assert flush_outbox() == 1
    assert flush_outbox() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [participant.email]
