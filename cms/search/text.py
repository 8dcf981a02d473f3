"""Words for the search: the same normalisation for documents and queries, and a light stemmer.

PostgreSQL has no Kyrgyz dictionary, and its Russian one would cut Kyrgyz words wrongly, so documents
are indexed with the `simple` configuration (words as they are, lower-cased) and the query is stemmed
here: common Kyrgyz and Russian endings are cut from each word and the rest is matched as a prefix.
"тарифтер", "тарифтердин", "тарифы", "тарифов" all become "тариф", which finds "тариф", "тарифтик",
"тарифы"... A stem keeps at least four letters, so short words stay whole.
"""

import re

from django.utils.html import strip_tags

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
MIN_WORD_LENGTH = 2
MIN_STEM_LENGTH = 4
BODY_LIMIT = 20_000  # characters of text kept per document: enough for snippets and matching

WORD = re.compile(r"[^\W_]+")  # letters and digits: nothing a tsquery would read as syntax

_SOFT, _HARD = "аыоуеиөүэяюё", "бвгджзйклмнңпрстфхцчшщ"

# Kyrgyz: plural, case and possessive endings (with their vowel-harmony and consonant variants);
# Russian: noun and adjective endings. Longest first, cut at most twice ("тарифтердин" -> "тариф").
_KY_ENDINGS = [
    prefix + vowel + tail
    for prefix in ("л", "т", "д")
    for vowel in "аеоө"
    for tail in ("р",)
] + [
    prefix + vowel + tail
    for prefix in ("д", "т", "н")
    for vowel in "ыиуү"
    for tail in ("н",)
] + [
    prefix + vowel + tail
    for prefix in ("д", "т", "н")
    for vowel in "аеоө"
    for tail in ("н",)
] + [
    prefix + vowel
    for prefix in ("г", "к", "д", "т", "н")
    for vowel in "аеоөыиуү"
] + [
    "сы", "си", "су", "сү", "тик", "тык", "тук", "түк", "дик", "дык", "дук", "дүк", "лик", "лык", "лук", "лүк",
]  # fmt: skip
_RU_ENDINGS = [
    # adjectives made from nouns ("тарифная", "бюджетный") lose their -н- too
    "ными", "ного", "ному", "ная", "ный", "ной", "ное", "ные", "ных", "ную", "ным", "ном",
    "иями", "ями", "ами", "ого", "его", "ому", "ему", "ыми", "ими", "иях", "ах", "ях", "ов", "ев", "ей", "ий",
    "ый", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ых", "их", "ую", "юю", "ом", "ем", "ам", "ям", "ия", "ию",
    "а", "я", "ы", "и", "у", "ю", "е", "о", "ь",
]  # fmt: skip
ENDINGS = sorted(set(_KY_ENDINGS + _RU_ENDINGS), key=len, reverse=True)


def normalize(text):
    """Lower-case, ё -> е; keeps the length, so positions found in it hold in the original text."""
    return "".join(_fold(char) for char in str(text or ""))


def _fold(char):
    lower = char.lower()
    if len(lower) != 1:
        return char
    return "е" if lower == "ё" else lower


def stem(word):
    """Cut up to two endings while at least MIN_STEM_LENGTH letters stay."""
    for _round in range(2):
        for ending in ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM_LENGTH:
                word = word[: -len(ending)]
                break
        else:
            break
    return word


def query_stems(query):
    """The stems of a query's words (normalised, deduplicated, in order, at most MAX_WORDS)."""
    stems = []
    for word in WORD.findall(normalize(query)):
        if len(word) < MIN_WORD_LENGTH:
            continue
        word = stem(word)
        if word not in stems:
            stems.append(word)
    return stems[:MAX_WORDS]


def plain_text(value):
    """Readable text of a rich text, a StreamField or a string: tags stripped, blank runs collapsed."""
    if value is None:
        return ""
    raw = getattr(value, "raw_data", None)
    if raw is not None:  # a StreamValue: every string inside its blocks
        return " ".join(filter(None, (plain_text(part) for part in _strings(list(raw)))))
    return " ".join(strip_tags(str(value)).split())


def _strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            if key not in ("type", "id"):
                yield from _strings(value)
    elif isinstance(data, list | tuple):
        for item in data:
            yield from _strings(item)


def join_text(*parts):
    text = " ".join(part for part in (plain_text(part) for part in parts) if part)
    return text[:BODY_LIMIT]
