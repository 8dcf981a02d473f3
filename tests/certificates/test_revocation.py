"""Revocation and reissue, with an audit trail, and what the verification page then says."""

import pytest

from academy.errors import DomainError
from academy.models import OutboxEmail
from certificates.models import Certificate, CertificateEvent
from certificates.services.revocation import reissue_certificate, revoke_certificate


def test_revoke_records_who_when_and_why(certificate, admin_user, clock):
    revoke_certificate(certificate, reason="  Документтер жасалма  ", actor=admin_user)
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    assert certificate.revocation_reason == "Документтер жасалма"
    assert certificate.revoked_at is not None
    event = certificate.events.get(kind="revoked")
    assert event.actor == admin_user and event.reason == "Документтер жасалма"


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_revoke_needs_a_reason(certificate, admin_user, reason):
    with pytest.raises(DomainError) as error:
        revoke_certificate(certificate, reason=reason, actor=admin_user)
    assert error.value.field == "reason"
    certificate.refresh_from_db()
    assert certificate.status == "valid"


def test_revoking_twice_is_refused(certificate, admin_user):
    revoke_certificate(certificate, reason="x", actor=admin_user)
    with pytest.raises(DomainError) as error:
        revoke_certificate(certificate, reason="y", actor=admin_user)
    assert error.value.code == "revoked"
    assert CertificateEvent.objects.filter(kind="revoked").count() == 1


def test_reissue_replaces_with_a_new_number_and_code(certificate, registration, admin_user):
    profile = registration.user.profile
    profile.full_name = "Айгүл Токтосунова (оңдолгон)"
    profile.save()
    new = reissue_certificate(certificate, reason="Аты туура эмес жазылган", actor=admin_user)
    certificate.refresh_from_db()
    assert certificate.status == "replaced" and certificate.replaced_by == new
    assert new.replaces == certificate and new.status == "valid"
    assert new.number != certificate.number and new.code != certificate.code
    assert new.sequence == certificate.sequence + 1
    assert new.holder_name == "Айгүл Токтосунова (оңдолгон)"
    assert certificate.holder_name != new.holder_name
    kinds = {event.certificate_id: event.kind for event in CertificateEvent.objects.filter(actor=admin_user)}
    assert kinds == {certificate.pk: "replaced", new.pk: "reissued"}
    email = OutboxEmail.objects.get(key=f"certificate-issued:{new.pk}")
    assert new.number in email.body_text


def test_reissue_with_explicit_names(certificate, admin_user):
    new = reissue_certificate(
        certificate, reason="spelling", actor=admin_user, holder_name="Жаңы Ат", holder_name_latin="Zhany At"
    )
    assert (new.holder_name, new.holder_name_latin) == ("Жаңы Ат", "Zhany At")


def test_reissue_of_a_revoked_certificate_is_refused(certificate, admin_user):
    revoke_certificate(certificate, reason="x", actor=admin_user)
    with pytest.raises(DomainError) as error:
        reissue_certificate(certificate, reason="y", actor=admin_user)
    assert error.value.code == "revoked"
    assert Certificate.objects.count() == 1


def test_reissue_of_a_replaced_certificate_points_at_the_new_one(certificate, admin_user):
    new = reissue_certificate(certificate, reason="x", actor=admin_user)
    with pytest.raises(DomainError) as error:
        reissue_certificate(certificate, reason="again", actor=admin_user)
    assert error.value.code == "replaced"
    assert new.number in str(error.value)
    assert Certificate.objects.count() == 2


def test_reissue_with_an_empty_name_is_refused(certificate, admin_user):
    with pytest.raises(DomainError) as error:
        reissue_certificate(certificate, reason="x", actor=admin_user, holder_name="  ")
    assert error.value.field == "holder_name"
    assert Certificate.objects.count() == 1


def test_reissue_when_the_registration_is_gone(certificate, registration, admin_user):
    registration.delete()
    certificate.refresh_from_db()
    new = reissue_certificate(certificate, reason="x", actor=admin_user, holder_name="Оңдолгон Ат")
    assert new.holder_name == "Оңдолгон Ат"
    assert new.course_title == certificate.course_title
    assert new.snapshot == certificate.snapshot
