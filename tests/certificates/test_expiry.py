"""Certificates that expire: the date set at issue, what verification and "My certificates" say, the reminders."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from academy.models import OutboxEmail
from certificates.models import ExpiryReminder
from certificates.services import expiry
from certificates.services.issuance import issue_certificate
from certificates.services.revocation import reissue_certificate, revoke_certificate
from certificates.tasks import send_certificate_expiry_reminders
from courses.models import Registration
from tests import factories
from tests.certificates.conftest import register

pytestmark = pytest.mark.django_db

# The past session's registrations were completed on 11 Nov 2026; a 2-year validity ends on 11 Nov 2028.
EXPIRES = date(2028, 11, 11)


@pytest.fixture
def expiring_course(course):
    course.certificate_validity_years = 2
    course.save()
    return course


@pytest.fixture
def expiring(expiring_course, template, past_session, participant, admin_user, clock):
    return issue_certificate(register(past_session, participant), issued_by=admin_user)[0]


@pytest.fixture
def renewal_session(expiring_course, clock):
    return factories.make_session(expiring_course, starts_at=factories.bishkek(2028, 10, 20), title="Ош, күзгү топ")


def at(clock, day):
    clock.move_to(factories.bishkek(day.year, day.month, day.day, 10))


def reminder_emails():
    return OutboxEmail.objects.filter(key__startswith="certificate-expiring:")


# --- the date -----------------------------------------------------------------------------------------------


def test_issue_stores_the_last_valid_day_from_the_completion_date(expiring):
    assert expiring.expires_at == EXPIRES
    assert not expiring.is_expired(date(2028, 11, 11)) and expiring.is_expired(date(2028, 11, 12))


def test_a_course_without_validity_issues_certificates_that_never_expire(certificate):
    assert certificate.expires_at is None
    assert certificate.public_status(date(2099, 1, 1)) == "valid"


def test_a_correction_keeps_the_expiry_of_the_certificate_it_corrects(expiring, expiring_course, admin_user):
    expiring_course.certificate_validity_years = 5  # a later change of the rule does not move a correction
    expiring_course.save()
    corrected = reissue_certificate(expiring, reason="spelling", actor=admin_user)
    assert corrected.expires_at == EXPIRES


def test_29_february_ends_on_28_february():
    assert expiry.add_years(date(2028, 2, 29), 1) == date(2029, 2, 28)
    assert expiry.expiry_date(None, None) is None and expiry.expiry_date(0, None) is None


@pytest.mark.parametrize("years", [0, -1, 51])
def test_validity_of_zero_negative_or_absurd_years_is_refused(course, years):
    course.certificate_validity_years = years
    with pytest.raises(ValidationError) as error:
        course.full_clean()
    assert "certificate_validity_years" in error.value.message_dict


# --- verification, API and "My certificates" ----------------------------------------------------------------


def test_verification_api_says_valid_until_then_expired(expiring, client, clock):
    url = reverse("api-certificate-verify", args=[expiring.code])
    at(clock, EXPIRES)
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["status"] == "valid" and body["valid"] is True and body["expires_at"] == "2028-11-11"
    assert body["expired"] is False
    at(clock, date(2028, 11, 12))  # the cached record is keyed by the day, so the change shows at once
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["status"] == "expired" and body["valid"] is False and body["expired"] is True
    assert body["status_display"] == "Expired"


@pytest.mark.parametrize(
    ("language", "valid_text", "expired_text"),
    [
        ("en", "Valid until", "This certificate has expired."),
        ("ru", "Действителен до", "Срок действия этого сертификата истёк."),
        ("ky", "Жарактуу мөөнөтү:", "Бул сертификаттын мөөнөтү бүттү."),
    ],
)
def test_verification_page_in_each_language(expiring, client, clock, language, valid_text, expired_text):
    url = f"/verify/{expiring.code}/?lang={language}"
    at(clock, date(2028, 11, 10))
    page = client.get(url).content.decode()
    assert valid_text in page and expired_text not in page
    at(clock, date(2028, 11, 12))
    expiry.refresh_expired()  # the daily run drops the page cached while it was valid
    page = client.get(url).content.decode()
    assert expired_text in page


def test_revoked_stays_revoked_after_the_date(expiring, admin_user, client, clock):
    revoke_certificate(expiring, reason="x", actor=admin_user)
    at(clock, date(2029, 1, 1))
    body = client.get(reverse("api-certificate-verify", args=[expiring.code])).json()
    assert body["status"] == "revoked" and body["expired"] is False


def test_my_certificates_shows_valid_until_then_expired(expiring, client, clock):
    at(clock, date(2028, 1, 1))
    client.force_login(expiring.user)  # after moving the clock, or the session would have expired
    with translation.override("en"):
        url = reverse("my_certificates")
    body = client.get(url).content.decode()
    assert "Valid until" in body and "Expired" not in body
    at(clock, date(2028, 11, 12))
    client.force_login(expiring.user)
    assert "Expired" in client.get(url).content.decode()
    api = client.get(reverse("api-my-certificates")).json()["results"][0]
    assert api["expires_at"] == "2028-11-11" and api["expired"] is True


# --- reminders ----------------------------------------------------------------------------------------------


def test_reminders_at_60_and_14_days_once_each_with_the_renewing_sessions(expiring, renewal_session, clock):
    at(clock, date(2028, 9, 11))  # 61 days left: nothing yet
    assert expiry.send_expiry_reminders() == 0
    at(clock, date(2028, 9, 12))  # 60 days left
    assert expiry.send_expiry_reminders() == 1
    email = reminder_emails().get()
    assert email.key == f"certificate-expiring:{expiring.pk}:60" and email.to == expiring.user.email
    assert expiring.number in email.subject and "11.11.2028" in email.subject
    assert "Ош, күзгү топ" in email.body_text and f"/ky/sessions/{renewal_session.pk}/" in email.body_text
    assert expiry.send_expiry_reminders() == 0  # run it twice: nothing more
    at(clock, date(2028, 9, 20))
    assert expiry.send_expiry_reminders() == 0
    at(clock, date(2028, 10, 28))  # 14 days left
    assert expiry.send_expiry_reminders() == 1
    assert sorted(ExpiryReminder.objects.values_list("days_before", flat=True)) == [14, 60]
    assert reminder_emails().count() == 2


def test_after_missed_days_only_the_nearest_reminder_goes(expiring, clock):
    at(clock, date(2028, 11, 3))  # 8 days left, the task never ran before
    assert expiry.send_expiry_reminders() == 1
    assert list(ExpiryReminder.objects.values_list("days_before", flat=True)) == [14]
    at(clock, date(2028, 11, 4))
    assert expiry.send_expiry_reminders() == 0  # and the 60-day one never follows


def test_no_reminder_once_renewed_nor_after_expiry(expiring, expiring_course, admin_user, clock):
    # Renewed: the same person completed the course again (in 2028) and holds a newer valid certificate of it.
    at(clock, date(2028, 6, 2))
    newer_session = factories.make_session(
        expiring_course, starts_at=factories.bishkek(2028, 5, 30), status="completed"
    )
    renewal = Registration.objects.create(
        session=newer_session, user=expiring.user, status="confirmed", completed_at=factories.bishkek(2028, 6, 1)
    )
    newer = issue_certificate(renewal, issued_by=admin_user)[0]
    assert newer.expires_at == date(2030, 6, 1)
    at(clock, date(2028, 9, 12))
    assert expiry.send_expiry_reminders() == 0
    at(clock, date(2028, 11, 12))  # expired: too late to remind
    assert expiry.due_reminders() == []


def test_reminder_without_upcoming_sessions_says_so(expiring, clock):
    expiring.user.profile.preferred_language = "en"
    expiring.user.profile.save()
    at(clock, date(2028, 9, 12))
    expiry.send_expiry_reminders()
    assert "No session is scheduled yet" in reminder_emails().get().body_text


def test_revoked_certificate_gets_no_reminder(expiring, admin_user, clock):
    revoke_certificate(expiring, reason="x", actor=admin_user)
    at(clock, date(2028, 9, 12))
    assert expiry.send_expiry_reminders() == 0


def test_reminder_days_come_from_settings(expiring, clock, settings):
    settings.CERTIFICATES_EXPIRY_REMINDER_DAYS = [30, "bad", 0, -5]
    assert expiry.reminder_days() == [30]
    at(clock, date(2028, 9, 12))
    assert expiry.send_expiry_reminders() == 0
    at(clock, date(2028, 10, 12))  # 30 days left
    assert expiry.send_expiry_reminders() == 1


def test_reminder_in_the_holders_language(expiring, clock):
    profile = expiring.user.profile
    profile.preferred_language = "ru"
    profile.save()
    at(clock, date(2028, 9, 12))
    expiry.send_expiry_reminders()
    assert "Срок действия" in reminder_emails().get().subject or "истекает" in reminder_emails().get().subject


def test_the_beat_task_runs_twice_without_a_second_reminder(expiring, clock):
    at(clock, date(2028, 9, 12))
    assert send_certificate_expiry_reminders.delay().get() == 1
    assert send_certificate_expiry_reminders.delay().get() == 0
    assert ExpiryReminder.objects.count() == 1 and reminder_emails().count() == 1


def test_the_task_is_scheduled_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["certificate-expiry-reminders"]
    assert entry["task"] == "certificates.tasks.send_certificate_expiry_reminders"
    assert entry["schedule"].hour == {0}


def test_holder_reached_by_telegram_gets_the_reminder_there(expiring, clock, settings):
    from academy.models import OutboxMessage

    settings.TELEGRAM_BOT_TOKEN = "123:abc"
    profile = expiring.user.profile
    profile.telegram_chat_id = "4242"
    profile.notify_by_telegram = True
    profile.save()
    at(clock, date(2028, 9, 12))
    assert expiry.best_channel(expiring.user) == "telegram"
    assert expiry.send_expiry_reminders() == 1
    message = OutboxMessage.objects.get(key=f"certificate-expiring:{expiring.pk}:60")
    assert expiring.number in message.text
    assert ExpiryReminder.objects.get().channel == "telegram"


@pytest.mark.parametrize("value", ["0", "-3", "51", "abc"])
def test_the_course_form_refuses_bad_validity_with_a_message_and_changes_nothing(course, value):
    from django.forms import modelform_factory

    from courses.models import CoursePage

    form = modelform_factory(CoursePage, fields=["certificate_validity_years"])(
        {"certificate_validity_years": value}, instance=course
    )
    assert not form.is_valid()
    assert form.errors["certificate_validity_years"][0].strip()
    course.refresh_from_db()
    assert course.certificate_validity_years is None
    empty = modelform_factory(CoursePage, fields=["certificate_validity_years"])(
        {"certificate_validity_years": ""}, instance=course
    )
    assert empty.is_valid()  # empty: certificates never expire
