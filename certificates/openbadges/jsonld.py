"""JSON-LD processing with the contexts shipped in this package: no network, ever.

RDF canonicalization resolves every @context a document names. Fetching them at signing or
verification time would make a signature depend on whatever a remote host serves that day (and
turn a verifier into an HTTP client of attacker-chosen URLs), so the exact context documents are
kept in ``contexts/`` (provenance in contexts/README.md) and a loader serves only those. Any other
URL is an error that names it: an unknown context is never skipped or fetched.
"""

import json
from functools import cache
from pathlib import Path

from pyld import jsonld

CONTEXTS_DIR = Path(__file__).parent / "contexts"

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_CONTEXT = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"

CONTEXT_FILES = {
    VC_CONTEXT: "credentials-v2.jsonld",
    OB_CONTEXT: "ob-v3p0-context-3.0.3.json",
    DATA_INTEGRITY_CONTEXT: "data-integrity-v2.jsonld",
    MULTIKEY_CONTEXT: "multikey-v1.jsonld",
}


class UnknownContextError(LookupError):
    """A document names a JSON-LD context that is not shipped with the product."""

    def __init__(self, url):
        self.url = url
        super().__init__(
            f"JSON-LD context {url!r} is not among the shipped contexts "
            f"({', '.join(sorted(CONTEXT_FILES))}); add its file to certificates/openbadges/contexts/ "
            "with its provenance instead of fetching it."
        )


class UndefinedTermError(ValueError):
    """A document uses a term or type that its contexts do not define, so its RDF form is not portable."""


@cache
def _context_document(url):
    return json.loads((CONTEXTS_DIR / CONTEXT_FILES[url]).read_text(encoding="utf-8"))


def document_loader(url, options=None):
    """pyld document loader serving the shipped contexts only."""
    if url not in CONTEXT_FILES:
        raise UnknownContextError(url)
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": _context_document(url),
    }


def _options(**extra):
    return {"documentLoader": document_loader, **extra}


def _unwrap(error):
    """pyld wraps loader errors in JsonLdError; surface ours so the message names the URL."""
    cause = error
    while cause is not None:
        if isinstance(cause, UnknownContextError):
            return cause
        cause = getattr(cause, "cause", None) or cause.__cause__ or cause.__context__
    return None


def canonize(document):
    """RDF Dataset Canonicalization (RDFC-1.0, pyld's URDNA2015) of a JSON-LD document, as N-Quads."""
    try:
        nquads = jsonld.normalize(document, _options(algorithm="URDNA2015", format="application/n-quads"))
    except jsonld.JsonLdError as error:
        unknown = _unwrap(error)
        if unknown is not None:
            raise unknown from error
        raise
    if jsonld.DEFAULT_BASE_IRI in nquads:
        # pyld resolves an IRI no context defines (a "type" value, say) against a placeholder base;
        # other processors drop it or keep it relative, so what we sign would not verify there.
        line = next(line for line in nquads.splitlines() if jsonld.DEFAULT_BASE_IRI in line)
        raise UndefinedTermError(f"A value is not defined by the document's contexts: {line}")
    return nquads


def expand(document):
    try:
        return jsonld.expand(document, _options())
    except jsonld.JsonLdError as error:
        unknown = _unwrap(error)
        if unknown is not None:
            raise unknown from error
        raise


def compact(document, context):
    return jsonld.compact(document, context, _options())
