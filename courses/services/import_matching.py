"""Does a row of an imported list name the same person as an existing account?

An import must never enrol the wrong person (issue #15): an e-mail address or a phone number found in
another account is not enough on its own, because anyone can type a stranger's phone number into their
profile (phones are not verified in this project). So:

- e-mail matches an account: accepted when the row has no name or the names agree; otherwise a conflict;
- only the phone matches (the row has no e-mail): accepted when the names agree; otherwise a conflict;
- the row's e-mail has no account but its phone belongs to an account: always a conflict (two identities);
- a conflict is resolved by the organiser row by row: use the existing account, create a new person, or
  skip the row. Unresolved conflicts are skipped, never matched silently.

Names "agree" when, after normalising (case, ё/е, Kyrgyz ө ү ң, Latin look-alikes and transliteration,
punctuation, order of words), difflib's ratio is at least NAME_THRESHOLD, or every word of the shorter
name (two words at least) matches a word of the longer one (a patronymic present on one side only).
"""

import difflib
import re

# 0.85: "Жумабаев Айбек" ~ "Aibek Zhumabaev" (0.9+) and "Жумабаева Айгуль" ~ "Жумабаева Айгүл" agree;
# "Жумабаев Айбек" vs "Жумабаев Азамат" (0.7) do not. Measured on the cases in
# tests/registration/test_import_matching.py.
NAME_THRESHOLD = 0.85
WORD_THRESHOLD = 0.85

RESOLUTIONS = ("existing", "new", "skip")

_TRANSLIT = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "n",
    "о": "o",
    "ө": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ү": "u",
    "ф": "f",
    "х": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sh",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "і": "i",
}
# Latin spellings of the same sounds, folded the same way ("j"/"dj" for ж, "kh" for х, "ou" for у ...).
_LATIN_FOLDS = (
    ("dzh", "zh"),
    ("dj", "zh"),
    ("j", "zh"),
    ("kh", "h"),
    ("ou", "u"),
    ("ü", "u"),
    ("ö", "o"),
    ("ñ", "n"),
    ("ng", "n"),
    ("iy", "i"),
    ("yi", "i"),
    ("w", "v"),
    ("q", "k"),
)


def name_words(name):
    """The words of `name`, lower-cased and transliterated to plain Latin, in alphabetical order."""
    text = str(name or "").lower()
    text = "".join(_TRANSLIT.get(char, char) for char in text)
    for source, target in _LATIN_FOLDS:
        text = text.replace(source, target)
    return sorted(word for word in re.split(r"[^a-z]+", text) if word)


def _ratio(first, second):
    return difflib.SequenceMatcher(None, first, second).ratio()


def names_agree(first, second):
    words_a, words_b = name_words(first), name_words(second)
    if not words_a or not words_b:
        return False
    if _ratio(" ".join(words_a), " ".join(words_b)) >= NAME_THRESHOLD:
        return True
    shorter, longer = sorted((words_a, words_b), key=len)
    if len(shorter) < 2 or len(shorter) == len(longer):
        return False
    return all(any(_ratio(word, other) >= WORD_THRESHOLD for other in longer) for word in shorter)


def account_name(user):
    """The account's own name, as the organiser should see it beside the row's name."""
    profile = getattr(user, "profile", None) if user is not None else None
    if profile is not None and profile.full_name:
        return profile.full_name
    return (user.get_full_name() or user.email) if user is not None else ""
