"""The "Add to LinkedIn profile" link of each certificate on "My certificates" and in the API."""

import html
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import translation

from certificates.services import linkedin
from certificates.services.issuance import issue_certificate
from certificates.services.revocation import revoke_certificate
from tests import factories
from tests.certificates.conftest import register

pytestmark = pytest.mark.django_db


def params(url):
    parsed = urlparse(url)
    assert f"{parsed.scheme}://{parsed.netloc}{parsed.path}" == "https://www.linkedin.com/profile/add"
    return {key: values[0] for key, values in parse_qs(parsed.query).items()}


def test_link_carries_the_certification_with_the_academy_as_issuer(certificate):
    with translation.override("ru"):
        fields = params(linkedin.add_to_profile_url(certificate))
    assert fields["startTask"] == "CERTIFICATION_NAME"
    assert fields["name"] == certificate.localized_course_title or fields["name"] == certificate.course_title
    assert fields["organizationName"] == certificate.snapshot["issuer_names"]["ru"]
    assert (fields["issueYear"], fields["issueMonth"]) == (
        str(certificate.issued_on.year),
        str(certificate.issued_on.month),
    )
    assert fields["certId"] == certificate.number
    assert urlparse(fields["certUrl"]).path == f"/verify/{certificate.code}/" and "lang=ru" in fields["certUrl"]
    assert "expirationYear" not in fields and "expirationMonth" not in fields  # it never expires


def test_link_of_an_expiring_certificate_has_the_expiration(course, template, past_session, participant, admin_user):
    course.certificate_validity_years = 3
    course.save()
    certificate = issue_certificate(register(past_session, participant), issued_by=admin_user)[0]
    fields = params(linkedin.add_to_profile_url(certificate, "en"))
    assert (fields["expirationYear"], fields["expirationMonth"]) == ("2029", "11")


def test_revoked_certificate_has_no_link(certificate, admin_user):
    revoke_certificate(certificate, reason="x", actor=admin_user)
    certificate.refresh_from_db()
    assert linkedin.add_to_profile_url(certificate) == ""


def test_my_certificates_shows_the_link_on_each_valid_certificate(
    client, template, past_session, participant, admin_user, django_assert_max_num_queries
):
    certificates = [
        issue_certificate(
            register(factories.make_session(past_session.course, status="completed"), participant), issued_by=admin_user
        )[0]
        for _ in range(5)
    ]
    revoke_certificate(certificates[0], reason="x", actor=admin_user)
    client.force_login(participant)
    with translation.override("en"):
        url = reverse("my_certificates")
    with django_assert_max_num_queries(12):  # the same however many certificates (no query per link)
        body = client.get(url).content.decode()
    links = [
        html.unescape(link) for link in re.findall(r'href="(https://www\.linkedin\.com/profile/add\?[^"]+)"', body)
    ]
    assert len(links) == 4 and "Add to LinkedIn profile" in body
    assert {params(link)["certId"] for link in links} == {c.number for c in certificates[1:]}


def test_my_certificates_is_for_signed_in_holders_only(client, certificate, other_participant):
    assert client.get(reverse("my_certificates")).status_code == 302
    client.force_login(other_participant)
    assert certificate.number not in client.get(reverse("my_certificates")).content.decode()


def test_api_gives_the_link(client, certificate):
    client.force_login(certificate.user)
    item = client.get(reverse("api-my-certificates")).json()["results"][0]
    assert params(item["linkedin_url"])["certId"] == certificate.number
    assert item["expires_at"] is None and item["expired"] is False


def _issued_without_issuer_names(past_session, participant, admin_user, count):
    """Certificates as issued before the snapshot kept the issuer's name (they take today's academy name)."""
    from certificates.models import Certificate

    certificates = [
        issue_certificate(
            register(factories.make_session(past_session.course, status="completed"), participant), issued_by=admin_user
        )[0]
        for _ in range(count)
    ]
    for certificate in certificates:
        certificate.snapshot.pop("issuer_names", None)
        Certificate.objects.filter(pk=certificate.pk).update(snapshot=certificate.snapshot)
    return certificates


def test_a_list_reads_the_academy_name_once_and_only_when_needed(
    template, past_session, participant, admin_user, monkeypatch
):
    from certificates.models import Certificate
    from certificates.services import issuance

    calls = []
    real = issuance.issuer_names
    monkeypatch.setattr(issuance, "issuer_names", lambda: calls.append(1) or real())
    with_names = [issue_certificate(register(past_session, participant), issued_by=admin_user)[0]]
    without = _issued_without_issuer_names(past_session, participant, admin_user, 3)
    calls.clear()  # issuing reads it too
    assert linkedin.add_to_profile_urls(with_names)[0].linkedin_url and calls == []
    listed = linkedin.add_to_profile_urls(list(Certificate.objects.filter(pk__in=[c.pk for c in without])), "ky")
    assert len(calls) == 1
    assert {params(c.linkedin_url)["organizationName"] for c in listed} == {real()["ky"]}


@pytest.mark.parametrize("page", ["my_certificates", "api-my-certificates"])
def test_page_and_api_read_the_academy_name_once_per_list(
    client, template, past_session, participant, admin_user, page, django_assert_num_queries
):
    """The same number of queries for one certificate issued without the issuer's name as for four."""
    _issued_without_issuer_names(past_session, participant, admin_user, 1)
    client.force_login(participant)
    url = reverse(page)
    client.get(url)  # warm the per-process caches (site, settings)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _issued_without_issuer_names(past_session, participant, admin_user, 3)
    with django_assert_num_queries(len(one.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count("linkedin.com/profile/add") == 4
