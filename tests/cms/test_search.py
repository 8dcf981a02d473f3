"""The public search (/<lang>/search/): ky and ru words and their forms, facets, filters, snippets,
what is never shown, bad queries, query counts and page weight. On SQLite here; test_search_postgres.py
runs the PostgreSQL full-text path."""

import re

import pytest

from tests.cms.search_fixtures import make_tariff_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def tariffs(homes, practice_index, practices, journal, course_index):
    return make_tariff_world(homes, practice_index, practices, journal, course_index)


def found(response):
    """(kind label, title text) of each result, in order."""
    html = response.content.decode()
    items = re.findall(r'<li>\s*<p class="meta">([^<·]+)[^<]*</p>\s*<h2><a href="([^"]+)">(.*?)</a></h2>', html, re.S)
    return [(label.strip(), href, re.sub(r"<[^>]+>", "", title)) for label, href, title in items]


def titles(response):
    return [title for _label, _href, title in found(response)]


@pytest.mark.parametrize("word", ["тариф", "тарифтер", "тарифтердин", "Тарифтик", "ТАРИФТЕРИ"])
def test_kyrgyz_forms_find_the_course_the_practice_and_the_article(client, tariffs, word):
    response = client.get("/ky/search/", {"q": word})
    assert response.status_code == 200
    result = titles(response)
    assert result[0] == tariffs["course"].title  # the course whose title says it comes first
    for key in ("practice", "article", "news"):
        assert tariffs[key].title in result
    assert tariffs["budget_text"].title in result  # found by its text, below the title matches
    assert result.index(tariffs["budget_text"].title) > result.index(tariffs["practice"].title)
    assert tariffs["other_course"].title not in result


@pytest.mark.parametrize("word", ["тариф", "тарифы", "тарифов", "тарифная", "Тарифам"])
def test_russian_forms_find_the_russian_pages(client, tariffs, word):
    response = client.get("/ru/search/", {"q": word})
    result = titles(response)
    assert result[0] == tariffs["course_ru"].title
    assert tariffs["practice_ru"].title in result
    assert tariffs["course"].title not in result  # each language searches its own pages
    links = [href for _label, href, _title in found(response)]
    assert all(href.startswith("/ru/") for href in links)


def test_sessions_and_public_materials_are_found_and_link_to_their_pages(client, tariffs):
    response = client.get("/ky/search/", {"q": "тариф", "type": "session"})
    [(label, href, title)] = found(response)
    assert href == f"/ky/sessions/{tariffs['session'].pk}/"
    assert title.startswith(tariffs["course"].title) and "15.12.2026" in title
    response = client.get("/ky/search/", {"q": "эсептөө үлгүсү"})
    assert titles(response) == ["Тариф эсептөө үлгүсү"]
    assert client.get(found(response)[0][1]).status_code == 200  # the course page


def test_facets_count_each_kind_and_narrow_the_list(client, tariffs):
    response = client.get("/ky/search/", {"q": "тариф"})
    html = response.content.decode()
    facets = dict(re.findall(r'type=(\w+)"[^>]*>[^<(]+\((\d+)\)', html))
    assert facets == {"course": "1", "session": "1", "practice": "2", "article": "1", "material": "1", "news": "1"}
    assert re.search(r'aria-current="true">[^<]+\(7\)', html)
    response = client.get("/ky/search/", {"q": "тариф", "type": "practice"})
    assert sorted(titles(response)) == sorted([tariffs["practice"].title, tariffs["budget_text"].title])


def test_filters_by_oblast_and_year(client, tariffs):
    batken = titles(client.get("/ky/search/", {"q": "тариф", "region": "batken"}))
    # the practice (Kyshtut), the session (Batken town) and the article telling of the Batken practice
    assert sorted(batken) == sorted([tariffs["practice"].title, tariffs["article"].title, found_session(tariffs)])
    assert titles(client.get("/ky/search/", {"q": "тариф", "year": "2021"})) == [tariffs["budget_text"].title]
    response = client.get("/ky/search/", {"q": "тариф", "year": "2023"})
    assert titles(response) == [tariffs["practice"].title]
    assert '<option value="2023" selected>' in response.content.decode()


def found_session(world):
    return f"{world['course'].title} · 15.12.2026"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "тариф", "region": "atlantis"}, "There is no such oblast."),
        ({"q": "тариф", "year": "двадцать"}, "Give the year as a number, e.g. 2024."),
        ({"q": "тариф", "year": "1800"}, "Ensure this value is greater than or equal to 1991."),
        ({"q": "тариф", "type": "spaceship"}, "There is no such type."),
    ],
)
def test_a_bad_filter_is_explained_and_the_search_still_runs(client, tariffs, params, message):
    response = client.get("/en/search/", params)
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type a word to search for"),
        ("   ", "Type a word to search for"),
        ("т" * 201, "The search is too long: up to 200 characters."),
        ("!!! ??? ---", "Type at least one word of 2 letters or more."),
        ("a", "Type at least one word of 2 letters or more."),
        ("\x00\x00", "Null characters are not allowed."),
        ("тариф\x00' OR 1=1 --", "Null characters are not allowed."),
        ("тариф' OR 1=1 --", None),
        ("тариф:* & | ! <-> (", None),
        ("%_%", "Type at least one word of 2 letters or more."),
    ],
)
def test_empty_oversized_and_garbage_queries_get_a_clear_message(client, tariffs, query, message):
    response = client.get("/en/search/", {"q": query, "page": "x"})
    assert response.status_code == 200
    if message:
        assert message in response.content.decode()


def test_messages_are_translated(client, tariffs):
    assert "Издөө өтө узун" in client.get("/ky/search/", {"q": "т" * 300}).content.decode()
    assert "Слишком длинный запрос" in client.get("/ru/search/", {"q": "т" * 300}).content.decode()


def test_snippets_and_titles_are_escaped_and_marked(client, tariffs):
    from cms.search import indexing
    from tests.cms.conftest import make_practice

    make_practice(
        tariffs["practice"].get_parent(),
        "xss",
        title='Тариф <img src=x onerror="alert(1)">',
        summary="Тарифтер 5 < 10 сом & 7 > 3 <script>alert('x')</script> болду.",
    )
    indexing.rebuild(["practice"])
    html = client.get("/ky/search/", {"q": "тарифтерди"}).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "<mark>Тариф</mark> &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "<mark>Тарифтер</mark> 5 &lt; 10 сом &amp; 7 &gt; 3" in html
    assert "<mark>тарифтерди</mark> жамаат менен талкуулады" in html
    assert "<mark>Тарифтерди</mark> ким бекитет?" in html


def test_drafts_private_pages_hidden_materials_and_draft_sessions_never_appear(client, tariffs, django_user_model):
    for language in ("ky", "ru", "en"):
        for word in ("тариф", "жашыруун", "жабык", "долбоор"):
            html = client.get(f"/{language}/search/", {"q": word}).content.decode()
            for text in ("Долбоор: тариф", "Жабык тариф", "Жашыруун тариф", "Тариф долбоор сессия"):
                assert text not in html


def test_a_page_unpublished_or_restricted_after_indexing_disappears_at_once(client, tariffs):
    from wagtail.models import PageViewRestriction

    assert tariffs["article"].title in titles(client.get("/ky/search/", {"q": "тариф"}))
    tariffs["article"].unpublish()  # no commit in this test: the index still holds it, the query drops it
    PageViewRestriction.objects.create(page=tariffs["course"], restriction_type=PageViewRestriction.LOGIN)
    result = titles(client.get("/ky/search/", {"q": "тариф"}))
    assert tariffs["article"].title not in result
    assert tariffs["course"].title not in result
    assert found_session(tariffs) not in result  # sessions and materials belong to their course page
    assert "Тариф эсептөө үлгүсү" not in result


def test_the_index_follows_publishing_and_saving(client, tariffs, django_capture_on_commit_callbacks):
    from courses.models import Material
    from tests.cms.conftest import make_practice

    with django_capture_on_commit_callbacks(execute=True):
        new = make_practice(tariffs["practice"].get_parent(), "new-tariffs", title="Жаңы тариф саясаты", year=2025)
    assert new.title in titles(client.get("/ky/search/", {"q": "тариф"}))
    with django_capture_on_commit_callbacks(execute=True):
        new.unpublish()
        tariffs["session"].status = "draft"
        tariffs["session"].save()
        Material.objects.filter(pk=tariffs["hidden_material"].pk).update(visibility="public")
        tariffs["hidden_material"].refresh_from_db()
        tariffs["hidden_material"].save()
    result = titles(client.get("/ky/search/", {"q": "тариф"}))
    assert new.title not in result
    assert found_session(tariffs) not in result
    assert "Жашыруун тариф таблицасы" in result
    with django_capture_on_commit_callbacks(execute=True):
        tariffs["hidden_material"].delete()
    assert "Жашыруун тариф таблицасы" not in titles(client.get("/ky/search/", {"q": "тариф"}))


def test_pages_of_ten_keep_the_query_in_their_links(client, tariffs):
    from cms.search import indexing
    from tests.cms.conftest import make_practice

    for number in range(12):
        make_practice(tariffs["practice"].get_parent(), f"many-{number}", title=f"Тариф {number}", year=2020)
    indexing.rebuild(["practice"])
    response = client.get("/ky/search/", {"q": "тариф", "type": "practice"})
    assert len(found(response)) == 10
    assert "?q=%D1%82%D0%B0%D1%80%D0%B8%D1%84&amp;type=practice&amp;page=2" in response.content.decode()
    assert len(found(client.get("/ky/search/", {"q": "тариф", "type": "practice", "page": "2"}))) == 4
    assert len(found(client.get("/ky/search/", {"q": "тариф", "type": "practice", "page": "999"}))) == 4


def test_the_number_of_queries_does_not_grow_with_the_results(client, tariffs, django_assert_max_num_queries):
    from cms.search import indexing
    from tests.cms.conftest import make_practice

    client.get("/ky/search/", {"q": "тариф"})  # warm the site root paths
    with django_assert_max_num_queries(8):
        client.get("/ky/search/", {"q": "тариф", "region": "batken"})
    for number in range(25):
        make_practice(tariffs["practice"].get_parent(), f"more-{number}", title=f"Тарифтер {number}", year=2020)
    indexing.rebuild()
    with django_assert_max_num_queries(8):
        response = client.get("/ky/search/", {"q": "тариф"})
    assert len(found(response)) == 10


def test_the_site_header_links_the_search_in_every_language(client, tariffs):
    for language in ("ky", "ru", "en"):
        html = client.get(f"/{language}/").content.decode()
        assert f'href="/{language}/search/"' in html
    assert client.get("/ky/search/").status_code == 200


def test_a_page_of_results_is_light_on_a_phone(client, tariffs):
    """HTML, style sheets and scripts of a results page: no pictures, no web fonts beyond the site's CSS."""
    from pathlib import Path

    from django.contrib.staticfiles import finders

    html = client.get("/ky/search/", {"q": "тариф"}).content.decode()
    assets = re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    weight = len(html.encode()) + sum(Path(finders.find(path)).stat().st_size for path in assets)
    assert "<img" not in html
    assert weight < 40 * 1024, weight


def test_a_repeated_search_is_read_from_the_cache_until_a_page_or_the_index_changes(client, tariffs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import PageViewRestriction

    params = {"q": "тариф", "region": "batken"}
    client.get("/ky/search/", {"q": "бюджет"})  # warm the site root paths
    with CaptureQueriesContext(connection) as first:
        before = titles(client.get("/ky/search/", params))
    with CaptureQueriesContext(connection) as again:
        assert titles(client.get("/ky/search/", {**params, "page": "1"})) == before
    assert len(again) < len(first)
    assert not [query for query in again.captured_queries if "GROUP BY" in query["sql"]]
    restriction = PageViewRestriction.objects.create(page=tariffs["article"], restriction_type="login")
    assert tariffs["article"].title not in titles(client.get("/ky/search/", {**params, "page": "1"}))
    restriction.delete()
    assert titles(client.get("/ky/search/", {**params, "page": "1"})) == before
