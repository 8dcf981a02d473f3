"""Open Badges 3.0: signed credentials (VC-JWT and Data Integrity), the published key, the status list."""

import hashlib

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from certificates import badges
from certificates.models import IssuerKey
from certificates.openbadges.jsonld import canonize
from certificates.services.revocation import reissue_certificate, revoke_certificate

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58decode(text):
    number = 0
    for char in text:
        number = number * 58 + B58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def published_key(api_client):
    jwks = api_client.get("/.well-known/jwks.json").json()
    return jwt.PyJWK(jwks["keys"][0]).key, jwks["keys"][0]["kid"]


def test_vc_jwt_is_signed_with_the_published_key(api_client, client, certificate, participant):
    client.force_login(participant)
    response = client.get(reverse("my_certificate_badge_jwt", args=[certificate.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/vc+jwt"
    token = response.content.decode()
    header = jwt.get_unverified_header(token)
    # OB 3.0 §8.2.2: alg, kid and/or jwk, typ "JWT" if present; nothing else (no "cty", no "vc+jwt").
    assert header["alg"] == "EdDSA" and header["typ"] == "JWT" and set(header) == {"alg", "typ", "kid", "jwk"}
    key, kid = published_key(api_client)
    assert header["kid"] == kid
    claims = jwt.decode(token, key, algorithms=["EdDSA"], options={"verify_aud": False})
    assert claims["iss"] == claims["issuer"]["id"] == badges.issuer_did() == "did:web:testserver"
    assert claims["jti"] == claims["id"] == f"http://testserver/verify/{certificate.code}/"
    assert claims["sub"] == claims["credentialSubject"]["id"] == badges.subject_id(certificate)
    assert claims["nbf"] == int(certificate.issued_at.replace(microsecond=0).timestamp())
    assert "vc" not in claims and "proof" not in claims
    check_required_fields(claims, certificate)

    tampered = token.split(".")
    tampered[1] = tampered[1][:-4] + ("AAAA" if not tampered[1].endswith("AAAA") else "BBBB")
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(".".join(tampered), key, algorithms=["EdDSA"])


def test_subject_id_is_stable_and_reveals_nothing(certificate, settings):
    subject = badges.subject_id(certificate)
    assert subject == badges.subject_id(certificate) and subject.startswith("urn:uuid:")
    settings.WAGTAILADMIN_BASE_URL = "https://another.example"
    assert badges.subject_id(certificate) == subject  # the same whatever the host
    for private in (certificate.holder_name, certificate.user.email, certificate.code):
        assert private.lower() not in subject


def check_required_fields(credential, certificate):
    assert credential["@context"][:2] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["type"] == ["Profile"] and credential["issuer"]["id"].startswith("did:web:")
    assert credential["issuer"]["name"]
    assert credential["validFrom"].endswith("Z")
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["id"].startswith("urn:uuid:")
    assert achievement["name"] == certificate.course_title
    assert achievement["criteria"]["narrative"] and achievement["description"]
    names = [i["identityHash"] for i in subject["identifier"] if i["identityType"] == "name"]
    assert names == [certificate.holder_name]
    email = next(i for i in subject["identifier"] if i["identityType"] == "emailAddress")
    expected = hashlib.sha256((certificate.user.email + email["salt"]).encode()).hexdigest()
    assert email["hashed"] is True and email["identityHash"] == f"sha256${expected}"
    status = credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    assert status["statusListIndex"] == str(certificate.pk)
    assert status["statusListCredential"] == "http://testserver/api/v1/certificates/status-list/"


def test_json_ld_credential_has_a_valid_data_integrity_proof(api_client, certificate, participant):
    api_client.force_authenticate(participant)
    credential = api_client.get(reverse("api-certificate-badge", args=[certificate.pk])).json()
    check_required_fields(credential, certificate)
    (proof,) = credential.pop("proof")  # a list, as the OB 3.0 schema requires
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    # Resolve the verification method through the published DID document.
    did = api_client.get("/.well-known/did.json").json()
    assert did["id"] == "did:web:testserver"
    method = next(m for m in did["verificationMethod"] if m["id"] == proof["verificationMethod"])
    assert method["type"] == "Multikey" and proof["verificationMethod"] in did["assertionMethod"]
    raw = b58decode(method["publicKeyMultibase"][1:])
    assert raw[:2] == b"\xed\x01"
    public = Ed25519PublicKey.from_public_bytes(raw[2:])

    # eddsa-rdfc-2022: SHA-256 of the canonical proof options, then of the canonical document.
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    config = {**options, "@context": credential["@context"]}
    data = hashlib.sha256(canonize(config).encode()).digest() + hashlib.sha256(canonize(credential).encode()).digest()
    public.verify(b58decode(proof["proofValue"][1:]), data)  # raises InvalidSignature when wrong
    # Verified independently (PyNaCl, jwcrypto) in test_openbadges_conformance.py.


def test_status_list_marks_revoked_and_replaced_certificates(api_client, certificate, admin_user):
    url = reverse("api-certificate-status-list")

    def bit(index):
        document = api_client.get(url).json()
        assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
        subject = document["credentialSubject"]
        assert subject["statusPurpose"] == "revocation" and subject["encodedList"].startswith("u")
        return badges.decode_status_bit(subject["encodedList"], index)

    assert bit(certificate.pk) is False
    new = reissue_certificate(certificate, reason="spelling", actor=admin_user)
    assert bit(certificate.pk) is True and bit(new.pk) is False
    revoke_certificate(new, reason="fraud", actor=admin_user)
    assert bit(new.pk) is True


def test_status_list_as_a_signed_jwt(api_client, certificate):
    response = api_client.get(reverse("api-certificate-status-list") + "?as=jwt")
    assert response["Content-Type"] == badges.JWT_MEDIA_TYPE
    key, _kid = published_key(api_client)
    claims = jwt.decode(response.content.decode(), key, algorithms=["EdDSA"])
    assert claims["credentialSubject"]["type"] == "BitstringStatusList"


def test_issuer_endpoint_publishes_profile_and_keys(api_client, db):
    data = api_client.get(reverse("api-certificate-issuer")).json()
    assert data["type"] == ["Profile"] and data["id"] == "did:web:testserver"
    assert data["jwks"]["keys"][0]["kty"] == "OKP" and data["jwks"]["keys"][0]["crv"] == "Ed25519"
    assert "d" not in data["jwks"]["keys"][0]  # never the private part
    assert data["did"]["verificationMethod"]


def test_dev_key_is_generated_once_and_kept(db, settings):
    settings.ACADEMY_SIGNING_KEY = ""
    first = badges.public_jwk()
    assert IssuerKey.objects.count() == 1
    assert badges.public_jwk() == first
    assert IssuerKey.objects.count() == 1


def test_configured_key_is_used(db, settings):
    pem = badges.generate_private_key_pem()
    settings.ACADEMY_SIGNING_KEY = pem.replace("\n", "\\n")  # as it often arrives through an environment variable
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    expected = load_pem_private_key(pem.encode(), None)
    assert badges.public_jwk() == badges.public_jwk(expected)
    assert not IssuerKey.objects.exists()


def test_a_bad_configured_key_is_a_clear_configuration_error(db, settings):
    settings.ACADEMY_SIGNING_KEY = "ci-dummy-signing-key"
    with pytest.raises(ImproperlyConfigured, match="ACADEMY_SIGNING_KEY"):
        badges.signing_key()


def test_hosted_did_document_and_jwks_are_public(client, db):
    assert client.get("/.well-known/did.json").status_code == 200
    assert client.get("/.well-known/jwks.json").status_code == 200
