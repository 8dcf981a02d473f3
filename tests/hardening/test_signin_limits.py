"""Sign-in limits (issues 14 and 15): a hall behind one address signs in together; guessing one account's
password is paused per account on every way in; spraying many accounts from one address is stopped; sign-up
and password reset requests are limited per address and per e-mail address.

The limits are the production defaults (academy/settings/base.py): 10 wrong passwords in 15 minutes per
account, 100 wrong passwords an hour per address, sign-ups 10 in 10 seconds and 100 an hour per address.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from academy.models import OutboxEmail, User
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "pass-Word-123"
HALL = "203.0.113.40"  # the venue's Wi-Fi: one address for everybody in the hall


def site(address=HALL):
    return Client(REMOTE_ADDR=address)


def api(address=HALL):
    return APIClient(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")


def log_in(client, email, password, language="en"):
    return client.post(f"/{language}/accounts/login/", {"username": email, "password": password})


def get_token(client, email, password):
    return client.post("/api/v1/auth/token/", {"email": email, "password": password}, format="json")


@pytest.fixture
def hall(db):
    return [factories.participant() for _person in range(40)]


def test_the_limits_are_the_production_defaults(settings):
    assert settings.ACADEMY_SIGNIN_ACCOUNT_LIMIT == "10/15min"
    assert settings.ACADEMY_SIGNIN_ADDRESS_LIMIT == "100/h"


# --- a hall behind one address ----------------------------------------------------------------------------


def test_forty_people_sign_in_on_the_site_from_one_address_within_a_minute(homes, hall, clock):
    for number, person in enumerate(hall):
        client = site()
        if number % 2:  # half of the hall mistypes once first
            assert log_in(client, person.email, "typo").status_code == 200
        clock.shift(1)
        response = log_in(client, person.email, PASSWORD)
        assert response.status_code == 302, f"person {number + 1} of the hall was refused"
        assert client.session["_auth_user_id"] == str(person.pk)


def test_forty_people_get_api_tokens_from_one_address_within_a_minute(hall, clock):
    client = api()
    for number, person in enumerate(hall):
        clock.shift(1)
        response = get_token(client, person.email, PASSWORD)
        assert response.status_code == 200, f"person {number + 1} of the hall was refused"


def test_three_hundred_sign_ins_an_hour_from_one_address(clock):
    people = [factories.participant() for _person in range(60)]
    client = api()
    for _round in range(5):
        for person in people:
            clock.shift(10)  # 300 sign-ins in 50 minutes
            assert get_token(client, person.email, PASSWORD).status_code == 200


# --- guessing one account's password ----------------------------------------------------------------------


def test_eleven_wrong_passwords_pause_the_account_on_every_way_in_until_the_window_passes(
    homes, participant, clock
):
    client = site()
    for _attempt in range(10):
        response = log_in(client, participant.email, "wrong")
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    response = log_in(client, participant.email, PASSWORD)
    assert response.status_code == 429, "the right password must not get through while the account is paused"
    assert "_auth_user_id" not in client.session
    assert "paused until 10:15" in response.content.decode()  # 15 minutes after the first wrong one, Bishkek time
    assert int(response["Retry-After"]) == 15 * 60 + 1

    # The pause is the account's: another address, the API and the admin are refused as well.
    assert log_in(site("198.51.100.7"), participant.email, PASSWORD).status_code == 429
    refused = get_token(api("198.51.100.7"), participant.email, PASSWORD)
    assert refused.status_code == 429 and "token" not in refused.json()
    assert "paused until 10:15" in refused.json()["detail"] and refused["Retry-After"]
    admin = site("198.51.100.8")
    response = admin.post("/admin/login/", {"username": participant.email, "password": PASSWORD})
    assert "_auth_user_id" not in admin.session and "paused until 10:15" in response.content.decode()

    # Other accounts behind the same address are not affected.
    assert log_in(site(), factories.participant().email, PASSWORD).status_code == 302

    clock.shift(15 * 60 + 1)
    assert log_in(client, participant.email, PASSWORD).status_code == 302


def test_the_pause_says_until_when_in_kyrgyz(homes, participant, clock):
    client = site()
    for _attempt in range(10):
        log_in(client, participant.email, "wrong", language="ky")
    response = log_in(client, participant.email, PASSWORD, language="ky")
    assert response.status_code == 429
    assert "10:15 чейин токтотулду" in response.content.decode()


def test_the_admin_login_is_limited(admin_user, clock):
    client = site()
    for _attempt in range(10):
        response = client.post("/admin/login/", {"username": admin_user.email, "password": "wrong"})
        assert "_auth_user_id" not in client.session
    response = client.post("/admin/login/", {"username": admin_user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session, "100 guesses then the right password must not work"
    assert "Too many wrong passwords" in response.content.decode()
    clock.shift(15 * 60 + 1)
    response = client.post("/admin/login/", {"username": admin_user.email, "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(admin_user.pk)


@pytest.mark.parametrize("reset", ["/en/accounts/reset/", "/admin/password_reset/confirm/"], ids=["site", "admin"])
def test_wrong_password_reset_links_count_against_the_account(homes, participant, clock, reset):
    uid = urlsafe_base64_encode(force_bytes(participant.pk))
    client = site()
    for attempt in range(10):
        response = client.get(f"{reset}{uid}/guess-{attempt:04d}/")
        assert response.status_code == 200 and "valid" in response.content.decode()
    valid = default_token_generator.make_token(participant)
    response = client.get(f"{reset}{uid}/{valid}/")
    assert response.status_code == 429 and "paused until 10:15" in response.content.decode()
    assert log_in(site("198.51.100.7"), participant.email, PASSWORD).status_code == 429, "one limit for all"

    clock.shift(15 * 60 + 1)
    response = client.get(f"{reset}{uid}/{valid}/")
    assert response.status_code == 302 and response["Location"].endswith("/set-password/")
    response = client.post(
        response["Location"], {"new_password1": "another-Pass-456", "new_password2": "another-Pass-456"}
    )
    assert response.status_code == 302
    assert log_in(site(), participant.email, "another-Pass-456").status_code == 302


# --- spraying many accounts from one address --------------------------------------------------------------


def test_spraying_a_thousand_accounts_from_one_address_is_stopped(participant, clock):
    client = api()
    statuses = []
    for number in range(1000):
        clock.shift(1)
        statuses.append(get_token(client, f"guess{number}@example.org", "Password1").status_code)
    assert statuses.count(403) == 100, "only the address ceiling's 100 passwords were checked"
    assert statuses[100:] == [429] * 900
    # Meanwhile that address cannot sign anybody in; others can.
    assert get_token(client, participant.email, PASSWORD).status_code == 429
    assert get_token(api("198.51.100.7"), participant.email, PASSWORD).status_code == 200
    clock.shift(3600)
    assert get_token(client, participant.email, PASSWORD).status_code == 200


def test_a_forged_forwarded_for_header_does_not_escape_the_account_limit(participant):
    client = api()
    for attempt in range(10):
        client.post(
            "/api/v1/auth/token/",
            {"email": participant.email, "password": "wrong"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}",
        )
    assert get_token(client, participant.email, PASSWORD).status_code == 429


# --- sign-up and password reset requests ------------------------------------------------------------------


def signup_data(number):
    return {
        "email": f"new{number}@example.org",
        "password": PASSWORD,
        "full_name": f"Жаңы Катышуучу {number}",
        "consent": "on",
        "preferred_language": "ky",
    }


def test_fifteen_html_sign_ups_in_four_seconds_are_stopped(homes, clock):
    statuses = []
    for number in range(15):
        clock.shift(0.25)
        statuses.append(site().post("/en/accounts/signup/", signup_data(number)).status_code)
    assert statuses == [302] * 10 + [429] * 5
    assert User.objects.filter(email__startswith="new").count() == 10
    refused = site().post("/en/accounts/signup/", signup_data(99))
    assert "Too many sign-ups" in refused.content.decode()
    assert 'value="new99@example.org"' in refused.content.decode(), "what was typed is kept for the next try"


def test_a_hall_signs_up_from_one_address(homes, clock):
    for number in range(40):
        clock.shift(2)  # forty people finishing the form within a minute and a half
        assert site().post("/en/accounts/signup/", signup_data(number)).status_code == 302, number


def test_api_sign_ups_are_limited_per_address_and_per_email(clock):
    client = api()
    statuses = [
        client.post("/api/v1/auth/signup/", {**signup_data(n), "consent": True}, format="json").status_code
        for n in range(15)
    ]
    assert statuses == [201] * 10 + [429] * 5
    clock.shift(3600)
    same = [
        api(f"198.51.100.{n}").post("/api/v1/auth/signup/", {**signup_data(0), "consent": True}, format="json")
        for n in range(6)
    ]
    assert [response.status_code for response in same] == [400] * 5 + [429]
    assert same[-1]["Retry-After"]


def test_fifteen_reset_emails_to_one_address_back_to_back_are_stopped(
    homes, participant, django_capture_on_commit_callbacks, clock
):
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(15):
            clock.shift(2)  # (requests within one second share one reset token, hence one e-mail)
            client = site(f"198.51.100.{number}")  # even from many addresses
            statuses.append(client.post("/en/accounts/password-reset/", {"email": participant.email}).status_code)
    assert statuses == [302] * 3 + [429] * 12
    assert len(mail.outbox) == 3
    refused = site().post("/en/accounts/password-reset/", {"email": participant.email})
    assert "Too many password reset requests" in refused.content.decode()


def test_reset_requests_from_one_address_are_limited(homes):
    statuses = [
        site().post("/en/accounts/password-reset/", {"email": f"someone{n}@example.org"}).status_code
        for n in range(12)
    ]
    assert statuses == [302] * 10 + [429] * 2


def test_admin_reset_emails_to_one_address_are_limited(admin_user, django_capture_on_commit_callbacks, clock):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(15):
            clock.shift(2)
            response = site(f"198.51.100.{number}").post("/admin/password_reset/", {"email": admin_user.email})
            assert response.status_code == 302
    assert OutboxEmail.objects.filter(to=admin_user.email).count() == 3
    assert len(mail.outbox) == 3


# --- the cache down ---------------------------------------------------------------------------------------


def test_with_the_cache_down_every_way_in_works_and_nothing_fails(homes, participant, settings):
    from django.core.cache import caches

    from tests.hardening.test_faults import DEAD_REDIS_CACHE

    settings.CACHES = DEAD_REDIS_CACHE
    caches._settings = caches.settings = DEAD_REDIS_CACHE
    caches._connections.__dict__.pop("default", None)
    try:
        assert log_in(site(), participant.email, "wrong").status_code == 200
        assert log_in(site(), participant.email, PASSWORD).status_code == 302
        assert get_token(api(), participant.email, PASSWORD).status_code == 200
        assert site().post("/en/accounts/signup/", signup_data(1)).status_code == 302
        assert site().post("/en/accounts/password-reset/", {"email": participant.email}).status_code == 302
    finally:
        caches._connections.__dict__.pop("default", None)


# --- check-in: a hall scans the code and signs in ---------------------------------------------------------


def test_a_hall_scans_the_check_in_code_signs_in_and_is_checked_in(course, trainer, clock):
    from django.urls import reverse

    from courses.models import Attendance, Registration
    from courses.services import attendance as attendance_service
    from courses.services import checkin
    from tests.attendance.conftest import make_session

    session = make_session(course, trainers=[trainer], status="open")
    people = [factories.participant() for _person in range(40)]
    for person in people:
        Registration.objects.create(session=session, user=person, status="confirmed")
    clock.move_to(session.starts_at + timedelta(minutes=5))
    code = checkin.issue_code(session, attendance_service.session_slots(session)[0], by=trainer).code
    path = reverse("attendance_check_in", args=[code])
    for person in people:
        client = site()
        scanned = client.get(path)
        assert scanned.status_code == 302 and "/accounts/login/" in scanned["Location"]
        signed_in = client.post(scanned["Location"], {"username": person.email, "password": PASSWORD})
        assert signed_in.status_code == 302 and signed_in["Location"] == path
        assert client.post(path).status_code == 200
    assert Attendance.objects.filter(registration__session=session).count() == 40
