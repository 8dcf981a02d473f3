"""How the OpenAPI document is generated, so that strict clients accept every real response.

- OpenAPI 3.1 (settings SPECTACULAR_SETTINGS["OAS_VERSION"]): its schemas are plain JSON Schema 2020-12, so a
  nullable reference is `oneOf: [{$ref}, {type: "null"}]` and a nullable string `type: ["string", "null"]`.
  OpenAPI 3.0's `nullable: true` beside an `allOf` without a `type` means nothing to a strict validator,
  which then refused the `null` venue of an online session.
- `AcademyAutoSchema` documents the errors an operation can really answer, with the API's one error body
  (academy/api/errors.py), instead of relying on every view to list them.
- `strict_schema` (a postprocessing hook) rewrites what the generator cannot express strictly.
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import SAFE_METHODS, AllowAny

from .errors import ERROR_DESCRIPTIONS, ErrorSerializer

# What DRF's TimeField reads and writes by default ("09:00", "09:00:00", "09:00:00.250000"). OpenAPI's
# `format: time` is RFC 3339 full-time, which demands a UTC offset ("09:00:00+06:00"): agenda times have none.
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"
# Query parameters that only page a list: a page past the end is a 404, never a 400.
PAGING = {"page", "page_size"}


# Any address longer than the web server reads (gunicorn: a request line over 4094 bytes) is refused by the
# server itself, before Django: an HTML page, not the API's error body.
URI_TOO_LONG = {
    "description": gettext_lazy("The address is too long; the web server refuses it before the API reads it."),
    "content": {"text/html": {"schema": {"type": "string"}}},
}


def only_public_api(endpoints):
    """Keep the schema to /api/v1/; Wagtail's internal admin API is not part of the contract."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


class AcademyAutoSchema(AutoSchema):
    """Adds the error responses an operation can give, each with the `Error` body:

    - 400 when it reads a body or query parameters (invalid input, unreadable JSON, a number too large);
    - 403 when it authenticates (a wrong or expired token, a missing CSRF token) or needs a permission;
      (401 instead when its first authenticator is the token: DRF then answers 401 with WWW-Authenticate);
    - 404 when its address names an object, or it pages a list (a page past the end);
    - 429 when it is throttled;
    - 406 on every operation (an Accept nothing matches), 415 where it reads a body (a media type it cannot read);
    - 414 on every operation, answered by the web server (see URI_TOO_LONG).
    A view's own documentation of the same status wins; one without a body gets the `Error` body.
    """

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in self._error_codes(operation):
            documented = responses.get(str(code))
            if documented is None or "content" not in documented:
                description = (documented or {}).get("description") or ERROR_DESCRIPTIONS[code]
                error = OpenApiResponse(ErrorSerializer, description=description)
                responses[str(code)] = self._get_response_for_code(error, str(code))
        responses.setdefault("414", {**URI_TOO_LONG, "content": {"text/html": {"schema": {"type": "string"}}}})
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _error_codes(self, operation):
        parameters = operation.get("parameters", [])
        query = {parameter["name"] for parameter in parameters if parameter["in"] == "query"}
        codes = set()
        if "requestBody" in operation or query - PAGING:
            codes.add(400)
        authenticators = self.view.get_authenticators()
        challenged = bool(authenticators) and authenticators[0].authenticate_header(self.view.request)
        if challenged:
            # DRF answers 401 with WWW-Authenticate (not 403) when the first authenticator names a challenge;
            # 403 is then left to a missing CSRF token of a signed-in browser, and to what the view documents.
            codes.add(401)
            if self.method not in SAFE_METHODS and any(isinstance(a, SessionAuthentication) for a in authenticators):
                codes.add(403)
        elif authenticators or not all(isinstance(permission, AllowAny) for permission in self.view.get_permissions()):
            codes.add(403)
        if any(parameter["in"] == "path" for parameter in parameters) or query & PAGING:
            codes.add(404)
        if self.view.get_throttles():
            codes.add(429)
        # Content negotiation runs before the view: an Accept nothing can satisfy is a 406 everywhere; a body
        # in a media type none of the parsers reads is a 415 where there is a body.
        codes.add(406)
        if "requestBody" in operation:
            codes.add(415)
        # Statuses a view documents itself (e.g. 429 from the sign-in limits) get the error body too.
        codes.update(int(code) for code in operation["responses"] if int(code) in ERROR_DESCRIPTIONS)
        return sorted(codes)


def strict_schema(result, generator, request, public):
    """Postprocessing hook: what the generator writes loosely, made strict.

    - `format: time` becomes a pattern (see TIME_PATTERN);
    - a leftover OpenAPI 3.0 `nullable: true` (from a hand-written schema) becomes its 3.1 form.
    """
    _rewrite(result.get("components", {}))
    _rewrite(result.get("paths", {}))
    return result


def _rewrite(node):
    if isinstance(node, list):
        for item in node:
            _rewrite(item)
        return
    if not isinstance(node, dict):
        return
    for value in node.values():
        _rewrite(value)
    if node.get("format") == "time" and node.get("type") in ("string", ["string", "null"]):
        del node["format"]
        node["pattern"] = TIME_PATTERN
    if node.pop("nullable", False):
        _make_nullable(node)


def _make_nullable(node):
    kind = node.get("type")
    if isinstance(kind, str):
        node["type"] = [kind, "null"]
    elif isinstance(kind, list):
        if "null" not in kind:
            kind.append("null")
    elif "$ref" in node:
        node["oneOf"] = [{"$ref": node.pop("$ref")}, {"type": "null"}]
    elif "allOf" in node:
        node["oneOf"] = [{"allOf": node.pop("allOf")}, {"type": "null"}]
    elif "oneOf" in node or "anyOf" in node:
        choices = node["oneOf" if "oneOf" in node else "anyOf"]
        if {"type": "null"} not in choices:
            choices.append({"type": "null"})
