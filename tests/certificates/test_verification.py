"""The public check: HTML at /verify/<code>/ and JSON in the API. No personal data, throttled, a friendly 404."""

import pytest
from django.urls import reverse

from certificates.services.revocation import reissue_certificate, revoke_certificate


def test_valid_certificate_page(client, certificate, registration):
    response = client.get(f"/verify/{certificate.code}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert certificate.number in body and certificate.holder_name in body
    profile = registration.user.profile
    assert registration.user.email not in body
    assert profile.phone not in body
    assert profile.position not in body


def test_lower_case_code_is_accepted(client, certificate):
    assert client.get(f"/verify/{certificate.code.lower()}/").status_code == 200


def test_unknown_code_gets_a_friendly_404(client, db):
    response = client.get("/verify/AAAAAAAAAAAAAAAAAAAA/")
    assert response.status_code == 404
    assert "AAAAAAAAAAAAAAAAAAAA" in response.content.decode()
    assert client.get("/verify/not-a-code!/").status_code == 404


def test_page_language_follows_the_link_not_accept_language(verify_page, certificate):
    response, body = verify_page(certificate.code, "en", phone="ru")
    assert response.status_code == 200
    assert '<html lang="en">' in body
    # Codes printed without a language answer in Kyrgyz, the site's first language.
    assert '<html lang="ky">' in verify_page(certificate.code, phone="en")[1]


def test_revoked_certificate_page_shows_the_reason_and_date(client, certificate, admin_user):
    revoke_certificate(certificate, reason="Жасалма документ", actor=admin_user)
    body = client.get(f"/verify/{certificate.code}/?lang=en").content.decode()
    assert "revoked" in body
    assert "Жасалма документ" in body


def test_replaced_certificate_links_to_the_new_one(client, api_client, certificate, admin_user):
    new = reissue_certificate(certificate, reason="Аты оңдолду", actor=admin_user)
    body = client.get(f"/verify/{certificate.code}/").content.decode()
    assert f"/verify/{new.code}/" in body
    data = api_client.get(reverse("api-certificate-verify", args=[certificate.code])).json()
    assert data["status"] == "replaced" and not data["valid"]
    assert data["replaced_by"]["number"] == new.number
    assert data["replaced_by"]["verify_url"].endswith(f"/verify/{new.code}/")


def test_api_verification_record(api_client, certificate):
    response = api_client.get(reverse("api-certificate-verify", args=[certificate.code]))
    assert response.status_code == 200
    data = response.json()
    assert data["valid"] is True and data["status"] == "valid"
    assert data["number"] == certificate.number
    assert data["holder"] == {"name": certificate.holder_name, "name_latin": certificate.holder_name_latin}
    assert data["course"]["hours"] == 16
    assert data["starts_on"] == "2026-11-10" and data["ends_on"] == "2026-11-11"
    assert data["issuer"]["licence_number"] == "LIC-0042"
    assert data["revocation"] is None and data["replaced_by"] is None
    flat = str(data)
    assert "@" not in flat and "+996" not in flat


def test_api_revoked_record(api_client, certificate, admin_user):
    revoke_certificate(certificate, reason="Ката", actor=admin_user)
    data = api_client.get(reverse("api-certificate-verify", args=[certificate.code])).json()
    assert data["status"] == "revoked"
    assert data["revocation"]["reason"] == "Ката" and data["revocation"]["revoked_at"]


def test_api_unknown_code_is_404_with_a_message(api_client, db):
    response = api_client.get(reverse("api-certificate-verify", args=["AAAAAAAAAAAAAAAAAAAA"]))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found" and response.json()["detail"]


@pytest.fixture
def strict_rate(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"verify": "3/min"}}


def test_html_check_is_throttled_per_client(client, certificate, strict_rate):
    codes = [client.get(f"/verify/AAAAAAAAAAAAAAAA{n}AAA/").status_code for n in range(2, 5)]
    assert codes == [404, 404, 404]
    assert client.get(f"/verify/{certificate.code}/").status_code == 429
    assert client.get(f"/verify/{certificate.code}/", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_api_check_is_throttled_per_client_even_when_signed_in(api_client, certificate, participant, strict_rate):
    api_client.force_authenticate(participant)
    url = reverse("api-certificate-verify", args=[certificate.code])
    assert [api_client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    assert api_client.get(url, HTTP_X_FORWARDED_FOR="1.2.3.4").status_code == 429  # a forged header does not help
    assert api_client.get(url, REMOTE_ADDR="10.0.0.9").status_code == 200


# --- Caching: the public record and page are cached per code and language until the certificate changes ---------


def _queries(run):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = run()
    return response, len(context.captured_queries)


def test_verification_page_is_cached_until_revoked(client, certificate, admin_user):
    url = f"/verify/{certificate.code}/?lang=en"
    first, cold = _queries(lambda: client.get(url))
    second, warm = _queries(lambda: client.get(url))
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert cold >= 1 and warm == 0
    revoke_certificate(certificate, reason="Жасалма документ", actor=admin_user)
    body = client.get(url).content.decode()
    assert "This certificate has been revoked." in body and "Жасалма документ" in body
    # Another spelling of the code is the same certificate: dropped as well.
    assert "revoked" in client.get(f"/verify/{certificate.code.lower()}/?lang=en").content.decode()


def test_verification_page_is_cached_per_language(client, certificate):
    url = f"/verify/{certificate.code}/"
    english = client.get(url + "?lang=en").content.decode()
    russian = client.get(url + "?lang=ru").content.decode()
    assert '<html lang="en">' in english and '<html lang="ru">' in russian


def test_verification_page_for_a_replaced_certificate_links_to_the_new_one_at_once(client, certificate, admin_user):
    url = f"/verify/{certificate.code}/"
    assert client.get(url).status_code == 200  # cached as valid
    new = reissue_certificate(certificate, reason="Аты оңдолду", actor=admin_user)
    assert f"/verify/{new.code}/" in client.get(url).content.decode()


def test_cached_verification_page_is_still_throttled(client, certificate, strict_rate):
    url = f"/verify/{certificate.code}/"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    assert client.get(url).status_code == 429


def test_unknown_code_is_not_cached(client, certificate, db):
    from certificates.models import Certificate

    code = certificate.code
    Certificate.objects.filter(pk=certificate.pk).update(code="A" * 20)  # no signal: as if not issued yet
    assert client.get(f"/verify/{code}/").status_code == 404
    Certificate.objects.filter(pk=certificate.pk).update(code=code)
    assert client.get(f"/verify/{code}/").status_code == 200


def test_api_verification_record_is_cached_until_revoked(api_client, certificate, admin_user):
    url = reverse("api-certificate-verify", args=[certificate.code])
    first, cold = _queries(lambda: api_client.get(url))
    second, warm = _queries(lambda: api_client.get(url))
    assert first.json() == second.json() and first.json()["valid"] is True
    assert cold >= 1 and warm == 0
    revoke_certificate(certificate, reason="Ката", actor=admin_user)
    data = api_client.get(url).json()
    assert data["status"] == "revoked" and data["revocation"]["reason"] == "Ката"


def test_cached_api_record_is_still_throttled(api_client, certificate, strict_rate):
    url = reverse("api-certificate-verify", args=[certificate.code])
    assert [api_client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_invalidation_waits_for_the_commit_too(certificate, admin_user, django_capture_on_commit_callbacks):
    from certificates.services import verification

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        revoke_certificate(certificate, reason="Ката", actor=admin_user)
    assert verification.cached_public_record(certificate.code)["status"] == "revoked"
    assert callbacks  # the invalidation is repeated after the commit
