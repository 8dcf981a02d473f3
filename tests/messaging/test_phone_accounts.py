"""Accounts with a Kyrgyz mobile number and no e-mail: sign-up, sign-in (site, API), reset by Telegram or SMS."""

import pytest
from django.contrib.auth import get_user_model

from academy.models import OutboxMessage, Profile
from tests import factories
from tests.foundation.test_profiles import GOOD_PROFILE

from .conftest import sent_texts

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "Strong-pass-2026"


def _sign_up(client, language="ky", **fields):
    data = {**GOOD_PROFILE, "email": "", "password": PASSWORD, "consent": "on", **fields}
    return client.post(f"/{language}/accounts/signup/", data)


def test_a_person_signs_up_with_a_mobile_number_and_signs_in_with_it_in_any_form(client):
    response = _sign_up(client, phone="0700 12-34-56")
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(profile__phone="+996700123456")
    assert user.email is None and user.display_name == GOOD_PROFILE["full_name"]
    client.logout()
    for name in ("+996 700 123 456", "0700123456", "996700123456"):
        response = client.post("/ky/accounts/login/", {"username": name, "password": PASSWORD})
        assert response.status_code == 302, name
        client.logout()


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("+996 312 62 45 67", "мобилдик"),  # a Bishkek landline
        ("+7 701 123 45 67", "+996"),  # another country
        ("", "электрондук почта"),  # neither e-mail nor phone
    ],
)
def test_a_phone_account_needs_a_kyrgyz_mobile_and_bad_input_changes_nothing(client, phone, message):
    response = _sign_up(client, phone=phone)
    assert response.status_code == 200
    assert message in response.content.decode().lower() or message in response.content.decode()
    assert not User.objects.exists()


def test_one_number_never_belongs_to_two_accounts(client, participant, api_client):
    taken = participant.profile.phone
    response = _sign_up(client, phone=taken)
    assert response.status_code == 200 and User.objects.count() == 1
    other = factories.participant()
    api_client.force_authenticate(other)
    response = api_client.patch("/api/v1/me/", {"phone": taken}, format="json")
    assert response.status_code == 400 and "phone" in response.json()["errors"]
    other.profile.refresh_from_db()
    assert other.profile.phone != taken


def test_a_phone_account_keeps_its_number(api_client):
    user = User.objects.create_user(email=None, password=PASSWORD)
    Profile.objects.create(user=user, full_name="Бакыт Жумабаев", phone="+996555987654")
    api_client.force_authenticate(user)
    response = api_client.patch("/api/v1/me/", {"phone": ""}, format="json")
    assert response.status_code == 400
    assert Profile.objects.get(user=user).phone == "+996555987654"


def test_the_api_signs_up_and_gives_tokens_by_phone(api_client):
    response = api_client.post(
        "/api/v1/auth/signup/",
        {**GOOD_PROFILE, "phone": "0555 98-76-54", "password": PASSWORD, "consent": True},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["email"] is None
    token = api_client.post("/api/v1/auth/token/", {"phone": "+996555987654", "password": PASSWORD}, format="json")
    assert token.status_code == 200 and token.json()["token"]
    wrong = api_client.post("/api/v1/auth/token/", {"phone": "+996555987654", "password": "nope"}, format="json")
    assert wrong.status_code == 403
    neither = api_client.post("/api/v1/auth/token/", {"password": PASSWORD}, format="json")
    assert neither.status_code == 400 and "email" in neither.json()["errors"]


def test_wrong_passwords_count_against_the_account_however_the_number_is_written(client, settings):
    user = User.objects.create_user(email=None, password=PASSWORD)
    Profile.objects.create(user=user, full_name="Бакыт Жумабаев", phone="+996555987654")
    forms = ["0555987654", "+996 555 98 76 54", "996555987654", "0555 98-76-54"]
    for attempt in range(10):
        client.post("/ky/accounts/login/", {"username": forms[attempt % 4], "password": "wrong"})
    response = client.post("/ky/accounts/login/", {"username": "+996555987654", "password": PASSWORD})
    assert response.status_code == 429  # paused, even with the right password


def test_a_phone_account_resets_its_password_by_sms(client, sms_gateway, django_capture_on_commit_callbacks):
    user = User.objects.create_user(email=None, password=None)  # imported: never had a password
    Profile.objects.create(user=user, full_name="Бакыт Жумабаев", phone="+996555987654", preferred_language="ky")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ky/accounts/password-reset/", {"email": "0555 98 76 54"})
    assert response.status_code == 302
    [text] = sent_texts(sms_gateway)
    assert "/ky/accounts/reset/" in text and OutboxMessage.objects.get().channel == "sms"
    link = text[text.index("http") :].split()[0]
    page = client.get(link, follow=True)
    assert page.status_code == 200 and b"new_password1" in page.content


def test_a_phone_account_with_telegram_gets_the_reset_there(client, bot_api, django_capture_on_commit_callbacks):
    user = User.objects.create_user(email=None, password=PASSWORD)
    Profile.objects.create(user=user, full_name="Бакыт", phone="+996555987654", telegram_chat_id="31337")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/ru/accounts/password-reset/", {"email": "+996555987654"})
    assert len(bot_api.requests) == 1 and b"/accounts/reset/" in bot_api.requests[0]["body"]


def test_an_unknown_number_or_a_bad_value_sends_nothing(client, sms_gateway):
    assert client.post("/ky/accounts/password-reset/", {"email": "+996555000999"}).status_code == 302
    response = client.post("/ky/accounts/password-reset/", {"email": "not an address"})
    assert response.status_code == 200 and sms_gateway.requests == []
