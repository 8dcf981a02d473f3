"""JSON-LD processing for Open Badges: only the shipped contexts, never the network, loud failures."""

import hashlib
import socket

import pytest

from certificates.openbadges import jsonld

EXPECTED_HASHES = {  # contexts/README.md records where each file came from
    "credentials-v2.jsonld": "8a9f494a89ecc51db093e90e84713e07e84d6d9204364a9b3c7868b21751236f",
    "ob-v3p0-context-3.0.3.json": "3d34f4d4ef1bce691106e63798beb5e7b862ba841423f5ee1e53ab7ddf3bca84",
    "data-integrity-v2.jsonld": "0f77743daf5b4e8fc067fc5ba5b21044283053aa717fc6b0219843bed3b00363",
    "multikey-v1.jsonld": "c5f3806f8286920573221938917988a18a4cc5a09e968d29649613c7a1c2b1f6",
}
DOCUMENT = {
    "@context": [jsonld.VC_CONTEXT, jsonld.OB_CONTEXT],
    "id": "urn:uuid:4f1c1bd6-5d5e-4a55-9a7e-0c1f5d2b7a11",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "name": "Жергиликтүү бюджет",
    "issuer": {"id": "did:web:academy.example", "type": ["Profile"], "name": "Академия"},
    "validFrom": "2026-03-02T00:00:00Z",
    "credentialSubject": {"id": "urn:uuid:9d3e0a52-31a7-4c8e-8f3a-6e2b9c1d0f44", "type": ["AchievementSubject"]},
}


def test_shipped_context_files_are_the_recorded_ones():
    assert set(jsonld.CONTEXT_FILES.values()) == set(EXPECTED_HASHES)
    for name, digest in EXPECTED_HASHES.items():
        assert hashlib.sha256((jsonld.CONTEXTS_DIR / name).read_bytes()).hexdigest() == digest, name


def test_canonicalization_never_opens_a_connection(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access during JSON-LD processing")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    nquads = jsonld.canonize(DOCUMENT)
    assert '<https://schema.org/name> "Жергиликтүү бюджет" .' in nquads
    assert jsonld.canonize(dict(reversed(list(DOCUMENT.items())))) == nquads  # key order does not matter


def test_an_unknown_context_fails_loudly_and_names_the_url():
    document = {**DOCUMENT, "@context": [jsonld.VC_CONTEXT, "https://contexts.example/evil.jsonld"]}
    with pytest.raises(jsonld.UnknownContextError, match="contexts.example/evil.jsonld"):
        jsonld.canonize(document)
    with pytest.raises(jsonld.UnknownContextError):
        jsonld.expand(document)


def test_a_type_no_context_defines_is_refused():
    document = {**DOCUMENT, "credentialSchema": [{"id": "https://schemas.example/s.json", "type": "MadeUpValidator"}]}
    with pytest.raises(jsonld.UndefinedTermError, match="MadeUpValidator"):
        jsonld.canonize(document)


def test_every_shipped_context_loads():
    for url in jsonld.CONTEXT_FILES:
        assert "@context" in jsonld.document_loader(url)["document"]
