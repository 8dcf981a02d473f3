"""The PostgreSQL path of the search: the tsvector (`simple`), prefix stems, pg_trgm word similarity,
ts_rank ordering and the GIN indexes. Run with DATABASE_URL pointing at PostgreSQL."""

import pytest
from django.db import connection

from cms.search.models import SearchDocument
from tests.cms.search_fixtures import make_tariff_world
from tests.cms.test_search import found_session, titles

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def tariffs(homes, practice_index, practices, journal, course_index):
    return make_tariff_world(homes, practice_index, practices, journal, course_index)


def test_documents_carry_a_weighted_simple_vector(tariffs):
    document = SearchDocument.objects.get(kind="course", page=tariffs["course"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT vector::text FROM site_search_searchdocument WHERE id = %s", [document.pk])
        vector = cursor.fetchone()[0]
    assert "'тарифтик':1A" in vector  # lower-cased, not stemmed, title weighted A
    assert "'суу':" in vector and "B" in vector


@pytest.mark.parametrize("word", ["тариф", "тарифтер", "тарифтердин", "ТАРИФТИК"])
def test_kyrgyz_forms_rank_the_course_first(client, tariffs, word):
    result = titles(client.get("/ky/search/", {"q": word}))
    assert result[0] == tariffs["course"].title
    for key in ("practice", "article", "news", "budget_text"):
        assert tariffs[key].title in result
    assert found_session(tariffs) in result
    # a title that says it outranks a text that mentions it
    assert result.index(tariffs["practice"].title) < result.index(tariffs["budget_text"].title)


@pytest.mark.parametrize("word", ["тарифы", "тарифов", "тарифная", "тарифам"])
def test_russian_forms_find_the_russian_pages(client, tariffs, word):
    result = titles(client.get("/ru/search/", {"q": word}))
    assert result[0] == tariffs["course_ru"].title
    assert tariffs["practice_ru"].title in result


def test_a_typo_is_forgiven_by_trigram_similarity_of_the_title(client, tariffs):
    result = titles(client.get("/ky/search/", {"q": "тарифтикк"}))
    assert tariffs["course"].title in result


def test_never_shows_drafts_private_pages_or_hidden_materials(client, tariffs):
    html = client.get("/ky/search/", {"q": "тариф"}).content.decode()
    for text in ("Долбоор: тариф", "Жабык тариф", "Жашыруун тариф", "Тариф долбоор сессия"):
        assert text not in html


def test_tsquery_syntax_in_the_query_is_only_words(client, tariffs):
    for query in ("тариф:* | !x", "тариф & (", "'тариф'", "тариф <-> суу", "\\тариф"):
        response = client.get("/ky/search/", {"q": query})
        assert response.status_code == 200
        assert tariffs["course"].title in titles(response)


def test_filters_and_facets(client, tariffs):
    assert titles(client.get("/ky/search/", {"q": "тариф", "year": "2023"})) == [tariffs["practice"].title]
    batken = titles(client.get("/ky/search/", {"q": "тариф", "region": "batken"}))
    assert sorted(batken) == sorted([tariffs["practice"].title, tariffs["article"].title, found_session(tariffs)])


def test_the_query_uses_the_gin_indexes(tariffs):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'site_search_searchdocument' ORDER BY indexname"
        )
        names = [row[0] for row in cursor.fetchall()]
    # One partial GIN index of the vector per language: a search reads only its own language's matches.
    assert {"searchdoc_vector_ky", "searchdoc_vector_ru", "searchdoc_vector_en", "searchdoc_title_trgm"} <= set(names)
    assert "searchdoc_vector" not in names


def test_one_statement_counts_and_ranks(tariffs):
    from cms.search import postgres

    boosts = {"course": 1.5}
    options = {"kind": None, "region_id": None, "year": None, "offset": 0, "limit": 10}
    ids, rows = postgres.run(["тариф"], ["тариф"], language="ky", boosts=boosts, restricted=[], **options)
    assert ids and sum(count for _kind, _year, count in rows) >= len(ids)
    assert tariffs["course"].pk in SearchDocument.objects.filter(pk=ids[0]).values_list("page_id", flat=True)
    # A restricted path leaves its documents out, counts included.
    course_path = tariffs["course"].path
    hidden, hidden_rows = postgres.run(
        ["тариф"], ["тариф"], language="ky", boosts=boosts, restricted=[course_path], **options
    )
    assert ids[0] not in hidden
    assert sum(count for _k, _y, count in hidden_rows) < sum(count for _k, _y, count in rows)


def test_bounded_queries(client, tariffs, django_assert_max_num_queries):
    client.get("/ky/search/", {"q": "тариф"})
    with django_assert_max_num_queries(8):
        client.get("/ky/search/", {"q": "тариф", "region": "batken", "year": "2023"})
    with django_assert_max_num_queries(6):  # the same search again: its ids and counts come from the cache
        client.get("/ky/search/", {"q": "тариф", "region": "batken", "year": "2023"})
