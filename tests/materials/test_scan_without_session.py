"""`/q/<code>` scanned without a session (issue #17): answered by courses.middleware from one cached entry,
before the sessions, CSRF, messages and page middleware; the same answers, language rules and counts as the
view, and the whole chain for everything else."""

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.urls import reverse

from courses.models import ShortLink
from courses.services import materials as service
from courses.services import shortlinks

from .conftest import make_material

pytestmark = pytest.mark.django_db


def q(link):
    return f"/q/{link.code}"


def answered_early(response):
    """The fast path ran: no middleware below it attached a session or a user to the request."""
    request = response.wsgi_request
    return not hasattr(request, "session") and not hasattr(request, "user")


def counted(link):
    return ShortLink.objects.get(pk=link.pk).scan_count


@pytest.fixture
def link_material(session, trainer):
    return make_material(trainer, session, kind="link", url="https://example.org/plan")


def test_a_cached_scan_of_a_public_material_is_a_redirect_from_the_cache(client, link_material):
    link = link_material.short_link
    first = client.get(q(link), HTTP_ACCEPT_LANGUAGE="ru")  # fills the cache through the view
    assert first.status_code == 302 and not answered_early(first)
    response = client.get(q(link) + "/", HTTP_ACCEPT_LANGUAGE="ru")
    assert answered_early(response)
    assert response.status_code == 302 and response["Location"] == "https://example.org/plan"
    assert response["Content-Language"] == "ky"  # the link's language rules, not the phone's
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware still runs above it
    assert response["X-Frame-Options"] == "DENY"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert counted(link) == 2


def test_a_cached_scan_is_one_query_at_most_the_scan_counter(client, link_material, django_assert_num_queries):
    link = link_material.short_link
    client.get(q(link))
    with django_assert_num_queries(1):  # the UPDATE of the counter (0 with the Redis buffer: test_scan_counts)
        response = client.get(q(link))
    assert answered_early(response) and response.status_code == 302


def test_a_participants_material_sends_to_sign_in_in_the_links_language_without_counting(
    client, session, trainer, link_material
):
    material = make_material(trainer, session, kind="link", url="https://example.org/x", visibility="participants")
    link = material.short_link
    client.get(q(link))
    response = client.get(q(link) + "?lang=ru", HTTP_ACCEPT_LANGUAGE="en")
    assert answered_early(response)
    assert response.status_code == 302
    assert response["Location"].startswith("/ru/accounts/login/") and "lang%3Dru" in response["Location"]
    assert response["Content-Language"] == "ru"
    assert counted(link) == 0


def test_a_pack_link_leads_to_the_sessions_materials_and_a_draft_pack_to_sign_in(client, session):
    pack = shortlinks.ensure_session_pack_link(session)
    client.get(q(pack))
    response = client.get(q(pack) + "?lang=en")
    assert answered_early(response)
    assert response["Location"] == reverse("session_materials", kwargs={"session_id": session.pk}).replace(
        "/ky/", "/en/", 1
    )
    assert counted(pack) == 2
    session.status = "draft"
    session.save()
    client.get(q(pack))  # the cache was dropped with the change: the view answers and fills it again
    response = client.get(q(pack))
    assert answered_early(response)
    assert response["Location"].startswith(reverse("account_login"))
    assert counted(pack) == 2


def test_with_a_session_cookie_the_request_goes_through_the_whole_chain(client, link_material, participant):
    link = link_material.short_link
    client.get(q(link))
    client.force_login(participant)
    response = client.get(q(link))
    assert response.status_code == 302 and not answered_early(response)
    assert response.wsgi_request.user == participant


def test_what_is_not_a_redirect_is_rendered_by_the_view(client, trainer, link_material):
    link = link_material.short_link
    client.get(q(link))
    shortlinks.set_active(trainer, link, False)
    client.get(q(link))
    response = client.get(q(link) + "?lang=ru")
    assert response.status_code == 410 and not answered_early(response)
    assert '<html lang="ru">' in response.content.decode()
    assert "nonce-" in response["Content-Security-Policy"]  # the page went through the page CSP middleware
    unknown = client.get("/q/zzzzzzz")
    assert unknown.status_code == 404 and not answered_early(unknown)
    head = client.head(q(link))
    assert not answered_early(head)


def test_a_change_of_the_link_or_its_target_drops_the_cached_route(client, trainer, link_material):
    link = link_material.short_link
    client.get(q(link))
    assert shortlinks.cached_route(link.code).target == "https://example.org/plan"
    link_material.visibility = "participants"
    service.save_material(trainer, link_material)
    assert shortlinks.cached_route(link.code) is None
    assert client.get(q(link))["Location"].startswith(reverse("account_login"))
    assert shortlinks.cached_route(link.code).public is False


def test_an_entry_of_another_shape_reads_as_a_miss(client, link_material):
    link = link_material.short_link
    cache.set(shortlinks._route_key(link.code), (link.pk, True))  # e.g. written by an older release
    assert shortlinks.cached_route(link.code) is None
    response = client.get(q(link))
    assert response.status_code == 302 and not answered_early(response)
    assert shortlinks.cached_route(link.code) is not None


def test_an_address_outside_allowed_hosts_is_refused(client, link_material):
    link = link_material.short_link
    client.get(q(link))
    assert client.get(q(link), HTTP_HOST="evil.example.com").status_code == 400


def test_a_database_outage_while_counting_answers_a_clean_503(client, link_material, monkeypatch):
    link = link_material.short_link
    client.get(q(link))

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    client.raise_request_exception = False
    response = client.get(q(link))
    assert response.status_code == 503 and response["Retry-After"]
    assert b"Traceback" not in response.content
