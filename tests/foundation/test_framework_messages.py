"""Django's and Wagtail's own messages read in Kyrgyz, from the project catalogue (academy/i18n_overrides.py)."""

import glob
import re
from functools import cache
from pathlib import Path

import django
import polib
import pytest
import wagtail
from django.utils import translation

from academy import i18n_overrides

pytestmark = pytest.mark.django_db


@cache
def framework_messages():
    """(msgctxt, msgid) of every message in Django's and Wagtail's own (Russian) catalogues."""
    found = set()
    for package in (django, wagtail):
        root = Path(package.__file__).parent
        for path in glob.glob(str(root / "**" / "locale" / "ru" / "LC_MESSAGES" / "django.po"), recursive=True):
            found.update((entry.msgctxt, entry.msgid) for entry in polib.pofile(path))
    return found


def kyrgyz(context, msgid, plural):
    with translation.override("ky"):
        if plural:
            return translation.npgettext(context, msgid, plural, 5) if context else translation.ngettext(msgid, plural, 5)
        return translation.pgettext(context, msgid) if context else translation.gettext(msgid)


@pytest.mark.parametrize(("context", "msgid", "plural"), i18n_overrides.MESSAGES, ids=lambda value: str(value)[:40])
def test_each_listed_message_is_djangos_or_wagtails_and_reads_in_kyrgyz(context, msgid, plural):
    assert (context, msgid) in framework_messages(), "not a Django or Wagtail message: the override would do nothing"
    text = kyrgyz(context, msgid, plural)
    assert text != msgid
    words = re.sub(r"%\(\w+\)[sd]|%[sd]|URL", "", text)
    assert not re.search(r"[A-Za-z]", words), text


@pytest.mark.parametrize(
    ("msgid", "expected"),
    [
        ("This field is required.", "Бул талааны толтуруу милдеттүү."),
        ("Enter a valid email address.", "Туура электрондук почта дарегин жазыңыз."),
        ("This password is too common.", "Бул сырсөз өтө көп колдонулат."),
        ("The two password fields didn’t match.", "Эки сырсөз дал келбейт."),
        ("Choose a page", "Баракты тандоо"),
        ("Images", "Сүрөттөр"),
    ],
)
def test_key_messages_in_kyrgyz(msgid, expected):
    with translation.override("ky"):
        assert translation.gettext(msgid) == expected


def test_wagtail_snippet_chooser_label_is_kyrgyz_around_the_model_name():
    """Wagtail builds "Choose %(object)s" with the model's name: it used to read "Choose тренинг"."""
    from wagtail.snippets.widgets import AdminSnippetChooser

    from courses.models import Session

    with translation.override("ky"):
        widget = AdminSnippetChooser(Session)
        label = str(widget.choose_one_text)
    assert label.startswith("Тандоо: ")
    assert "Choose" not in label


def test_django_validation_errors_come_in_kyrgyz():
    from django import forms
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    class Form(forms.Form):
        email = forms.EmailField()
        count = forms.IntegerField(max_value=10)

    with translation.override("ky"):
        errors = Form({"email": "nope", "count": "11"}).errors
        assert errors["email"] == ["Туура электрондук почта дарегин жазыңыз."]
        assert errors["count"] == ["Маани 10 же андан аз болушу керек."]
        assert Form({}).errors["email"] == ["Бул талааны толтуруу милдеттүү."]
        with pytest.raises(ValidationError) as raised:
            validate_password("12345678")
    messages = raised.value.messages
    assert "Бул сырсөз өтө көп колдонулат." in messages
    assert "Бул сырсөз сандардан гана турат." in messages


def test_password_help_texts_come_in_kyrgyz():
    from django.contrib.auth.password_validation import password_validators_help_texts

    with translation.override("ky"):
        texts = password_validators_help_texts()
    assert texts and all(not any("a" <= char <= "z" for char in text.lower()) for text in texts), texts


def test_kyrgyz_sign_up_with_a_bad_password_shows_kyrgyz_errors(client, homes):
    form = {"email": "aigul@example.org", "password": "12345678", "full_name": "Айгүл Асанова"}
    form.update(preferred_language="ky", consent="on")
    body = client.post("/ky/accounts/signup/", form).content.decode()
    assert "Бул сырсөз өтө көп колдонулат." in body
    assert "This password" not in body
    body = client.post("/ky/accounts/signup/", {"email": "not-an-address"}).content.decode()
    assert "Туура электрондук почта дарегин жазыңыз." in body
    assert "Бул талааны толтуруу милдеттүү." in body
    for english in ("This password", "This field is required", "Enter a valid"):
        assert english not in body
