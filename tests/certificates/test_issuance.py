"""Issuing one certificate: numbering, snapshot, e-mail, and the rules that refuse bad input."""

import re

import pytest
from django.db import IntegrityError, transaction

from academy.errors import DomainError
from academy.models import OutboxEmail
from certificates.models import Certificate, CertificateCounter, CertificateEvent, CertificateTemplate
from certificates.services import numbering
from certificates.services.issuance import issue_certificate
from tests import factories
from tests.certificates.conftest import make_template, register


def test_issue_creates_a_numbered_certificate_with_a_snapshot(certificate, registration, past_session, admin_user):
    assert re.fullmatch(r"CAALG-2026-\d{6}", certificate.number)
    assert certificate.sequence == 1 and certificate.year == 2026
    assert re.fullmatch(r"[A-Z2-7]{20}", certificate.code)
    profile = registration.user.profile
    assert certificate.holder_name == profile.full_name
    assert certificate.holder_name_latin == profile.full_name_latin
    assert certificate.course_title == past_session.course.title
    assert certificate.course_hours == 16
    assert str(certificate.starts_on) == "2026-11-10" and str(certificate.ends_on) == "2026-11-11"
    assert certificate.snapshot["trainers"][0]["name"] == past_session.trainers.get().profile.full_name
    assert certificate.snapshot["course_titles"]["ky"] == past_session.course.title
    assert certificate.licence_number == "LIC-0042"
    assert certificate.languages == "ky+ru"
    assert certificate.issued_by == admin_user
    assert CertificateEvent.objects.get(certificate=certificate).kind == "issued"


def test_issuing_again_returns_the_same_certificate(certificate, registration):
    again, created = issue_certificate(registration)
    assert not created and again == certificate
    assert Certificate.objects.count() == 1
    assert CertificateCounter.objects.get(year=2026).last_number == 1


def test_later_edits_do_not_change_an_issued_certificate(certificate, registration, past_session):
    profile = registration.user.profile
    profile.full_name = "Башка Ат"
    profile.save()
    course = past_session.course
    course.hours = 99
    course.title = "Жаңы аталыш"
    course.save_revision().publish()
    certificate.refresh_from_db()
    assert certificate.holder_name != "Башка Ат"
    assert certificate.course_hours == 16


def test_database_allows_one_valid_certificate_per_registration(certificate):
    duplicate = Certificate(
        registration=certificate.registration,
        template=certificate.template,
        number="X-1",
        year=2026,
        sequence=999,
        code="ABCDEFGHIJKLMNOPQRST",
        holder_name="x",
        course_title="x",
        course_hours=1,
        starts_on=certificate.starts_on,
        ends_on=certificate.ends_on,
        issued_on=certificate.issued_on,
        languages="ky",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_numbers_follow_each_other_and_restart_each_year(template, past_session, clock):
    people = [factories.participant() for _ in range(3)]
    numbers = [issue_certificate(register(past_session, person))[0].number for person in people[:2]]
    assert numbers == ["CAALG-2026-000001", "CAALG-2026-000002"]
    clock.move_to(factories.bishkek(2027, 1, 2))
    assert issue_certificate(register(past_session, people[2]))[0].number == "CAALG-2027-000001"


def test_a_rolled_back_transaction_consumes_no_number(template, past_session):
    first, second = factories.participant(), factories.participant()
    with pytest.raises(RuntimeError), transaction.atomic():
        issue_certificate(register(past_session, first))
        raise RuntimeError("the request failed after issuing")
    assert not Certificate.objects.exists()
    assert issue_certificate(register(past_session, second))[0].sequence == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_next_sequence_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        numbering.next_sequence(2026)


def test_participant_is_emailed_in_their_language(template, past_session):
    person = factories.participant()
    person.profile.preferred_language = "ru"
    person.profile.save()
    certificate, _created = issue_certificate(register(past_session, person))
    email = OutboxEmail.objects.get(key=f"certificate-issued:{certificate.pk}")
    assert email.to == person.email
    assert certificate.number in email.subject
    assert f"/verify/{certificate.code}/" in email.body_text
    assert "/ru/my/certificates/" in email.body_text


@pytest.mark.parametrize(
    "change,code",
    [
        ({"completed_at": None}, "not_completed"),
        ({"status": "cancelled"}, "not_eligible"),
    ],
)
def test_bad_registrations_get_a_clear_error_and_nothing_is_issued(template, past_session, participant, change, code):
    registration = register(past_session, participant)
    for name, value in change.items():
        setattr(registration, name, value)
    registration.save()
    with pytest.raises(DomainError) as error:
        issue_certificate(registration)
    assert error.value.code == code
    assert not Certificate.objects.exists()
    assert not CertificateCounter.objects.filter(last_number__gt=0).exists()
    assert not OutboxEmail.objects.exists()


def test_participant_without_a_name_gets_a_clear_error(template, past_session, participant):
    participant.profile.full_name = "  "
    participant.profile.save()
    with pytest.raises(DomainError) as error:
        issue_certificate(register(past_session, participant))
    assert error.value.code == "no_name"
    assert participant.email in str(error.value)
    assert not Certificate.objects.exists()


def test_revoked_certificate_is_not_issued_again(certificate, registration, admin_user):
    from certificates.services.revocation import revoke_certificate

    revoke_certificate(certificate, reason="Fraud", actor=admin_user)
    with pytest.raises(DomainError) as error:
        issue_certificate(registration)
    assert error.value.code == "revoked"
    assert Certificate.objects.count() == 1


def test_no_template_is_a_clear_error(registration):
    with pytest.raises(DomainError) as error:
        issue_certificate(registration)
    assert error.value.code == "no_template"


def test_the_only_template_is_the_default(db, registration):
    make_template(is_default=False)
    certificate, created = issue_certificate(registration)
    assert created and certificate.template.name == "Default"


def test_marking_a_default_template_unmarks_the_previous_one(db):
    first = make_template("First")
    second = make_template("Second")
    assert not CertificateTemplate.objects.get(pk=first.pk).is_default
    assert CertificateTemplate.objects.get(pk=second.pk).is_default


def test_missing_font_is_named_and_nothing_is_issued(template, registration, settings, tmp_path):
    settings.CERTIFICATES_FONT_DIR = tmp_path
    with pytest.raises(DomainError) as error:
        issue_certificate(registration)
    assert "DejaVuSans.ttf" in str(error.value)
    assert not Certificate.objects.exists()


def test_missing_image_file_is_named_and_nothing_is_issued(db, registration):
    from tests.certificates.conftest import wagtail_image

    logo = wagtail_image("academy-logo.png")
    template = make_template(logo=logo)
    logo.file.storage.delete(logo.file.name)
    with pytest.raises(DomainError) as error:
        issue_certificate(registration, template=template)
    assert "academy-logo" in str(error.value)
    assert "logo" in str(error.value)
    assert not Certificate.objects.exists()


def test_unreadable_image_is_named(db, registration):
    from django.core.files.base import ContentFile
    from wagtail.images.models import Image

    from tests.certificates.conftest import wagtail_image

    logo = wagtail_image("broken.png")
    with logo.file.storage.open(logo.file.name, "wb") as handle:
        handle.write(b"not an image")
    template = make_template(logo=Image.objects.get(pk=logo.pk))
    assert ContentFile
    with pytest.raises(DomainError) as error:
        issue_certificate(registration, template=template)
    assert "broken" in str(error.value)
