"""The verification page speaks the language of its link (the printed QR carries it), not the phone's."""

import re

import pytest
from django.utils import translation

from certificates.services import rendering
from tests.certificates.conftest import OTHER_LANGUAGE as OTHER
from tests.certificates.conftest import make_template, qr_urls

pytestmark = pytest.mark.django_db


def heading(language):
    with translation.override(language):
        return translation.gettext("Certificate check")


def switch_links(body):
    nav = re.search(r'<nav[^>]*class="language-switcher"[^>]*>(.*?)</nav>', body, re.S).group(1)
    return {code: href.replace("&amp;", "&") for href, code in re.findall(r'href="([^"]+)" lang="(\w+)"', nav)}


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_the_page_answers_in_the_links_language_whatever_the_phone_says(verify_page, certificate, language):
    response, body = verify_page(certificate.code, language, phone=OTHER[language], cookie=True)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == language
    assert f'<html lang="{language}">' in body
    assert f"<h1>{heading(language)}</h1>" in body
    assert len({heading(code) for code in ("ky", "ru", "en")}) == 3  # the check can fail


def test_a_link_without_a_language_answers_in_kyrgyz(verify_page, certificate):
    for spoken in ("en", "ru"):
        _response, body = verify_page(certificate.code, phone=spoken)
        assert '<html lang="ky">' in body and heading("ky") in body
    # An unknown language is not an error either.
    assert '<html lang="ky">' in verify_page(certificate.code, "xx")[1]


def test_the_language_switch_opens_the_same_page_in_each_language(client, verify_page, certificate):
    links = switch_links(verify_page(certificate.code, "ru", phone="en")[1])
    assert links == {code: f"/verify/{certificate.code}/?lang={code}" for code in ("ky", "ru", "en")}
    for code, href in links.items():
        page = client.get(href, HTTP_ACCEPT_LANGUAGE="ru" if code != "ru" else "en").content.decode()
        assert f'<html lang="{code}">' in page and certificate.number in page


def test_the_not_found_page_speaks_the_links_language_too(verify_page, db):
    response, body = verify_page("AAAAAAAAAAAAAAAAAAAA", "ru", phone="en")
    assert response.status_code == 404
    assert '<html lang="ru">' in body


@pytest.mark.parametrize(("languages", "expected"), [("ky+ru", "ky"), ("ru", "ru"), ("en", "en")])
def test_the_printed_qr_code_carries_the_certificates_language(client, certificate, languages, expected):
    certificate.languages = languages
    certificate.save(update_fields=["languages"])
    (url,) = qr_urls(rendering.certificate_pdf(certificate))
    assert url == f"http://testserver/verify/{certificate.code}/?lang={expected}"
    body = client.get(url.removeprefix("http://testserver"), HTTP_ACCEPT_LANGUAGE=OTHER[expected]).content.decode()
    assert f'<html lang="{expected}">' in body


def test_the_sample_pdf_carries_the_templates_first_language(db):
    from certificates.services import templates

    assert qr_urls(templates.sample_pdf(make_template(languages="ru"))) == ["http://testserver/verify/SAMPLE/?lang=ru"]


def test_the_verify_page_describes_itself_and_its_other_languages(verify_page, certificate):
    _response, body = verify_page(certificate.code, "ru")
    head = body.split("</head>", 1)[0]
    assert f'<meta property="og:title" content="Проверка сертификата {certificate.number}">' in head
    assert '<meta property="og:locale" content="ru_RU">' in head
    assert f'<meta property="og:url" content="http://testserver/verify/{certificate.code}/?lang=ru">' in head
    for code in ("ky", "ru", "en"):
        assert f'hreflang="{code}" href="http://testserver/verify/{certificate.code}/?lang={code}"' in head
