"""The participant's "My certificates" page and downloads: their own certificates only."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from certificates.services.issuance import issue_certificate
from certificates.services.revocation import reissue_certificate, revoke_certificate
from tests import factories
from tests.certificates.conftest import pdf_text, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(template, past_session, admin_user):
    first = issue_certificate(register(past_session, factories.participant()), issued_by=admin_user)[0]
    second = issue_certificate(register(past_session, factories.participant()), issued_by=admin_user)[0]
    return first, second


def test_sign_in_is_required(client, two):
    response = client.get(reverse("my_certificates"))
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(reverse("my_certificate_pdf", args=[two[0].pk])).status_code == 302


def test_page_lists_own_certificates_with_downloads_and_states(client, two, admin_user):
    first, second = two
    revoke_certificate(second, reason="x", actor=admin_user)  # someone else's, revoked: not on this page
    client.force_login(first.user)
    page = client.get(reverse("my_certificates"))
    body = page.content.decode()
    assert page.status_code == 200
    assert first.number in body and second.number not in body
    assert reverse("my_certificate_pdf", args=[first.pk]) in body
    assert reverse("my_certificate_badge", args=[first.pk]) in body
    assert f"/verify/{first.code}/" in body

    corrected = reissue_certificate(first, reason="spelling", actor=admin_user)
    body = client.get(reverse("my_certificates")).content.decode()
    assert corrected.number in body and first.number not in body  # the replaced one is gone


def test_revoked_certificate_stays_listed_with_its_reason(client, two, admin_user):
    first, _second = two
    revoke_certificate(first, reason="Катышуу тастыкталган жок", actor=admin_user)
    client.force_login(first.user)
    body = client.get(reverse("my_certificates")).content.decode()
    assert first.number in body and "Катышуу тастыкталган жок" in body


def test_downloads_of_own_certificate(client, two):
    first, second = two
    client.force_login(first.user)
    pdf = client.get(reverse("my_certificate_pdf", args=[first.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert f'filename="{first.number}.pdf"' in pdf["Content-Disposition"]
    assert first.holder_name in pdf_text(pdf.content)
    badge = client.get(reverse("my_certificate_badge", args=[first.pk]))
    assert badge["Content-Type"] == "application/ld+json"
    assert "OpenBadgeCredential" in json.loads(badge.content)["type"]
    jwt = client.get(reverse("my_certificate_badge_jwt", args=[first.pk]))
    assert jwt.status_code == 200 and jwt.content.count(b".") == 2


def test_someone_elses_certificate_is_404(client, two):
    first, second = two
    client.force_login(first.user)
    for name in ("my_certificate_pdf", "my_certificate_badge", "my_certificate_badge_jwt"):
        assert client.get(reverse(name, args=[second.pk])).status_code == 404, name


def test_a_participant_without_certificates_is_told_how_to_get_one(client, participant):
    client.force_login(participant)
    with translation.override("en"):
        url = reverse("my_certificates")
    assert url.startswith("/en/")
    assert "You have no certificates yet" in client.get(url).content.decode()
