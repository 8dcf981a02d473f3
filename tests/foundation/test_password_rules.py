"""The sign-up page shows the password rules in the reader's language before submitting, and a static script
(no inline script: the Content-Security-Policy forbids it) checks them as the person types."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_the_kyrgyz_sign_up_page_lists_the_password_rules_in_kyrgyz(client, homes):
    page = client.get("/ky/accounts/signup/").content.decode()
    rules = re.search(r"<ul[^>]*data-password-rules[^>]*>(.*?)</ul>", page, re.S)
    assert rules, "the rules are on the page before anything is submitted"
    text = rules.group(1)
    assert "Сырсөз кеминде 8 белгиден турушу керек." in text
    assert "Сырсөз сандардан гана турбашы керек." in text
    assert "Your password" not in text
    assert 'data-rule="min-length" data-min="8"' in text and 'data-rule="not-numeric"' in text
    assert 'aria-describedby="id_password_rules"' in page and 'id="id_password_rules"' in page


def test_the_rules_are_checked_by_a_static_script_not_an_inline_one(client, homes):
    page = client.get("/en/accounts/signup/").content.decode()
    assert re.search(r'<script src="[^"]*js/password-rules[^"]*\.js" defer></script>', page)
    assert finders.find("js/password-rules.js")
    assert "Your password must contain at least 8 characters." in page
