"""The academy's Ed25519 signing key, its public forms (JWK, Multikey) and the issuer's identifiers.

The key comes from settings.ACADEMY_SIGNING_KEY (PEM; production refuses to start without it).
When it is empty (dev, tests) a key is generated once and kept in the database (IssuerKey), so
every process and every restart signs with the same key.
"""

import base64
import hashlib
import json
from functools import lru_cache
from urllib.parse import urlparse

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from academy.base_url import site_base_url
from certificates.models import IssuerKey


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


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _raw_public(key):
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_jwk(key=None):
    key = key or signing_key()
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(_raw_public(key))}


def jwk_thumbprint(jwk):
    """RFC 7638 thumbprint: the key's stable name."""
    canonical = json.dumps({k: jwk[k] for k in ("crv", "kty", "x")}, separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(canonical.encode()).digest())


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58btc(data):
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, remainder = divmod(number, 58)
        out = _B58[remainder] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def public_multikey(key=None):
    """The public key as a Multikey (multicodec ed25519-pub 0xed01, base58btc)."""
    return "z" + base58btc(b"\xed\x01" + _raw_public(key or signing_key()))


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
