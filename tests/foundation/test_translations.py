"""Every project string has a Kyrgyz and a Russian translation, and the compiled catalogues match."""

import gettext
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_catalogue_has_no_untranslated_or_fuzzy_entries(language):
    catalogue = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 500
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_compiled_catalogue_matches_its_source(language):
    source = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    with open(LOCALE_DIR / language / "LC_MESSAGES" / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in source.translated_entries():
        if entry.msgid_plural:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        assert compiled._catalog.get(key) == entry.msgstr, entry.msgid


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ky", "Катышуучу"), ("ru", "Участник")],
)
def test_kyrgyz_and_russian_are_active_at_run_time(language, expected):
    with translation.override(language):
        assert translation.gettext("Participant") == expected


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_placeholders_match_the_source_text(language):
    """A translation that drops or breaks a %(name)s placeholder fails at render time: catch it here."""
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|\{\{ ?\w+ ?\}\}")
    catalogue = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    broken = []
    for entry in catalogue.translated_entries():
        if "no-python-format" in entry.flags:
            continue
        expected = set(placeholder.findall(entry.msgid_plural or entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            found = set(placeholder.findall(text))
            if found != expected and not (entry.msgid_plural and found <= expected):
                broken.append((entry.msgid, text))
    assert broken == []
