"""The best-practice index (filters by oblast, topic, year, municipality kind; pages; languages) and a practice page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from cms.services.site import translate_page
from tests.cms.conftest import make_photo, make_practice

pytestmark = pytest.mark.django_db


def titles(response):
    return re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', response.content.decode())


def test_the_index_lists_every_practice_newest_first(client, practice_index, practices):
    response = client.get(practice_index.url)
    assert response.status_code == 200
    found = titles(response)
    assert len(found) == 4 and found[0] == practices["kyshtut"].title and found[-1] == practices["chet_nura"].title
    body = response.content.decode()
    assert "4 practices found" not in body  # the page speaks Kyrgyz
    assert 'method="get"' in body and "<details" in body  # a plain form: works without JavaScript


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("region=batken", {"kyshtut", "kadamjai"}),
        ("region=naryn", {"chet_nura"}),
        ("topic=water-supply", {"kyshtut", "chet_nura", "bishkek"}),
        ("year=2021", {"kadamjai", "bishkek"}),
        ("kind=town", {"kadamjai"}),
        ("kind=city", {"bishkek"}),
        ("region=batken&topic=citizens-budget&year=2021&kind=town", {"kadamjai"}),
        ("region=chui", set()),
    ],
)
def test_filters_narrow_the_list(client, practice_index, practices, query, expected):
    response = client.get(f"{practice_index.url}?{query}")
    assert response.status_code == 200
    assert set(titles(response)) == {practices[key].title for key in expected}


def test_an_unknown_value_is_shown_as_an_error_and_the_other_filters_still_apply(client, practice_index, practices):
    response = client.get(f"{practice_index.url}?region=atlantis&year=1066&topic=water-supply&kind=village")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body and body.count('class="errorlist"') == 3  # region, year and kind
    assert set(titles(response)) == {practices[key].title for key in ("kyshtut", "chet_nura", "bishkek")}


def test_the_year_filter_offers_only_years_with_practices(client, practice_index, practices):
    body = client.get(practice_index.url).content.decode()
    years = re.findall(r'<option value="(\d{4})"', body)
    assert years == ["2024", "2021", "2013"]


@pytest.mark.parametrize("query", ["page=2", "page=x", "page=99", "page=-1", "year=%00", "region=" + "x" * 500])
def test_odd_pages_and_values_never_fail(client, practice_index, practices, query):
    assert client.get(f"{practice_index.url}?{query}").status_code == 200


def test_pages_of_twelve_keep_the_filters_in_their_links(client, practice_index, topics):
    for number in range(14):
        make_practice(practice_index, f"water-{number}", topics=[topics["water"]], year=2020)
    body = client.get(f"{practice_index.url}?topic=water-supply").content.decode()
    assert len(re.findall(r'class="card practice-card"', body)) == 12
    assert "?topic=water-supply&amp;page=2" in body
    second = client.get(f"{practice_index.url}?topic=water-supply&page=2").content.decode()
    assert len(re.findall(r'class="card practice-card"', second)) == 2


def test_each_language_lists_its_own_pages_and_names_places_in_it(client, practice_index, practices):
    russian = translate_page(practices["kyshtut"], "ru", title="Кыштут: водопровод", summary="Сельчане провели воду.")
    ru_index = practice_index.get_translation(Locale.objects.get(language_code="ru"))
    response = client.get(ru_index.url)
    assert titles(response) == [russian.title]  # only the translated practice is on the Russian index
    body = response.content.decode()
    assert "Баткенская область" in body and "Баткен облусу" not in body
    assert "Водоснабжение" in body


def test_the_index_runs_a_fixed_number_of_queries_whatever_the_number_of_practices(
    client, practice_index, topics, django_assert_max_num_queries
):
    from django.core.cache import cache

    photo = make_photo()

    def measure():
        client.get(practice_index.url)  # renditions are made once, on the first visit
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(practice_index.url).status_code == 200
        cache.clear()
        return len(queries)

    for number in range(2):
        make_practice(practice_index, f"few-{number}", topics=[topics["water"]], image=photo)
    few = measure()
    for number in range(10):
        make_practice(
            practice_index, f"many-{number}", municipality="chet_nura", topics=list(topics.values()), image=photo
        )
    many = measure()
    assert many == few
    with django_assert_max_num_queries(30):
        client.get(practice_index.url + "?region=batken&topic=water-supply")


def test_a_practice_page_shows_its_place_topics_project_and_contact(client, practices):
    from academy.models import FundingProject

    practice = practices["kadamjai"]
    practice.funding_project = FundingProject.objects.create(
        code="msdsp",
        donor="MSDSP KG",
        name_ky="Чек аралаш аймактарды өнүктүрүү",
        name_ru="Развитие приграничных территорий",
        name_en="Cross-border development",
        starts_on="2022-01-01",
        ends_on="2024-12-31",
    )
    practice.partners = "Өнүктүрүү саясат институту\n\nMSDSP KG"
    practice.contact_name, practice.contact_phone = "Эмилбек Жороев", "+996 700 100 203"
    practice.results = [{"type": "figures", "value": [{"value": "3,2 км", "label": "суу түтүгү"}]}]
    practice.save_revision().publish()
    body = client.get(practice.url).content.decode()
    for text in ("Кадамжай", "Кадамжай району", "Баткен облусу", "2021", "Жарандык бюджет", "Чек аралаш аймактарды"):
        assert text in body, text
    assert "<li>Өнүктүрүү саясат институту</li><li>MSDSP KG</li>" in body
    assert 'href="tel:+996700100203"' in body and "3,2 км" in body
    assert 'href="/ky/practices/?topic=citizens-budget"' in body


def test_an_untranslated_text_is_marked_with_its_language(client, practices):
    english = translate_page(practices["kyshtut"], "en", title="Kyshtut: water", summary="Pipes were laid.")
    body = client.get(english.url).content.decode()
    assert english.text_language == "ky"  # copied from the original with its text
    assert '<div class="rich-text" lang="ky"><p>Суу жетишпейт.</p>' in body
    assert "has not been translated yet" in body
    english.text_language = "en"
    english.problem = "<p>Water is short.</p>"
    english.save_revision().publish()
    body = client.get(english.url).content.decode()
    assert 'lang="ky"' not in body.split("<main", 1)[1] and "has not been translated yet" not in body


def test_a_draft_practice_is_nowhere_to_be_seen(client, practice_index, practices):
    practices["bishkek"].unpublish()
    assert practices["bishkek"].title not in titles(client.get(practice_index.url))
    assert client.get(practices["bishkek"].url_path.replace("/academy/", "/ky/")).status_code == 404


def test_the_home_page_links_the_portal_and_the_journal(client, homes, practice_index, journal):
    body = client.get("/ky/").content.decode()
    assert f'href="{practice_index.url}"' in body and f'href="{journal["index"].url}"' in body
