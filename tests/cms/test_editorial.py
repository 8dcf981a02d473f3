"""What editors rely on beyond the page types: sitemap and robots.txt, scheduled publishing, redirects when a
page moves, previews, and gallery photos that open larger."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect

from cms.services.site import translate_page
from cms.tasks import publish_scheduled_pages
from tests import factories
from tests.cms.conftest import make_photo, make_practice


def test_the_sitemap_lists_live_public_pages_of_every_language(client, practice_index, practices):
    russian = translate_page(practices["kyshtut"], "ru", title="Вода в Кыштуте")
    draft = make_practice(practice_index, "draft-practice")
    draft.unpublish()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    assert any(url.endswith(practices["kyshtut"].url) for url in locations)
    assert any(url.endswith(russian.url) and "/ru/" in url for url in locations)
    assert any("/en/" in url for url in locations)  # the English home page
    assert not any("draft-practice" in url for url in locations)


def test_a_private_page_stays_out_of_the_sitemap(client, practices):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=practices["bishkek"], restriction_type="login")
    locations = client.get("/sitemap.xml").content.decode()
    assert "bishkek-budget" not in locations
    assert "kyshtut-water" in locations


def test_robots_txt_points_crawlers_at_the_sitemap_and_away_from_private_pages(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /*/my/" in text
    assert client.post("/robots.txt").status_code == 405


def test_a_scheduled_revision_goes_live_when_beat_runs_the_task_and_running_it_twice_changes_nothing(
    client, practice_index
):
    page = make_practice(practice_index, "scheduled")
    page.unpublish()
    page.refresh_from_db()
    page.title = "Жаңы тажрыйба"
    revision = page.save_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.save()
    assert client.get("/ky/practices/scheduled/").status_code == 404

    publish_scheduled_pages.delay()
    page.refresh_from_db()
    assert page.live and page.title == "Жаңы тажрыйба"
    published_at = page.last_published_at

    publish_scheduled_pages()
    page.refresh_from_db()
    assert page.last_published_at == published_at
    assert client.get(page.url).status_code == 200


def test_a_future_go_live_waits(practice_index):
    page = make_practice(practice_index, "later")
    page.unpublish()
    revision = page.save_revision()
    revision.approved_go_live_at = timezone.now() + timedelta(days=1)
    revision.save()
    publish_scheduled_pages()
    page.refresh_from_db()
    assert not page.live


def test_the_beat_schedule_runs_scheduled_publishing(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["publish-scheduled-pages"]
    assert entry["task"] == "cms.tasks.publish_scheduled_pages" and entry["schedule"] <= 300


def test_a_page_whose_address_changes_leaves_a_redirect(client, practices, django_capture_on_commit_callbacks):
    page = practices["kyshtut"]
    old_url = page.url
    page.slug = "kyshtut-drinking-water"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail announces the new slug after commit
        page.save_revision().publish()
    assert Redirect.objects.filter(old_path=Redirect.normalise_path(old_url)).exists()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"].endswith("/ky/practices/kyshtut-drinking-water/")


def test_an_editor_previews_a_draft_and_a_participant_cannot(client, practices):
    page = practices["kyshtut"]
    page.title = "Кыштуттагы суу: жаңы жыйынтыктар"
    page.save_revision()  # a draft: the public page keeps the published title
    url = f"/admin/pages/{page.pk}/view_draft/"
    client.force_login(factories.participant())
    assert client.get(url).status_code in (302, 403)
    client.force_login(factories.academy_admin())
    response = client.get(url)
    assert response.status_code == 200
    assert "Кыштуттагы суу: жаңы жыйынтыктар" in response.content.decode()
    client.logout()
    assert "Кыштуттагы суу: жаңы жыйынтыктар" not in client.get(page.url).content.decode()


@pytest.fixture
def practice_with_gallery(practice_index):
    photos = [make_photo(key) for key in ("village", "water")]
    return make_practice(
        practice_index,
        "gallery",
        photos=[
            {"type": "photo", "value": {"image": photos[0].pk, "caption": "Жаңы түтүк"}},
            {"type": "photo", "value": {"image": photos[1].pk, "caption": ""}},
        ],
    )


def test_each_gallery_thumbnail_opens_a_larger_webp_copy(client, practice_with_gallery):
    html = client.get(practice_with_gallery.url).content.decode()
    gallery = html[html.index('<ul class="gallery">') :]
    links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)">', gallery)
    assert len(links) == 2
    assert all("max-1200x1200" in href and href.endswith(".webp") for href, _label in links)
    assert links[0][1] == "Чоңураак сүрөт: Жаңы түтүк" and links[1][1] == "Чоңураак сүрөт"
    english = client.get(translate_page(practice_with_gallery, "en", title="Gallery").url).content.decode()
    assert 'aria-label="Larger photo: Жаңы түтүк"' in english
