"""The two ways a credential is secured, as Open Badges 3.0 §8 describes them.

* Embedded: a ``DataIntegrityProof`` with cryptosuite ``eddsa-rdfc-2022`` (W3C VC Data Integrity
  EdDSA Cryptosuites v1.0, §3.2): the document and the proof options are each canonicalized with
  RDFC-1.0, hashed with SHA-256, and the concatenated hashes (options first) are signed with
  Ed25519. ``proof`` is a list, as the OB 3.0 AchievementCredential schema requires.
* External: a VC-JWT (OB 3.0 §8.2): the JWT payload is the credential itself plus the claims
  ``iss`` (issuer.id), ``sub`` (credentialSubject.id), ``jti`` (id), ``nbf`` (validFrom) and
  ``exp`` (validUntil, when there is one); the JOSE header holds only ``alg``, ``kid``, ``jwk`` and
  ``typ: JWT`` ("additional JOSE headers are NOT allowed").
"""

import hashlib
from datetime import UTC, datetime

import jwt

from certificates.openbadges import jsonld
from certificates.openbadges.keys import base58btc, jwt_key_id, multikey_id, public_jwk, signing_key

CRYPTOSUITE = "eddsa-rdfc-2022"
JWT_MEDIA_TYPE = "application/vc+jwt"


def iso(moment):
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _hash_data(document, options):
    """SHA-256(canonical proof config) || SHA-256(canonical document), per eddsa-rdfc-2022."""
    config = {**options, "@context": document["@context"]}
    return (
        hashlib.sha256(jsonld.canonize(config).encode()).digest()
        + hashlib.sha256(jsonld.canonize(document).encode()).digest()
    )


def add_proof(document, *, created):
    """Attach a DataIntegrityProof (eddsa-rdfc-2022) to a JSON-LD document, as a one-element list."""
    key = signing_key()
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": iso(created),
        "verificationMethod": multikey_id(key),
        "proofPurpose": "assertionMethod",
    }
    signature = key.sign(_hash_data(unsecured, options))
    return {**unsecured, "proof": [{**options, "proofValue": "z" + base58btc(signature)}]}


def _claim_time(value):
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def jwt_claims(document):
    """The registered claims OB 3.0 §8.2.3 requires, taken from the credential itself."""
    issuer = document["issuer"]
    subject = document["credentialSubject"]
    claims = {
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "sub": subject["id"],
        "jti": document["id"],
        "nbf": _claim_time(document["validFrom"]),
    }
    if document.get("validUntil"):
        claims["exp"] = _claim_time(document["validUntil"])
    return claims


def sign_jwt(document):
    """The credential as a VC-JWT signed with EdDSA (Ed25519); the embedded proof, if any, stays out."""
    key = signing_key()
    payload = {**{k: v for k, v in document.items() if k != "proof"}, **jwt_claims(document)}
    headers = {"typ": "JWT", "kid": jwt_key_id(key), "jwk": public_jwk(key)}
    return jwt.encode(payload, key, algorithm="EdDSA", headers=headers)
