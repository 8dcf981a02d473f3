"""Linking Telegram: a one-time code from the profile, `/start <code>` through the webhook, unlinking in one tap."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from academy.models import OutboxMessage, TelegramLinkCode

pytestmark = pytest.mark.django_db

SECRET_HEADER = "HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN"


def _update(update_id, text, chat_id=9001, language="ky"):
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Асел", "language_code": language},
            "chat": {"id": chat_id, "type": "private"},
            "date": 1764900000,
            "text": text,
        },
    }


def _post(client, update, secret="webhook-secret_1"):
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):  # the bot's reply leaves after commit
        return client.post(
            "/telegram/webhook/", json.dumps(update), content_type="application/json", **{SECRET_HEADER: secret}
        )


def _code_for(client, user):
    client.force_login(user)
    response = client.post(reverse("account_telegram_link"))
    assert response.status_code == 302 and response["Location"].startswith("https://t.me/academy_test_bot?start=")
    return response["Location"].split("start=", 1)[1]


def test_a_person_links_telegram_and_gets_a_reply_once(client, bot_api, participant):
    code = _code_for(client, participant)
    client.logout()
    response = _post(client, _update(1, f"/start {code}"))
    assert response.status_code == 200 and response.json() == {"outcome": "linked"}
    participant.profile.refresh_from_db()
    assert participant.profile.telegram_chat_id == "9001" and participant.profile.telegram_linked_at
    assert _post(client, _update(1, f"/start {code}")).json() == {"outcome": "refused"}  # Telegram repeats an update
    assert len(bot_api.requests) == 1  # one reply for the one update
    assert "Telegram" in json.loads(bot_api.requests[0]["body"])["text"]


def test_a_used_or_expired_or_unknown_code_changes_nothing(client, bot_api, participant, other_participant, clock):
    code = _code_for(client, participant)
    _post(client, _update(1, f"/start {code}"))
    assert _post(client, _update(2, f"/start {code}", chat_id=7)).json() == {"outcome": "refused"}
    participant.profile.refresh_from_db()
    assert participant.profile.telegram_chat_id == "9001"

    stale = _code_for(client, other_participant)
    clock.move_to(TelegramLinkCode.objects.get(code=stale).created_at + timedelta(minutes=31))
    assert _post(client, _update(3, f"/start {stale}", chat_id=8)).json() == {"outcome": "refused"}
    assert _post(client, _update(4, "/start nonsense", chat_id=8)).json() == {"outcome": "refused"}
    other_participant.profile.refresh_from_db()
    assert other_participant.profile.telegram_chat_id == ""
    replies = [json.loads(request["body"])["text"] for request in bot_api.requests[1:]]
    assert any("колдонулган" in text for text in replies) and any("мөөнөтү" in text for text in replies)


def test_a_new_code_replaces_the_previous_one(client, bot_api, participant):
    first = _code_for(client, participant)
    second = _code_for(client, participant)
    assert _post(client, _update(1, f"/start {first}")).json() == {"outcome": "refused"}
    assert _post(client, _update(2, f"/start {second}")).json() == {"outcome": "linked"}


def test_one_chat_belongs_to_one_person(client, bot_api, participant, other_participant):
    _post(client, _update(1, f"/start {_code_for(client, participant)}"))
    _post(client, _update(2, f"/start {_code_for(client, other_participant)}"))
    participant.profile.refresh_from_db()
    other_participant.profile.refresh_from_db()
    assert (participant.profile.telegram_chat_id, other_participant.profile.telegram_chat_id) == ("", "9001")


def test_unlinking_is_one_tap_on_the_profile_or_stop_in_telegram(client, bot_api, participant):
    _post(client, _update(1, f"/start {_code_for(client, participant)}"))
    response = client.post(reverse("account_telegram_unlink"))
    assert response.status_code == 302
    participant.profile.refresh_from_db()
    assert participant.profile.telegram_chat_id == ""
    _post(client, _update(2, f"/start {_code_for(client, participant)}"))
    assert _post(client, _update(3, "/stop")).json() == {"outcome": "unlinked"}
    participant.profile.refresh_from_db()
    assert participant.profile.telegram_chat_id == ""


def test_the_profile_shows_the_telegram_section_in_the_readers_language(client, bot_api, participant):
    client.force_login(participant)
    page = client.get("/ky/accounts/profile/").content.decode()
    assert "Telegram" in page and reverse("account_telegram_link") in page
    assert 'name="notify_by_sms"' in page


def test_linking_needs_a_signed_in_person_and_a_post(client, bot_api, participant):
    assert client.post(reverse("account_telegram_link")).status_code == 302  # to the sign-in page
    assert not TelegramLinkCode.objects.exists()
    client.force_login(participant)
    assert client.get(reverse("account_telegram_link")).status_code == 405


def test_without_a_bot_linking_says_so(client, settings, participant):
    settings.TELEGRAM_BOT_TOKEN = ""
    client.force_login(participant)
    response = client.post(reverse("account_telegram_link"), follow=True)
    assert response.redirect_chain[-1][0].endswith("/accounts/profile/")
    assert not TelegramLinkCode.objects.exists()


@pytest.mark.parametrize("secret", ["", "wrong"])
def test_the_webhook_refuses_posts_without_the_secret(client, bot_api, participant, secret):
    code = _code_for(client, participant)
    assert _post(client, _update(1, f"/start {code}"), secret=secret).status_code == 403
    participant.profile.refresh_from_db()
    assert participant.profile.telegram_chat_id == "" and not OutboxMessage.objects.exists()


@pytest.mark.parametrize("body", ["[", "[]", '"text"', '{"update_id": 1}', '{"message": {"chat": {"id": 1, "type": "group"}}, "update_id": 2}'])
def test_the_webhook_acknowledges_what_it_cannot_use_and_changes_nothing(client, bot_api, body):
    response = client.post(
        "/telegram/webhook/", body, content_type="application/json", **{SECRET_HEADER: "webhook-secret_1"}
    )
    assert response.status_code in (200, 400) and not OutboxMessage.objects.exists()


def test_the_api_shows_and_changes_the_channels(api_client, participant):
    api_client.force_authenticate(participant)
    me = api_client.get("/api/v1/me/").json()
    assert me["profile"]["telegram_linked"] is False and me["profile"]["notify_by_sms"] is True
    response = api_client.patch("/api/v1/me/", {"notify_by_sms": False}, format="json")
    assert response.status_code == 200, response.content
    participant.profile.refresh_from_db()
    assert participant.profile.notify_by_sms is False


def test_admins_see_the_outbox_and_cannot_edit_it(client, bot_api, admin_user, participant):
    from academy.services.messaging.outbox import queue_message

    message, _created = queue_message(key="x:1", channel="telegram", to="5", text="Салам")
    client.force_login(admin_user)
    listing = client.get("/admin/snippets/academy/outboxmessage/")
    assert listing.status_code == 200 and "Салам" not in listing.content.decode()  # the list shows no texts
    assert client.get(f"/admin/snippets/academy/outboxmessage/inspect/{message.pk}/").status_code == 200
    assert client.get("/admin/snippets/academy/outboxmessage/add/").status_code in (302, 403)
    assert client.get(f"/admin/snippets/academy/outboxmessage/edit/{message.pk}/").status_code in (302, 403)
    client.force_login(participant)
    assert client.get("/admin/snippets/academy/outboxmessage/").status_code in (302, 403)
