import pytest
from django.utils import translation

from academy.errors import DomainError
from academy.models import Profile, User
from academy.services import accounts
from academy.validators import normalize_phone

pytestmark = pytest.mark.django_db

GOOD_PROFILE = {
    "full_name": "Айгүл Өмүрбекова",
    "full_name_latin": "Aigul Omurbekova",
    "gender": "female",
    "year_of_birth": 1988,
    "position": "Финансы-экономикалык бөлүмдүн адиси",
    "organization_kind": "ayil_okmotu",
    "phone": "0555 12-34-56",
    "preferred_language": "ky",
}


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("0555 12-34-56", "+996555123456"),
        ("+996 (700) 123 456", "+996700123456"),
        ("996772410316", "+996772410316"),
        ("555123456", "+996555123456"),
    ],
)
def test_phone_numbers_are_normalized(raw, normalized):
    assert normalize_phone(raw) == normalized


def test_sign_up_records_consent_time_and_version(clock):
    user = accounts.sign_up_participant(
        email="Aigul@Example.org", password="Strong-pass-2026", consent=True, profile=dict(GOOD_PROFILE)
    )
    assert user.email == "aigul@example.org"
    assert user.check_password("Strong-pass-2026")
    profile = user.profile
    assert profile.phone == "+996555123456"
    assert profile.consent_given_at is not None
    assert profile.consent_version == "2026-01"
    assert user.groups.filter(name="Participants").exists()


def test_sign_up_without_consent_is_refused_and_creates_nothing():
    with pytest.raises(DomainError) as error:
        accounts.sign_up_participant(email="a@example.org", password="Strong-pass-2026", consent=False, profile=GOOD_PROFILE)
    assert error.value.field == "consent"
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "language", "expected"),
    [
        ("phone", "12345", "en", "Enter a Kyrgyz phone number"),
        ("phone", "+7 701 123 45 67", "ru", "Введите кыргызский номер телефона"),
        ("year_of_birth", 1850, "en", "Enter a year of birth between"),
        ("year_of_birth", 2024, "ru", "Введите год рождения между"),
        ("phone", "12345", "ky", "Телефон номерин +996 XXX XXX XXX"),
    ],
)
def test_bad_profile_input_gets_a_translated_error_and_saves_nothing(field, value, language, expected):
    profile = {**GOOD_PROFILE, field: value}
    with translation.override(language), pytest.raises(DomainError) as error:
        accounts.sign_up_participant(email="a@example.org", password="Strong-pass-2026", consent=True, profile=profile)
    assert error.value.field == field
    assert expected in str(error.value.message)
    assert not User.objects.exists()
    assert not Profile.objects.exists()


def test_duplicate_email_is_refused_case_insensitively():
    accounts.sign_up_participant(email="a@example.org", password="Strong-pass-2026", consent=True, profile=GOOD_PROFILE)
    with pytest.raises(DomainError) as error:
        accounts.sign_up_participant(
            email="A@EXAMPLE.ORG", password="Strong-pass-2026", consent=True, profile={**GOOD_PROFILE, "phone": ""}
        )
    assert error.value.field == "email"
    assert User.objects.count() == 1


def test_signup_page_creates_the_account_and_logs_in(client):
    response = client.post(
        "/ru/accounts/signup/",
        {**GOOD_PROFILE, "email": "new@example.org", "password": "Strong-pass-2026", "consent": "on"},
    )
    assert response.status_code == 302
    assert User.objects.filter(email="new@example.org").exists()
    assert client.get("/ru/accounts/profile/").status_code == 200


def test_signup_page_shows_a_translated_error_for_a_bad_phone(client):
    response = client.post(
        "/ru/accounts/signup/",
        {**GOOD_PROFILE, "phone": "abc", "email": "new@example.org", "password": "Strong-pass-2026", "consent": "on"},
    )
    assert response.status_code == 200
    assert "Введите кыргызский номер телефона" in response.content.decode()
    assert not User.objects.exists()


def test_profile_page_needs_login(client):
    response = client.get("/ky/accounts/profile/")
    assert response.status_code == 302
    assert "/ky/accounts/login/" in response["Location"]


def test_login_with_email_and_password(client, participant):
    response = client.post("/en/accounts/login/", {"username": participant.email, "password": "pass-Word-123"})
    assert response.status_code == 302
    client.logout()
    bad = client.post("/en/accounts/login/", {"username": participant.email, "password": "wrong"})
    assert bad.status_code == 200


def test_login_is_throttled(client, participant):
    for _attempt in range(10):
        client.post("/en/accounts/login/", {"username": participant.email, "password": "wrong"})
    response = client.post("/en/accounts/login/", {"username": participant.email, "password": "pass-Word-123"})
    assert response.status_code == 429


def test_password_reset_sends_an_email(client, participant, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # through the outbox, sent after commit
        response = client.post("/ru/accounts/password-reset/", {"email": participant.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/ru/accounts/reset/" in mailoutbox[0].body


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_sign_up_selects_name_their_empty_choice_instead_of_dashes(client, language):
    response = client.get(f"/{language}/accounts/signup/")
    assert response.status_code == 200
    assert "---------" not in response.content.decode()
