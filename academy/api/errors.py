"""One error body for the whole API: {"detail": str, "code": str, "errors": {field: [str]}}.

`exception_handler` (settings REST_FRAMEWORK["EXCEPTION_HANDLER"]) gives every error that body;
`error_responses()` documents it in the schema, so every operation declares the same `Error` component.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from academy.errors import DomainError, NotFoundError, PermissionDeniedError

logger = logging.getLogger(__name__)

NON_FIELD = "non_field_errors"
# The widest integer a database id can be (SQLite INTEGER, PostgreSQL bigint).
MAX_ID = 2**63 - 1


def fits_an_id(text):
    """Whether `text` is a whole number a database id can be: ASCII digits ("¹".isdigit() is true, but
    int("¹") fails) and no wider than the widest id (a wider one overflows on SQLite and finds nothing
    on PostgreSQL; either way it is bad input)."""
    return text.isascii() and text.isdigit() and int(text) <= MAX_ID


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=gettext_lazy("What went wrong, translated; safe to show."))
    code = serializers.CharField(help_text=gettext_lazy("Stable machine-readable code, e.g. invalid, not_found."))
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=gettext_lazy("Messages per input field (`non_field_errors` for the input as a whole)."),
    )

    class Meta:
        ref_name = "Error"


ERROR_DESCRIPTIONS = {
    400: gettext_lazy("The input is not valid or a rule was not met; nothing was changed."),
    401: gettext_lazy("Not signed in, or the token is wrong or expired; the WWW-Authenticate header says how."),
    403: gettext_lazy("Not signed in, or not allowed to do this."),
    404: gettext_lazy("No such object, or it is not visible to you."),
    406: gettext_lazy("None of the media types in Accept can be given; ask for application/json."),
    415: gettext_lazy("The body is in a media type this operation does not read (see its request body)."),
    429: gettext_lazy("Too many requests; try again after the seconds given in Retry-After."),
}


def error_responses(*codes):
    """Documented error responses for extend_schema: `responses={200: ..., **error_responses(400, 404)}`.

    Most operations have no 401: they authenticate by session first, and Django REST framework then answers
    403 to a request that is not signed in (or carries a wrong token). Operations that put the token first
    answer 401 with WWW-Authenticate (academy.api.schema documents which).
    """
    return {code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code]) for code in codes}


# Most operations on one object: bad input, not allowed, no such object.
ERRORS = error_responses(400, 403, 404)


def names_no_object(url_kwargs):
    """Whether an id in the address is a number no database id can be (a lookup by it overflows)."""
    for value in (url_kwargs or {}).values():
        if isinstance(value, str) and value.isascii() and value.lstrip("-").isdigit():  # int("¹") fails
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ID:
            return True
    return False


def _out_of_range(exc, context):
    """A number (or text) the database cannot hold: no such object when it came in the address, bad input otherwise.

    SQLite raises OverflowError for integers beyond 64 bits; PostgreSQL raises DataError ("integer out of
    range", "value too long"). Either way the request, not the server, is at fault.
    """
    view = context.get("view")
    logger.warning("%s refused a value: %s", type(view).__name__, type(exc).__name__)
    if names_no_object(context.get("kwargs")):
        return exceptions.NotFound()
    return exceptions.ValidationError(
        {NON_FIELD: [gettext_lazy("A number is too large or a text too long to be stored.")]}
    )


def _flatten(detail, prefix=""):
    """{"agenda": [{"day": ["..."]}]} -> {"agenda[0].day": ["..."]}: one flat list of messages per input."""
    if isinstance(detail, dict):
        flat = {}
        for key, value in detail.items():
            name = _child_name(prefix, key)
            if isinstance(value, (dict, list)) and any(isinstance(item, (dict, list)) for item in _items(value)):
                flat.update(_flatten(value, name))
            else:
                flat[name] = [str(item) for item in (value if isinstance(value, list) else [value])]
        return flat
    if isinstance(detail, list):
        if any(isinstance(item, (dict, list)) for item in detail):
            flat = {}
            for index, item in enumerate(detail):
                name = _child_name(prefix, index)
                if isinstance(item, (dict, list)):
                    flat.update(_flatten(item, name))
                elif item:
                    flat[name] = [str(item)]
            return flat
        return {prefix or NON_FIELD: [str(item) for item in detail]}
    return {prefix or NON_FIELD: [str(detail)]} if detail else {}


def _child_name(prefix, key):
    if isinstance(key, int):  # ListField and DictField children
        return f"{prefix or NON_FIELD}[{key}]"
    return f"{prefix}.{key}" if prefix else str(key)


def _items(value):
    return value.values() if isinstance(value, dict) else value


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        code = status.HTTP_400_BAD_REQUEST
        if isinstance(exc, PermissionDeniedError):
            code = status.HTTP_403_FORBIDDEN
        elif isinstance(exc, NotFoundError):
            code = status.HTTP_404_NOT_FOUND
        errors = {exc.field: [str(exc.message)]} if exc.field else {}
        return Response({"detail": str(exc.message), "code": exc.code, "errors": errors}, status=code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, (OverflowError, DataError)):
        exc = _out_of_range(exc, context)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        first = next((messages[0] for messages in errors.values() if messages), "")
        response.data = {"detail": first, "code": "invalid", "errors": errors}
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        response.data = {
            "detail": str(detail),
            "code": getattr(detail, "code", None) or getattr(exc, "default_code", "error"),
            "errors": {},
        }
    return response
