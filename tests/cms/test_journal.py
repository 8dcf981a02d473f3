"""The Municipalitet journal: the archive by year, an issue's contents and PDF, an article and its practices."""

from datetime import date

import pytest
from wagtail.models import Locale

from cms.data.pictures import issue_pdf
from cms.services.media import document_titled
from cms.services.site import ensure_child, translate_page

pytestmark = pytest.mark.django_db


def test_the_archive_shows_the_latest_year_and_links_every_year(client, journal):
    body = client.get(journal["index"].url).content.decode()
    assert journal["new"].title in body and journal["old"].title not in body
    assert 'href="?year=2022" aria-current="page"' in body and 'href="?year=2013"' in body


def test_the_archive_of_a_year_lists_its_issues_newest_first(client, journal):
    from cms.models import JournalIssuePage

    ensure_child(
        journal["index"], JournalIssuePage, "2013-11", title="№11 (24), 2013", number=11, date=date(2013, 11, 20)
    )
    body = client.get(journal["index"].url + "?year=2013").content.decode()
    assert body.index("№12 (25), 2013") < body.index("№11 (24), 2013") and journal["new"].title not in body


@pytest.mark.parametrize("year", ["1900", "abc", "2013.5", "%00", "9" * 40])
def test_a_year_without_issues_says_so_and_shows_the_latest(client, journal, year):
    response = client.get(journal["index"].url + f"?year={year}")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body and journal["new"].title in body


def test_an_empty_archive_says_no_issue_yet(client, homes):
    from cms.models import JournalIndexPage

    index = ensure_child(homes["ky"], JournalIndexPage, "municipalitet", title="Журнал")
    assert client.get(index.url).status_code == 200


def test_an_issue_lists_its_articles_in_the_editors_order_with_rubric_and_authors(client, journal):
    body = client.get(journal["old"].url).content.decode()
    assert body.index("Муниципалитетти өнүктүрүүнүн стратегиясы") < body.index("Сөз башынын ордуна")
    assert "Надежда Добрецова, Асылбек Чекиров" in body and "Жергиликтүү өнүгүү" in body
    assert "№12" in body


def test_an_issue_offers_its_whole_pdf_and_the_download_answers(client, journal):
    issue = journal["old"]
    issue.pdf = document_titled("Муниципалитет №12", lambda: issue_pdf("№12 (25)", []), "municipalitet-2013-12.pdf")
    issue.save_revision().publish()
    body = client.get(issue.url).content.decode()
    assert issue.pdf.url in body
    download = client.get(issue.pdf.url)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_an_article_links_its_practices_in_the_readers_language(client, journal, practices):
    article = journal["article"]
    body = client.get(article.url).content.decode()
    assert f'href="{practices["chet_nura"].url}"' in body and journal["old"].title in body
    russian_practice = translate_page(practices["chet_nura"], "ru", title="Чет-Нура: вода", summary="Провели воду.")
    russian = translate_page(article, "ru", title="Стратегия развития муниципалитета", summary="Примеры.")
    body = client.get(russian.url).content.decode()
    assert f'href="{russian_practice.url}"' in body  # the link chosen on the Kyrgyz page, read in Russian
    assert 'lang="ky"' in body and "Стратегия – бул өзөк." in body  # the body is still the Kyrgyz original


def test_a_practice_lists_the_articles_that_tell_of_it(client, journal, practices):
    body = client.get(practices["chet_nura"].url).content.decode()
    assert journal["article"].title in body and f'href="{journal["article"].url}"' in body
    assert journal["article"].title not in client.get(practices["kyshtut"].url).content.decode()


def test_an_article_of_another_language_is_not_listed_on_a_practice(client, journal, practices):
    russian_practice = translate_page(practices["chet_nura"], "ru", title="Чет-Нура: вода", summary="Провели воду.")
    assert journal["article"].title not in client.get(russian_practice.url).content.decode()
    translate_page(journal["article"], "ru", title="Стратегия развития", summary="Примеры.")
    assert "Стратегия развития" in client.get(russian_practice.url).content.decode()


def test_every_journal_page_answers_in_its_translations(client, journal):
    for page in (journal["index"], journal["old"], journal["article"]):
        for code in ("ru", "en"):
            translation = translate_page(page, code, title=f"{page.title} ({code})")
            assert client.get(translation.url).status_code == 200
    assert journal["article"].get_translation(Locale.objects.get(language_code="en")).live
