"""seed_demo leaves a consistent page tree, also when run again, and the ru/en sites answer below their home pages."""

from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Page

pytestmark = pytest.mark.django_db


def test_the_page_tree_is_consistent_after_seeding_twice_and_every_live_page_answers(seeded, client):
    assert Page.find_problems() == ([], [], [], [], [])
    call_command("seed_demo", stdout=StringIO())
    assert Page.find_problems() == ([], [], [], [], [])
    for language in ("ky", "ru", "en"):
        assert client.get(f"/{language}/courses/").status_code == 200
    pages = Page.objects.live().filter(depth__gt=1).specific()
    assert {page.locale.language_code for page in pages} == {"ky", "ru", "en"}
    for page in pages:
        url = page.get_url()
        assert url and client.get(url).status_code == 200, url
