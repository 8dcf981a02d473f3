"""The /q/<code> pages speak the language of their link (the printed QR carries it), not the phone's."""

import io
import re

import pytest
import zxingcpp
from django.urls import reverse
from django.utils import translation
from PIL import Image

from courses.services import materials as service
from courses.services import shortlinks

from .conftest import make_material

pytestmark = pytest.mark.django_db

OTHER = {"ky": "en", "ru": "ky", "en": "ru"}


def gone_title(language):
    with translation.override(language):
        return translation.gettext("This link is no longer active")


def decode(png):
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_the_page_behind_a_link_answers_in_its_language(client, session, trainer, language):
    material = make_material(trainer, session)
    shortlinks.set_active(trainer, material.short_link, False)
    client.cookies["django_language"] = OTHER[language]
    response = client.get(f"/q/{material.short_link.code}?lang={language}", HTTP_ACCEPT_LANGUAGE=OTHER[language])
    body = response.content.decode()
    assert response.status_code == 410
    assert f'<html lang="{language}">' in body and gone_title(language) in body
    assert len({gone_title(code) for code in ("ky", "ru", "en")}) == 3


def test_without_a_language_the_page_is_kyrgyz_and_the_switch_changes_it(client, session, trainer):
    material = make_material(trainer, session)
    shortlinks.set_active(trainer, material.short_link, False)
    body = client.get(f"/q/{material.short_link.code}", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="ky">' in body
    nav = re.search(r'<nav[^>]*class="language-switcher"[^>]*>(.*?)</nav>', body, re.S).group(1)
    links = {code: href for href, code in re.findall(r'href="([^"]+)" lang="(\w+)"', nav)}
    assert links == {code: f"/q/{material.short_link.code}?lang={code}" for code in ("ky", "ru", "en")}
    for code, href in links.items():
        assert f'<html lang="{code}">' in client.get(href, HTTP_ACCEPT_LANGUAGE="ky").content.decode()


def test_redirects_keep_the_links_language(client, session, trainer):
    restricted = make_material(trainer, session, visibility="participants")
    response = client.get(f"/q/{restricted.short_link.code}?lang=ru", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"].startswith("/ru/accounts/login/")
    assert "lang%3Dru" in response["Location"]  # back to the same link, same language, after logging in
    pack = shortlinks.ensure_session_pack_link(session)
    client.force_login(trainer)
    response = client.get(f"/q/{pack.code}?lang=en", HTTP_ACCEPT_LANGUAGE="ky")
    assert response["Location"].startswith("/en/")


def test_qr_codes_carry_the_materials_language(client, session, trainer):
    material = make_material(trainer, session, language="ru")
    code = material.short_link.code
    png = client.get(reverse("short_link_png", kwargs={"code": code}))
    assert decode(png.content) == [f"http://testserver/q/{code}?lang=ru"]
    # An address asking for another language encodes that one (the admin's preview per language).
    png = client.get(reverse("short_link_png", kwargs={"code": code}) + "?lang=en")
    assert decode(png.content) == [f"http://testserver/q/{code}?lang=en"]


def test_the_handout_carries_each_materials_language_and_the_sessions(session, trainer):
    session.language = "ru"
    session.save(update_fields=["language"])
    kyrgyz = make_material(trainer, session, language="ky")
    english = make_material(trainer, session, language="en")
    data = service.handout_data(trainer, session)
    urls = {item.url for item in data.items}
    assert f"http://testserver/q/{kyrgyz.short_link.code}?lang=ky" in urls
    assert f"http://testserver/q/{english.short_link.code}?lang=en" in urls
    assert data.pack_url.endswith("?lang=ru")
