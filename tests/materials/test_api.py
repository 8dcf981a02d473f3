"""GET /api/v1/courses/{id}/materials/, /api/v1/sessions/{id}/materials/ and the scan figures."""

import pytest

from courses.models import Material, ShortLink
from courses.services import shortlinks

from .conftest import make_material

pytestmark = pytest.mark.django_db


def assert_not_found(client, url):
    """404; LocaleMiddleware may first redirect an unprefixed path that was not found to its /ky/ twin."""
    response = client.get(url)
    if response.status_code == 302:
        assert response["Location"].startswith("/ky/")
        response = client.get(response["Location"])
    assert response.status_code == 404, url
    return response


def titles(response):
    return {item["title"] for item in response.json()["results"]}


def test_session_materials_by_requester(api_client, session, materials_of, confirmed, trainer, admin_user, other_trainer):
    materials_of(session)
    url = f"/api/v1/sessions/{session.pk}/materials/"
    assert titles(api_client.get(url)) == {"public doc"}
    api_client.force_authenticate(other_trainer)
    assert titles(api_client.get(url)) == {"public doc"}
    api_client.force_authenticate(confirmed)
    assert titles(api_client.get(url)) == {"public doc", "participants doc"}
    for user in (trainer, admin_user):
        api_client.force_authenticate(user)
        assert titles(api_client.get(url)) == {"public doc", "participants doc", "trainers doc"}


def test_session_material_fields_are_absolute(api_client, session, trainer):
    material = make_material(trainer, session, title="Тарифтер", language="ru", description="Слайды")
    item = api_client.get(f"/api/v1/sessions/{session.pk}/materials/").json()["results"][0]
    code = material.short_link.code
    assert item["id"] == material.pk
    assert item["short_code"] == code
    assert item["short_url"] == f"http://testserver/q/{code}?lang=ru"  # the material's language
    assert item["qr_svg_url"] == f"http://testserver/q/{code}.svg?lang=ru"
    assert item["qr_png_url"] == f"http://testserver/q/{code}.png?lang=ru"
    assert item["open_url"] == f"http://testserver{material.document.url}"
    assert item["file_type"] == "pdf"
    assert (item["language"], item["kind"], item["visibility"], item["scope"]) == ("ru", "document", "public", "session")
    assert item["session"] == session.pk and item["course"] == session.course_id
    assert api_client.get(item["qr_png_url"].removeprefix("http://testserver")).status_code == 200


def test_course_materials(api_client, course, session, admin_user, confirmed):
    make_material(admin_user, course=course, title="Курс боюнча", visibility="public")
    make_material(admin_user, course=course, title="Курс катышуучулары", visibility="participants")
    make_material(admin_user, session, title="Сессияныкы")
    url = f"/api/v1/courses/{course.pk}/materials/"
    assert titles(api_client.get(url)) == {"Курс боюнча"}
    api_client.force_authenticate(confirmed)
    result = api_client.get(url).json()["results"]
    assert {item["title"] for item in result} == {"Курс боюнча", "Курс катышуучулары"}
    assert {item["scope"] for item in result} == {"course"}


def test_unknown_or_draft_targets_are_404(api_client, session, trainer):
    assert_not_found(api_client, "/api/v1/sessions/999999/materials/")
    assert_not_found(api_client, "/api/v1/courses/999999/materials/")
    session.status = "draft"
    session.save()
    assert_not_found(api_client, f"/api/v1/sessions/{session.pk}/materials/")
    api_client.force_authenticate(trainer)
    assert api_client.get(f"/api/v1/sessions/{session.pk}/materials/").status_code == 200


def test_lists_run_a_bounded_number_of_queries(api_client, session, trainer, confirmed, django_assert_max_num_queries):
    # 10x a page of 20; short links are created lazily for materials made outside the service.
    Material.objects.bulk_create(
        Material(session=session, course=session.course, title=f"Шилтеме {index}", kind="link",
                 url=f"https://example.org/{index}", visibility="participants" if index % 2 else "public")
        for index in range(200)
    )
    api_client.force_authenticate(confirmed)
    url = f"/api/v1/sessions/{session.pk}/materials/"
    with django_assert_max_num_queries(10):  # first call: creates the 20 missing links of the page in bulk
        first = api_client.get(url)
    assert first.json()["count"] == 200 and len(first.json()["results"]) == 20
    with django_assert_max_num_queries(8):
        response = api_client.get(url + "?page=3")
    assert len(response.json()["results"]) == 20
    with django_assert_max_num_queries(8):
        api_client.get(url)
    assert ShortLink.objects.count() == 40


def test_stats_for_the_trainers_and_admins(api_client, session, trainer, admin_user):
    material = make_material(trainer, session, title="Саналуучу")
    pack = shortlinks.ensure_session_pack_link(session)
    shortlinks.record_scan(material.short_link)
    shortlinks.record_scan(material.short_link)
    shortlinks.record_scan(pack)
    for user in (trainer, admin_user):
        api_client.force_authenticate(user)
        data = api_client.get(f"/api/v1/materials/stats/?session={session.pk}").json()
        assert data["session"] == session.pk
        assert data["pack"]["scan_count"] == 1 and data["pack"]["code"] == pack.code
        assert data["materials"][0]["scan_count"] == 2 and data["materials"][0]["last_scanned_at"]
        assert data["total_scans"] == 3
        one = api_client.get(f"/api/v1/materials/stats/?material={material.pk}").json()
        assert one["scan_count"] == 2 and one["id"] == material.pk
        assert api_client.get(f"/api/v1/materials/{material.pk}/stats/").json()["scan_count"] == 2


def test_stats_are_denied_to_others(api_client, session, trainer, other_trainer, confirmed):
    material = make_material(trainer, session)
    urls = [
        f"/api/v1/materials/stats/?session={session.pk}",
        f"/api/v1/materials/stats/?material={material.pk}",
        f"/api/v1/materials/{material.pk}/stats/",
    ]
    for url in urls:
        assert api_client.get(url).status_code in (401, 403)
    for user in (other_trainer, confirmed):
        api_client.force_authenticate(user)
        for url in urls:
            response = api_client.get(url)
            assert response.status_code == 403, url
            assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [("", 400, "session"), ("?session=abc", 400, "session"), ("?session=-3", 400, "session"),
     ("?material=x", 400, "material"), ("?session=999999", 404, None), ("?material=999999", 404, None)],
)
def test_stats_bad_input(api_client, admin_user, query, status, field):
    api_client.force_authenticate(admin_user)
    if status == 404:
        assert_not_found(api_client, f"/api/v1/materials/stats/{query}")
        return
    response = api_client.get(f"/api/v1/materials/stats/{query}")
    assert response.status_code == status
    body = response.json()
    assert body["detail"]
    assert field in body["errors"]


def test_the_schema_documents_the_endpoints(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/courses/{course_id}/materials/",
        "/api/v1/sessions/{session_id}/materials/",
        "/api/v1/materials/stats/",
        "/api/v1/materials/{material_id}/stats/",
    ):
        assert path in schema["paths"]
