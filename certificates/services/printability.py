"""Whether a certificate can print a holder's name: every letter must be in the font that draws it.

reportlab draws a letter its font lacks as an empty box (Arabic, Hebrew in DejaVu Serif) or not at
all (emoji), and it lays out right-to-left scripts left to right without joining their letters, so a
name in such letters would be issued unreadable. Issuing refuses such a name, naming the letters,
and the admin's issue screen warns before anyone starts a batch.
"""

import os
import unicodedata
from functools import lru_cache

from django.utils.translation import gettext as _
from reportlab.pdfbase.ttfonts import TTFontFile

from academy.errors import DomainError
from certificates.pdf import NAME_FONT_ROLE, holder_names
from certificates.services.templates import fonts

# Letters written right to left: reportlab would print them in the wrong order and unjoined.
RIGHT_TO_LEFT = {"R", "AL", "RLE", "RLO", "RLI"}
SHOWN_AT_MOST = 10


@lru_cache(maxsize=8)
def _code_points(path, _modified):
    return frozenset(TTFontFile(path).charToGlyph)


def font_code_points(path):
    """The characters the TrueType font at `path` has a glyph for (read once per file version)."""
    return _code_points(path, os.stat(path).st_mtime_ns)


def name_font_path():
    return getattr(fonts(), NAME_FONT_ROLE)


def unprintable_letters(text, font_path=None):
    """The distinct characters of `text` a certificate cannot print, in order of appearance."""
    available = font_code_points(font_path or name_font_path())
    found = []
    for character in text:
        if character == " " or character in found:
            continue
        if ord(character) not in available or unicodedata.bidirectional(character) in RIGHT_TO_LEFT:
            found.append(character)
    return found


def describe(characters):
    """`ع (U+0639), U+FE0F`: each letter with its code (only the code for an invisible one)."""
    shown = []
    for character in characters[:SHOWN_AT_MOST]:
        code = f"U+{ord(character):04X}"
        visible = unicodedata.category(character)[0] not in "CMZ"
        shown.append(f"{character} ({code})" if visible else code)
    if len(characters) > SHOWN_AT_MOST:
        shown.append("…")
    return ", ".join(shown)


def printing_problem(holder_name, holder_name_latin, languages):
    """A translated sentence naming the letters of the printed name(s) the font cannot draw, or ""."""
    letters = []
    for name in holder_names(holder_name, holder_name_latin, languages):
        letters.extend(letter for letter in unprintable_letters(name) if letter not in letters)
    if not letters:
        return ""
    return _(
        "The certificate cannot print these letters of the name “%(name)s”: %(letters)s. "
        "Correct the name in the profile (or give the Latin spelling for English certificates) before issuing."
    ) % {"name": holder_name, "letters": describe(letters)}


def check_printable(holder_name, holder_name_latin, languages):
    """Raise a DomainError (code `unprintable`) when the certificate would not print the name as written."""
    problem = printing_problem(holder_name, holder_name_latin, languages)
    if problem:
        raise DomainError(problem, field="registration", code="unprintable")
