"""Snippets: a window of a result's text around the first word found, with the words marked.

Every piece of the text is escaped before the <mark> tags are put around the words, so whatever an
editor (or a submitted practice) wrote, the snippet carries no markup of its own.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from cms.search.text import normalize

SNIPPET_LENGTH = 220
LEAD = 60  # characters shown before the first word found


def _pattern(stems):
    if not stems:
        return None
    alternatives = "|".join(re.escape(stem) for stem in sorted(stems, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})\w*")


def mark(text, stems):
    """The whole text escaped, with the found words in <mark>."""
    return mark_safe(_marked(text, _pattern(stems)))


def _marked(text, pattern):
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for match in pattern.finditer(normalize(text)):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(text[match.start() : match.end()])}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def snippet(text, stems, length=SNIPPET_LENGTH):
    """About `length` characters of `text` around the first word found (its start when none is)."""
    text = text or ""
    pattern = _pattern(stems)
    found = pattern.search(normalize(text)) if pattern else None
    start = 0
    if found and found.start() > LEAD:
        start = found.start() - LEAD
        space = text.find(" ", start, found.start())
        start = space + 1 if space != -1 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start + length // 2, end)
        end = space if space != -1 else end
    body = _marked(text[start:end], pattern)
    return mark_safe(("…" if start else "") + body + ("…" if end < len(text) else ""))
