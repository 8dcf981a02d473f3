"""Anonymous practice and journal pages come from the cache until something they show changes."""

import pytest

from academy import caching
from cms.services import content_cache
from tests.page_queries import get_page

pytestmark = pytest.mark.django_db


def test_content_pages_answer_without_a_query_the_second_time(client, practice_index, practices, journal):
    for url in (
        practice_index.url,
        practice_index.url + "?region=batken",
        practices["kyshtut"].url,
        journal["index"].url,
        journal["old"].url,
        journal["article"].url,
    ):
        first, first_queries = get_page(client, url)
        again, queries = get_page(client, url)
        assert again == first and first_queries > 5
        assert queries == 0, url


def test_publishing_a_practice_shows_on_the_index_and_its_page_at_once(client, practice_index, practices):
    practice = practices["kyshtut"]
    get_page(client, practice_index.url)
    get_page(client, practice.url)
    practice.title = "Кыштут: таза суу ар бир үйгө"
    practice.save_revision().publish()
    assert "таза суу ар бир үйгө" in get_page(client, practice_index.url)[0]
    assert "таза суу ар бир үйгө" in get_page(client, practice.url)[0]


def test_a_saved_draft_changes_nothing_for_visitors(client, practices):
    practice = practices["kyshtut"]
    version = caching.version(content_cache.NAMESPACE)
    practice.title = "Долбоор"
    practice.save_revision()
    assert caching.version(content_cache.NAMESPACE) == version
    assert "Долбоор" not in get_page(client, practice.url)[0]


def test_unpublishing_or_deleting_drops_the_practice_from_the_cached_index(client, practice_index, practices):
    assert practices["bishkek"].title in get_page(client, practice_index.url)[0]
    practices["bishkek"].unpublish()
    assert practices["bishkek"].title not in get_page(client, practice_index.url)[0]
    assert practices["chet_nura"].title in get_page(client, practice_index.url)[0]
    practices["chet_nura"].delete()
    assert practices["chet_nura"].title not in get_page(client, practice_index.url)[0]


def test_renaming_a_topic_or_a_municipality_shows_at_once(client, practice_index, practices, topics):
    get_page(client, practice_index.url)
    topics["water"].name_ky = "Таза суу"
    topics["water"].save()
    assert "Таза суу" in get_page(client, practice_index.url)[0]
    municipality = practices["kyshtut"].municipality
    municipality.name_ky = "Кыштут айылдык аймагы"
    municipality.save()
    assert "Кыштут айылдык аймагы" in get_page(client, practices["kyshtut"].url)[0]


def test_a_new_article_shows_on_the_practice_it_tells_of(client, journal, practices):
    from cms.models import ArticlePage, ArticlePracticeLink
    from cms.services.site import ensure_child

    assert "Жаңы макала" not in get_page(client, practices["kyshtut"].url)[0]
    ensure_child(
        journal["new"],
        ArticlePage,
        "new",
        title="Жаңы макала",
        practice_links=[ArticlePracticeLink(practice=practices["kyshtut"])],
    )
    assert "Жаңы макала" in get_page(client, practices["kyshtut"].url)[0]


def test_signed_in_editors_never_get_or_fill_the_shared_copy(client, practices, admin_user):
    url = practices["kyshtut"].url
    client.force_login(admin_user)
    get_page(client, url)
    assert get_page(client, url)[1] > 0  # rendered for them every time (their admin bar is their own)
    client.logout()
    get_page(client, url)
    assert get_page(client, url)[1] == 0


def test_unrelated_changes_keep_the_cache(client, practices):
    from tests import factories

    version = caching.version(content_cache.NAMESPACE)
    get_page(client, practices["kyshtut"].url)
    factories.participant()
    assert caching.version(content_cache.NAMESPACE) == version
