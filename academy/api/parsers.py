"""The API's JSON parser: Django REST framework's, with a limit on how deeply a body may nest.

Python's JSON decoder recurses once per level: `'[' * 1000 + ']' * 1000` exhausts the interpreter's
recursion limit (a RecursionError, answered 500), and a body just under that limit would exhaust it
later, in a serializer or in the error handler that walks the errors. No body of this API nests more
than a few levels (a list of attendance marks, an agenda of days), so a deeper one is refused with a
400 before any view sees it.
"""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Deeper than any body of the API (the deepest, a list of objects holding a list, is 3), far below the
# recursion limit of anything that walks the data.
MAX_DEPTH = 32


def nesting_depth(data):
    """How many lists and objects deep `data` goes (0 for a number or text), without recursion."""
    deepest = 0
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        pending.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


class JSONParser(parsers.JSONParser):
    """JSON bodies at most MAX_DEPTH levels deep; a deeper or unreadable one is a translated 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(too_deep_message(), code="parse_error") from None
        except ParseError:
            raise ParseError(_("The request body is not valid JSON."), code="parse_error") from None
        if nesting_depth(data) > MAX_DEPTH:
            raise ParseError(too_deep_message(), code="parse_error")
        return data


def too_deep_message():
    return _("The request body nests lists or objects more than %(depth)s levels deep.") % {"depth": MAX_DEPTH}
