"""Messages by Telegram and SMS: the best channel per person, sent once through the outbox, against stand-ins."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from academy.models import Channel, OutboxEmail, OutboxMessage
from academy.services import messaging
from academy.services.messaging import outbox, sms
from academy.services.messaging.errors import PermanentDeliveryError, TemporaryDeliveryError
from academy.tasks import flush_outbox, send_outbox_message
from courses.services.registration import register
from tests import factories

from .conftest import sent_texts

pytestmark = pytest.mark.django_db


def _person(*, email=None, phone=None, chat="", **choices):
    user = factories.participant(**({"email": email} if email else {}))
    if phone is not None:  # else the factory's own number, different for each person
        user.profile.phone = phone
    user.profile.telegram_chat_id = chat
    for name, value in choices.items():
        setattr(user.profile, f"notify_by_{name}", value)
    user.profile.save()
    return user


def test_the_best_channel_is_telegram_then_email_then_sms(bot_api, sms_gateway):
    assert messaging.best_channel(_person(chat="1001")) == Channel.TELEGRAM
    assert messaging.best_channel(_person()) == Channel.EMAIL
    assert messaging.best_channel(_person(email="someone@import.invalid")) == Channel.SMS
    assert messaging.best_channel(_person(chat="1002", telegram=False)) == Channel.EMAIL
    assert messaging.best_channel(_person(email="x@import.invalid", phone="", sms=False)) is None


def test_without_credentials_a_channel_is_off(settings):
    settings.TELEGRAM_BOT_TOKEN = settings.SMS_URL = ""
    assert messaging.best_channel(_person(chat="1003")) == Channel.EMAIL
    assert messaging.best_channel(_person(email="x@import.invalid")) is None


def test_a_registration_confirmation_reaches_telegram_once_even_when_the_task_runs_twice(
    bot_api, course, django_capture_on_commit_callbacks, mailoutbox
):
    person = _person(chat="424242")
    session = factories.make_session(course, starts_at=timezone.now() + timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        register(session, person)
    message = OutboxMessage.objects.get()
    assert (message.channel, message.to, message.status) == (Channel.TELEGRAM, "424242", OutboxMessage.Status.SENT)
    assert send_outbox_message(message.pk) is False  # run twice: nothing more is sent
    assert len(bot_api.requests) == 1 and mailoutbox == []
    sent = json.loads(bot_api.requests[0]["body"])
    assert sent["chat_id"] == "424242" and session.course.title in sent["text"]
    assert sent["text"].startswith("Ордуңуз ырасталды")  # the subject first, in Kyrgyz, the person's language


def test_a_person_with_only_a_phone_gets_a_short_sms_in_their_language(
    sms_gateway, course, django_capture_on_commit_callbacks
):
    person = _person(email="asel@import.invalid", phone="+996700123456")
    person.profile.preferred_language = "ru"
    person.profile.save()
    session = factories.make_session(course, starts_at=timezone.now() + timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        register(session, person)
    [text] = sent_texts(sms_gateway)
    assert sms.segments(text) <= 2 and "http://testserver/" in text
    assert "Место" in text or "место" in text
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def test_a_key_queued_on_one_channel_is_not_sent_again_on_another(bot_api):
    person = _person(chat="5005")
    context = {"name": "Айгүл", "title": "Тест", "url": "http://testserver/x/"}
    row, created = messaging.deliver(user=person, key="k:1", template="reports_feedback_request", context=context)
    assert created and isinstance(row, OutboxMessage)
    person.profile.telegram_chat_id = ""
    person.profile.save()
    again, created = messaging.deliver(user=person, key="k:1", template="reports_feedback_request", context=context)
    assert not created and again == row and not OutboxEmail.objects.exists()


def test_a_temporary_failure_is_retried_and_a_permanent_one_is_not(bot_api):
    message, _created = outbox.queue_message(key="t:1", channel=Channel.TELEGRAM, to="77", text="Салам")
    bot_api.fail_with = 502
    with pytest.raises(TemporaryDeliveryError):
        outbox.send_message_now(message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.PENDING, 1) and "502" in message.last_error
    bot_api.fail_with = None
    assert flush_outbox() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.SENT, 2)

    blocked, _created = outbox.queue_message(key="t:2", channel=Channel.TELEGRAM, to="78", text="Салам")
    bot_api.fail_with = 403  # "Forbidden: bot was blocked by the user"
    assert outbox.send_message_now(blocked.pk) is False
    blocked.refresh_from_db()
    assert blocked.status == OutboxMessage.Status.FAILED and flush_outbox() == 0


def test_the_stand_in_refuses_what_telegram_refuses(bot_api):
    from academy.services.messaging import telegram

    with pytest.raises(PermanentDeliveryError):
        telegram.send("", "text")  # no chat
    long = "ө" * 5000
    telegram.send("9", long)  # shortened to the API's 4096 characters, not refused
    assert len(json.loads(bot_api.requests[-1]["body"])["text"]) == 4096


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a" * 160, 1), ("a" * 161, 2), ("ө" * 70, 1), ("ө" * 71, 2), ("ө" * 134, 2), ("ө" * 135, 3), ("[" * 80, 1)],
)
def test_sms_segments(text, expected):
    assert sms.segments(text) == expected


def test_a_long_text_is_shortened_to_two_segments_keeping_the_link_whole():
    link = "https://academy.kg/q/AB12CD/"
    text = sms.fit("Тренингге катталдыңыз: " + "Муниципалдык кызмат көрсөтүүлөрдү башкаруу " * 5, link)
    assert sms.segments(text) == 2 and text.endswith(link) and "…" in text


def test_an_sms_longer_than_two_segments_is_refused_before_the_gateway(sms_gateway):
    with pytest.raises(PermanentDeliveryError):
        sms.send("+996555000111", "ө" * 200)
    assert sms_gateway.requests == []


def test_the_webhook_command_registers_the_site_with_its_secret(bot_api, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://academy.example.org"
    call_command("telegram_webhook")
    sent = json.loads(bot_api.requests[-1]["body"])
    assert sent == {
        "url": "https://academy.example.org/telegram/webhook/",
        "secret_token": "webhook-secret_1",
        "allowed_updates": ["message"],
    }


def test_production_refuses_a_bot_token_without_a_webhook_secret():
    from tests.hardening.test_security import _production

    code = "import django; django.setup()"
    assert _production(code, {"TELEGRAM_BOT_TOKEN": "1:x"}).returncode != 0
    assert "TELEGRAM_WEBHOOK_SECRET" in _production(code, {"TELEGRAM_BOT_TOKEN": "1:x"}).stderr
    assert _production(code, {"TELEGRAM_BOT_TOKEN": "1:x", "TELEGRAM_WEBHOOK_SECRET": "s"}).returncode == 0
