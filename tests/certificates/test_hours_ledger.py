"""The hours ledger: completions at the academy and external trainings, one by one in the admin; bad input changes nothing."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from academy.errors import DomainError, PermissionDeniedError
from certificates.models import ExternalTraining
from certificates.services import external_trainings, hours_ledger
from courses.models import Registration
from courses.services.completion import override_completion
from tests import factories
from tests.certificates.conftest import COMPLETED_AT, register

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)


@pytest.fixture
def admin_client(client, admin_user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(admin_user)
    return client


def add(user, admin_user, **values):
    values = {
        "title": "Муниципалдык бюджет",
        "provider": "ГАГСМУ",
        "starts_on": date(2025, 3, 10),
        "ends_on": date(2025, 3, 12),
        "hours": 24,
        **values,
    }
    return external_trainings.add_training(user, by=values.pop("by", admin_user), today=TODAY, **values)


# Completions ------------------------------------------------------------------------------------


def test_a_completed_registration_credits_the_course_hours_on_its_completion_date(past_session, participant):
    register(past_session, participant)
    register(factories.make_session(past_session.course, starts_at=factories.bishkek(2026, 12, 20)), participant, completed=False)
    entries = hours_ledger.ledger(participant)
    assert len(entries) == 1
    entry = entries[0]
    assert entry.kind == hours_ledger.ACADEMY and entry.hours == 16
    assert entry.credited_on == COMPLETED_AT.date() and entry.starts_on == date(2026, 11, 10)
    assert entry.title("ky") == past_session.course.title


def test_the_ledger_follows_completion_both_ways(past_session, participant, admin_user):
    registration = register(past_session, participant)
    assert [entry.ref for entry in hours_ledger.ledger(participant)] == [registration.pk]

    override_completion(registration, completed=False, reason="Экинчи күнү катышкан эмес", by=admin_user)
    registration.refresh_from_db()
    assert registration.completed_at is None
    assert hours_ledger.ledger(participant) == []

    override_completion(registration, completed=True, reason="Тренер ырастады", by=admin_user)
    assert [entry.ref for entry in hours_ledger.ledger(participant)] == [registration.pk]


def test_the_ledger_is_exactly_the_completed_registrations(course, participant):
    sessions = [
        factories.make_session(course, starts_at=factories.bishkek(2025, month, 5), status="completed")
        for month in range(1, 9)
    ]
    for index, session in enumerate(sessions):
        register(session, participant, completed=index % 3 != 0)
    completed = set(Registration.objects.of(participant).completed().values_list("pk", flat=True))
    academy = {entry.ref for entry in hours_ledger.ledger(participant) if entry.kind == hours_ledger.ACADEMY}
    assert academy == completed and len(completed) == 5
    assert hours_ledger.record(participant, TODAY).total_hours == 5 * course.hours


def test_the_certificate_number_shows_beside_a_completion(certificate, participant):
    (entry,) = hours_ledger.ledger(participant)
    assert entry.certificate_number == certificate.number


def test_reading_a_long_record_takes_a_fixed_number_of_queries(course, participant, admin_user, django_assert_max_num_queries):
    for month in range(1, 11):
        session = factories.make_session(course, starts_at=factories.bishkek(2025, month, 5), status="completed")
        register(session, participant)
        add(participant, admin_user, title=f"Сырткы окуу {month}", starts_on=date(2024, month, 1), ends_on=date(2024, month, 2))
    user = type(participant).objects.get(pk=participant.pk)
    with django_assert_max_num_queries(8):
        record = hours_ledger.record(user, TODAY)
    assert len(record.entries) == 20


# External trainings through the service ----------------------------------------------------------


def test_an_external_training_credits_its_hours_on_its_end_date(participant, admin_user):
    training = add(participant, admin_user)
    assert training.created_by == admin_user and training.title_key == "муниципалдык бюджет"
    (entry,) = hours_ledger.ledger(participant)
    assert entry.kind == hours_ledger.EXTERNAL and entry.credited_on == date(2025, 3, 12) and entry.hours == 24
    assert entry.provider_name("ru") == "ГАГСМУ"


def test_the_same_title_on_the_same_dates_is_refused_and_changes_nothing(participant, admin_user):
    add(participant, admin_user)
    with pytest.raises(DomainError) as error:
        add(participant, admin_user, title="  муниципалдык   БЮДЖЕТ ", hours=8)
    assert error.value.code == "duplicate"
    assert "already has" in str(error.value.message) and "nothing was added" in str(error.value.message)
    assert ExternalTraining.objects.count() == 1
    # Other dates, or another person, are another training.
    add(participant, admin_user, starts_on=date(2025, 4, 1), ends_on=date(2025, 4, 1))
    add(factories.participant(), admin_user)
    assert ExternalTraining.objects.count() == 3


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (0, "Academic hours must be more than zero."),
        (-8, "Academic hours must be more than zero."),
        ("-8", "Academic hours must be more than zero."),
        ("0,0", "Academic hours must be more than zero."),
        ("1.5", "Academic hours are whole numbers: “1.5” is not."),
        ("саат", "“саат” is not a number of hours."),
        ("", "Give the number of academic hours."),
        (5000, "At most 1000 academic hours for one training."),
    ],
)
def test_hours_must_be_whole_and_above_zero(participant, admin_user, hours, message):
    with pytest.raises(DomainError) as error:
        add(participant, admin_user, hours=hours)
    assert str(error.value.message) == message and error.value.field == "hours"
    assert not ExternalTraining.objects.exists()


def test_hours_in_kyrgyz_and_russian(participant, admin_user):
    from django.utils import translation

    for language, text in (("ky", "Академиялык саат нөлдөн көп болушу керек."), ("ru", "Академических часов должно быть больше нуля.")):
        with translation.override(language), pytest.raises(DomainError) as error:
            add(participant, admin_user, hours=0)
        assert str(error.value.message) == text


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"starts_on": date(2025, 3, 12), "ends_on": date(2025, 3, 10)}, "ends_on"),
        ({"starts_on": date(2026, 11, 30), "ends_on": date(2026, 12, 2)}, "ends_on"),
        ({"title": "   "}, "title"),
        ({"starts_on": None, "ends_on": None}, "starts_on"),
        ({"starts_on": "31.02.2025"}, "starts_on"),
    ],
)
def test_bad_dates_and_titles_are_refused(participant, admin_user, values, field):
    with pytest.raises(DomainError) as error:
        add(participant, admin_user, **values)
    assert error.value.field == field
    assert not ExternalTraining.objects.exists()


def test_only_academy_admins_add_external_trainings(participant, trainer):
    with pytest.raises(PermissionDeniedError):
        add(participant, trainer, by=trainer)
    with pytest.raises(PermissionDeniedError):
        add(participant, participant, by=participant)
    assert not ExternalTraining.objects.exists()


def test_find_person_by_email_or_phone(participant):
    assert external_trainings.find_person(participant.email.upper()) == participant
    phone = participant.profile.phone  # +996555......
    assert external_trainings.find_person("0" + phone[4:]) == participant
    assert external_trainings.find_person("nobody@example.org") is None
    assert external_trainings.find_person("12") is None


# The admin screens -------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def form_data(person, **values):
    return {
        "person": person,
        "title": "Жергиликтүү бюджет",
        "provider": "Союз МСУ",
        "starts_on": "2025-05-20",
        "ends_on": "2025-05-22",
        "hours": "24",
        **values,
    }


def test_admin_adds_an_external_training_with_evidence(admin_client, participant):
    evidence = SimpleUploadedFile("Сертификат.pdf", PDF, content_type="application/pdf")
    response = admin_client.post(reverse("external_trainings:add"), {**form_data(participant.email), "evidence": evidence})
    assert response.status_code == 302, response.content.decode()[:2000]
    training = ExternalTraining.objects.get()
    assert training.user == participant and training.hours == 24 and training.evidence_name == "Сертификат.pdf"
    assert training.evidence.name.startswith(f"external-trainings/{participant.pk}/")
    download = admin_client.get(reverse("qualification_admin:evidence", args=[training.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF

    listing = admin_client.get(reverse("external_trainings:index"))
    assert "Жергиликтүү бюджет" in listing.content.decode()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"hours": "0"}, "Academic hours must be more than zero."),
        ({"hours": "-3"}, "Academic hours must be more than zero."),
        ({"person": "nobody@example.org"}, "No account has this e-mail address or phone number."),
        ({"ends_on": "2025-05-01"}, "The training cannot end before it starts."),
    ],
)
def test_admin_form_refuses_bad_input_with_a_message(admin_client, participant, values, message):
    response = admin_client.post(reverse("external_trainings:add"), {**form_data(participant.email), **values})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ExternalTraining.objects.exists()


def test_admin_form_refuses_a_duplicate(admin_client, participant, admin_user):
    add(participant, admin_user, title="Жергиликтүү бюджет", starts_on=date(2025, 5, 20), ends_on=date(2025, 5, 22))
    response = admin_client.post(reverse("external_trainings:add"), form_data(participant.profile.phone, title="ЖЕРГИЛИКТҮҮ бюджет"))
    assert response.status_code == 200
    assert "already has “ЖЕРГИЛИКТҮҮ бюджет” on these dates" in response.content.decode()
    assert ExternalTraining.objects.count() == 1


def test_admin_edits_without_tripping_over_the_training_itself(admin_client, participant, admin_user):
    training = add(participant, admin_user, title="Жергиликтүү бюджет", starts_on=date(2025, 5, 20), ends_on=date(2025, 5, 22))
    page = admin_client.get(reverse("external_trainings:edit", args=[training.pk]))
    assert participant.email in page.content.decode()
    response = admin_client.post(reverse("external_trainings:edit", args=[training.pk]), form_data(participant.email, hours="30"))
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.hours == 30


def test_admin_refuses_an_evidence_file_that_is_not_a_document(admin_client, participant):
    evidence = SimpleUploadedFile("scan.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = admin_client.post(reverse("external_trainings:add"), {**form_data(participant.email), "evidence": evidence})
    assert response.status_code == 200
    assert "does not match its type" in response.content.decode()
    assert not ExternalTraining.objects.exists()


def test_trainers_and_participants_cannot_open_the_qualification_screens(client, participant, trainer, admin_user):
    training = add(participant, admin_user)
    urls = [
        reverse("external_trainings:index"),
        reverse("external_trainings:add"),
        reverse("external_trainings:edit", args=[training.pk]),
        reverse("qualification_rules:index"),
        reverse("qualification_admin:import"),
        reverse("qualification_admin:evidence", args=[training.pk]),
    ]
    for user in (trainer, participant):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code in (302, 403), (user, url)
        assert client.post(reverse("external_trainings:add"), form_data(participant.email)).status_code in (302, 403)
    assert ExternalTraining.objects.count() == 1


def test_admin_edits_the_rule(admin_client):
    from certificates.models import QualificationRule

    rule = QualificationRule.objects.get(role_group="servant")
    response = admin_client.post(
        reverse("qualification_rules:edit", args=[rule.pk]),
        {"role_group": "servant", "min_hours": "60", "cycle_years": "3", "due_soon_days": "120", "position_keywords": ""},
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.min_hours == 60 and rule.due_soon_days == 120
    bad = admin_client.post(
        reverse("qualification_rules:edit", args=[rule.pk]),
        {"role_group": "servant", "min_hours": "0", "cycle_years": "3", "due_soon_days": "90", "position_keywords": ""},
    )
    assert bad.status_code == 200
    rule.refresh_from_db()
    assert rule.min_hours == 60
