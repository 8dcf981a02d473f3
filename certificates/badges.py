"""Open Badges 3.0: every certificate as an OpenBadgeCredential signed with the academy's Ed25519 key.

Two signed forms of the same credential are offered (OB 3.0 §8, details in certificates/openbadges/):

* JSON-LD with an embedded ``DataIntegrityProof``, cryptosuite ``eddsa-rdfc-2022`` (RDF Dataset
  Canonicalization with the JSON-LD contexts shipped in certificates/openbadges/contexts/);
* a VC-JWT (``application/vc+jwt``): the credential is the JWT payload plus ``iss``, ``sub``,
  ``jti`` and ``nbf``; the JOSE header holds ``alg: EdDSA``, ``kid``, ``jwk`` and ``typ: JWT``.

Credentials are built and signed on each request from the stored certificate, so a certificate
issued before a format change is served in the current format, signed anew.

The issuer is ``did:web:<host>``; its DID document (``/.well-known/did.json``) and a JWK set
(``/.well-known/jwks.json``, ``/api/v1/certificates/issuer/``) publish the public key. Revocation is a
W3C Bitstring Status List (``/api/v1/certificates/status-list/``): bit N is set when certificate N is
revoked or replaced.
"""

import base64
import gzip
import hashlib
import uuid

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from certificates.models import Certificate, CertificateStatus
from certificates.openbadges import proofs
from certificates.openbadges.jsonld import OB_CONTEXT, VC_CONTEXT
from certificates.openbadges.keys import (  # noqa: F401  (the public API of this module, used by views and tests)
    b64url,
    base_url,
    did_document,
    generate_private_key_pem,
    issuer_did,
    jwk_thumbprint,
    jwks,
    jwt_key_id,
    multikey_id,
    public_jwk,
    public_multikey,
    signing_key,
    status_list_url,
)
from certificates.openbadges.proofs import CRYPTOSUITE, JWT_MEDIA_TYPE  # noqa: F401
from certificates.wording import LABELS

OB_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
# Neither the VC 2.0 nor the OB 3.0.3 context defines the credentialSchema type
# "1EdTechJsonSchemaValidator2019"; undefined, it would canonicalize as a relative IRI that each
# JSON-LD processor treats differently (and the proof would not verify elsewhere). 1EdTech's own
# examples define it inline like this.
CREDENTIAL_CONTEXT = [
    VC_CONTEXT,
    OB_CONTEXT,
    {
        "1EdTechJsonSchemaValidator2019": "https://purl.imsglobal.org/spec/vc/ob/vocab.html#1EdTechJsonSchemaValidator2019"
    },
]
STATUS_LIST_BITS = 131072  # 16 KB, the minimum size of a bitstring status list
CRITERIA = {
    "ky": "Курстун программасын толук аяктоо жана катышуу талаптарын аткаруу.",
    "ru": "Полное прохождение программы курса с выполнением требований к посещаемости.",
    "en": "Completion of the course programme, meeting its attendance requirements.",
}


# Credentials ------------------------------------------------------------------------------------


_iso = proofs.iso


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


def _day_start(day):
    return f"{day.isoformat()}T00:00:00Z"


def subject_id(certificate):
    """The holder as the credential's subject: a URN derived from the certificate's code.

    OB 3.0 VC-JWTs need ``sub`` = ``credentialSubject.id``. Holders have no DID of their own, and the
    subject must not reveal who they are (their name and a salted e-mail hash are in ``identifier``),
    so the id is a name-based UUID of the verification code, which the credential's id already
    shows: stable across re-signing, the same on every host, and saying nothing new.
    """
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'urn:academy:certificate-holder:{certificate.code}')}"


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
        "@context": CREDENTIAL_CONTEXT,
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
            "id": subject_id(certificate),
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
    """The document as a VC-JWT. ``nbf`` is always the document's validFrom (OB 3.0 §8.2.3), so
    ``not_before`` is accepted for older callers and not used."""
    return proofs.sign_jwt(document)


def add_proof(document, *, created):
    """Attach a DataIntegrityProof (eddsa-rdfc-2022) to a JSON-LD document."""
    return proofs.add_proof(document, created=created)


def credential_jwt(certificate):
    return proofs.sign_jwt(credential(certificate))


def credential_with_proof(certificate):
    return proofs.add_proof(credential(certificate), created=certificate.issued_at)


def status_list_credential():
    """The revocation bitstring of all certificates: bit N set means certificate N is no longer valid."""
    highest = Certificate.objects.aggregate(highest=Max("pk"))["highest"] or 0
    size = max(STATUS_LIST_BITS, -(-(highest + 1) // STATUS_LIST_BITS) * STATUS_LIST_BITS)
    bits = bytearray(size // 8)
    for pk in Certificate.objects.exclude(status=CertificateStatus.VALID).values_list("pk", flat=True).iterator():
        bits[pk // 8] |= 0x80 >> (pk % 8)
    encoded = "u" + b64url(gzip.compress(bytes(bits), mtime=0))
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
