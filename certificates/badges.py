"""Open Badges 3.0: every certificate as an OpenBadgeCredential signed with the academy's Ed25519 key.

Two equivalent, signed forms are offered:

* VC-JWT (``application/vc+jwt``): the credential is the JWT payload (W3C VC-JOSE-COSE, as Open
  Badges 3.0 §8.2 describes), plus the registered claims ``iss``, ``jti`` and ``nbf``; the JOSE
  header carries ``alg: EdDSA``, ``kid`` and the public ``jwk``.
* JSON-LD with an embedded ``DataIntegrityProof`` (cryptosuite ``eddsa-jcs-2022``).

The issuer is ``did:web:<host>``; its DID document (``/.well-known/did.json``) and a JWK set
(``/.well-known/jwks.json``, ``/api/v1/certificates/issuer/``) publish the public key. Revocation is a
W3C Bitstring Status List (``/api/v1/certificates/status-list/``): bit N is set when certificate N is
revoked or replaced.

The key comes from settings.ACADEMY_SIGNING_KEY (PEM; production refuses to start without it).
When it is empty (dev, tests) a key is generated once and kept in the database (IssuerKey), so
every process and every restart signs with the same key.
"""

import base64
import gzip
import hashlib
import json
import uuid
from datetime import UTC
from functools import lru_cache
from urllib.parse import urlparse

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from academy.base_url import site_base_url
from certificates.models import Certificate, CertificateStatus, IssuerKey
from certificates.wording import LABELS

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
STATUS_LIST_BITS = 131072  # 16 KB, the minimum size of a bitstring status list
JWT_MEDIA_TYPE = "application/vc+jwt"
CRITERIA = {
    "ky": "Курстун программасын толук аяктоо жана катышуу талаптарын аткаруу.",
    "ru": "Полное прохождение программы курса с выполнением требований к посещаемости.",
    "en": "Completion of the course programme, meeting its attendance requirements.",
}


# Keys -------------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _load_private_key(pem):
    try:
        key = serialization.load_pem_private_key(pem.replace("\\n", "\n").encode(), password=None)
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(f"ACADEMY_SIGNING_KEY is not a PEM private key: {error}")
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("ACADEMY_SIGNING_KEY must be an Ed25519 private key.")
    return key


def generate_private_key_pem():
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        .decode()
    )


def _stored_key_pem():
    row = IssuerKey.objects.filter(pk=1).first()
    if row is None:
        row, _created = IssuerKey.objects.get_or_create(pk=1, defaults={"private_key_pem": generate_private_key_pem()})
    return row.private_key_pem


def signing_key():
    pem = (settings.ACADEMY_SIGNING_KEY or "").strip() or _stored_key_pem()
    return _load_private_key(pem)


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _raw_public(key):
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_jwk(key=None):
    key = key or signing_key()
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(_raw_public(key))}


def jwk_thumbprint(jwk):
    """RFC 7638 thumbprint: the key's stable name."""
    canonical = json.dumps({k: jwk[k] for k in ("crv", "kty", "x")}, separators=(",", ":"), sort_keys=True)
    return _b64url(hashlib.sha256(canonical.encode()).digest())


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _base58btc(data):
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, remainder = divmod(number, 58)
        out = _B58[remainder] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def public_multikey(key=None):
    """The public key as a Multikey (multicodec ed25519-pub 0xed01, base58btc)."""
    return "z" + _base58btc(b"\xed\x01" + _raw_public(key or signing_key()))


# Identifiers ------------------------------------------------------------------------------------


def base_url():
    return site_base_url()


def issuer_did():
    host = urlparse(base_url()).netloc
    return "did:web:" + host.replace(":", "%3A")


def jwt_key_id(key=None):
    return f"{issuer_did()}#{jwk_thumbprint(public_jwk(key))}"


def multikey_id(key=None):
    return f"{issuer_did()}#{public_multikey(key)}"


def status_list_url():
    return base_url() + reverse("api-certificate-status-list")


def did_document():
    key = signing_key()
    did = issuer_did()
    jwk_id, mk_id = jwt_key_id(key), multikey_id(key)
    return {
        "@context": [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/multikey/v1",
            "https://w3id.org/security/jwk/v1",
        ],
        "id": did,
        "verificationMethod": [
            {"id": jwk_id, "type": "JsonWebKey", "controller": did, "publicKeyJwk": public_jwk(key)},
            {"id": mk_id, "type": "Multikey", "controller": did, "publicKeyMultibase": public_multikey(key)},
        ],
        "assertionMethod": [jwk_id, mk_id],
    }


def jwks():
    key = signing_key()
    return {"keys": [{**public_jwk(key), "kid": jwt_key_id(key), "use": "sig", "alg": "EdDSA"}]}


def issuer_profile(language="en"):
    from certificates.services.issuance import issuer_names

    names = issuer_names()
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": issuer_did(),
        "type": ["Profile"],
        "name": names.get(language) or names["ky"],
        "url": base_url() + "/",
    }


# Credentials ------------------------------------------------------------------------------------


def _iso(moment):
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _day_start(day):
    return f"{day.isoformat()}T00:00:00Z"


def credential(certificate):
    """The unsigned OpenBadgeCredential of a certificate (JSON-LD)."""
    snapshot = certificate.snapshot
    language = certificate.languages.split("+")[0]
    title = (snapshot.get("course_titles") or {}).get(language) or certificate.course_title
    names = snapshot.get("issuer_names") or {}
    body = ((snapshot.get("texts") or {}).get(language) or {}).get("body", "")
    course_key = snapshot.get("course_key") or str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base_url()}|{title}"))
    identifiers = [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": certificate.holder_name_latin if language == "en" else certificate.holder_name,
        }
    ]
    if certificate.user_id and certificate.user.email:
        salt = hashlib.sha256(f"{settings.SECRET_KEY}|{certificate.code}".encode()).hexdigest()[:16]
        digest = hashlib.sha256((certificate.user.email.lower() + salt).encode()).hexdigest()
        identifiers.append(
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": f"sha256${digest}",
                "salt": salt,
            }
        )
    verify_url = base_url() + certificate.get_verify_path()
    description = f"{body} «{title}». {LABELS[language]['hours']}: {certificate.course_hours}."
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": title,
        "description": f"{certificate.number}. {description}",
        "issuer": {
            "id": issuer_did(),
            "type": ["Profile"],
            "name": names.get(language) or next(iter(names.values()), settings.WAGTAIL_SITE_NAME),
            "url": base_url() + "/",
        },
        "validFrom": _iso(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": identifiers,
            "activityStartDate": _day_start(certificate.starts_on),
            "activityEndDate": _day_start(certificate.ends_on),
            "achievement": {
                "id": f"urn:uuid:{course_key}",
                "type": ["Achievement"],
                "achievementType": "Course",
                "name": title,
                "description": description,
                "criteria": {"narrative": CRITERIA[language]},
                "inLanguage": language,
            },
        },
        "credentialStatus": {
            "id": f"{status_list_url()}#{certificate.pk}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.pk),
            "statusListCredential": status_list_url(),
        },
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }


def sign_jwt(document, *, not_before=None):
    """The document as a VC-JWT signed with EdDSA (Ed25519)."""
    key = signing_key()
    payload = {**document, "iss": issuer_did(), "jti": document["id"]}
    if not_before is not None:
        payload["nbf"] = int(not_before.timestamp())
    headers = {"typ": "vc+jwt", "cty": "vc", "kid": jwt_key_id(key), "jwk": public_jwk(key)}
    return jwt.encode(payload, key, algorithm="EdDSA", headers=headers)


def jcs(value):
    """JSON Canonicalization (RFC 8785) for the data we sign: strings, integers, booleans, lists, objects."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def add_proof(document, *, created):
    """Attach a DataIntegrityProof (eddsa-jcs-2022) to a JSON-LD document."""
    key = signing_key()
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": _iso(created),
        "verificationMethod": multikey_id(key),
        "proofPurpose": "assertionMethod",
    }
    proof_config = {**options, "@context": document["@context"]}
    hash_data = hashlib.sha256(jcs(proof_config)).digest() + hashlib.sha256(jcs(document)).digest()
    return {**document, "proof": {**options, "proofValue": "z" + _base58btc(key.sign(hash_data))}}


def credential_jwt(certificate):
    return sign_jwt(credential(certificate), not_before=certificate.issued_at)


def credential_with_proof(certificate):
    return add_proof(credential(certificate), created=certificate.issued_at)


def status_list_credential():
    """The revocation bitstring of all certificates: bit N set means certificate N is no longer valid."""
    highest = Certificate.objects.aggregate(highest=Max("pk"))["highest"] or 0
    size = max(STATUS_LIST_BITS, -(-(highest + 1) // STATUS_LIST_BITS) * STATUS_LIST_BITS)
    bits = bytearray(size // 8)
    for pk in Certificate.objects.exclude(status=CertificateStatus.VALID).values_list("pk", flat=True).iterator():
        bits[pk // 8] |= 0x80 >> (pk % 8)
    encoded = "u" + _b64url(gzip.compress(bytes(bits), mtime=0))
    url = status_list_url()
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did(),
        "validFrom": _iso(timezone.now()),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
        },
    }


def decode_status_bit(encoded_list, index):
    """Read bit `index` of an encodedList (used by tests and by anyone checking a credential)."""
    data = gzip.decompress(base64.urlsafe_b64decode(encoded_list[1:] + "=" * (-len(encoded_list[1:]) % 4)))
    return bool(data[index // 8] & (0x80 >> (index % 8)))
