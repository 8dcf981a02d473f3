"""The academy's name and contacts on every page come from the cache, and change as soon as an editor saves them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from cms.models import AcademySettings

pytestmark = pytest.mark.django_db
LOGIN = "/ky/accounts/login/"


def _page(client, url=LOGIN, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    settings_queries = [
        q["sql"] for q in queries if "cms_academysettings" in q["sql"] or "wagtailcore_site" in q["sql"]
    ]
    return response.content.decode(), settings_queries


@pytest.fixture
def academy_settings(homes):
    site = Site.objects.get(is_default_site=True)
    return AcademySettings.objects.update_or_create(site=site, defaults={"name_ky": "Муниципалдык академия"})[0]


def test_the_second_page_reads_neither_the_site_nor_the_settings(client, academy_settings):
    first, first_queries = _page(client)
    again, queries = _page(client)
    assert "Муниципалдык академия" in first and "Муниципалдык академия" in again
    assert first_queries and queries == []


def test_saved_settings_show_on_the_next_page(client, academy_settings):
    _page(client)
    academy_settings.name_ky = "Жергиликтүү башкаруу академиясы"
    academy_settings.save()
    assert "Жергиликтүү башкаруу академиясы" in _page(client)[0]


def test_each_site_gets_its_own_settings(client, academy_settings, homes, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example.org"]
    other = Site.objects.create(hostname="other.example.org", root_page=homes["ky"].get_parent(), site_name="Other")
    AcademySettings.objects.create(site=other, name_ky="Башка академия")
    assert "Муниципалдык академия" in _page(client)[0]
    assert "Башка академия" in _page(client, HTTP_HOST="other.example.org")[0]
    assert "Муниципалдык академия" in _page(client)[0]
