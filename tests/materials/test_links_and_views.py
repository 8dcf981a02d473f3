"""The /q/<code> links, the protected files, the session pack page and the handouts."""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from courses.models import Material, ShortLink
from courses.services import materials as service
from courses.services import shortlinks

from .conftest import file_content, make_material, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db

PASSWORD = "pass-Word-123"


def q(material):
    return f"/q/{material.short_link.code}"


def test_a_public_document_opens_from_its_link(client, session, trainer):
    material = make_material(trainer, session, upload=upload("plan.pdf", pdf_bytes("Биринчи")))
    response = client.get(q(material), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0] == material.document.url
    assert file_content(response).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"


def test_every_material_gets_a_short_unambiguous_code(session, trainer):
    codes = {make_material(trainer, session).short_link.code for _index in range(5)}
    assert len(codes) == 5
    for code in codes:
        assert len(code) == shortlinks.CODE_LENGTH
        assert not set(code) & set("0o1lIO")
        assert set(code) <= set(shortlinks.ALPHABET)


def test_a_collision_is_retried(session, trainer, monkeypatch):
    first = make_material(trainer, session)
    codes = iter([first.short_link.code, first.short_link.code, "zzzzzzz"])
    monkeypatch.setattr(shortlinks, "generate_code", lambda length=7: next(codes))
    second = make_material(trainer, session)
    assert second.short_link.code == "zzzzzzz"


def test_link_creation_is_idempotent(session, trainer):
    material = make_material(trainer, session)
    assert shortlinks.ensure_material_link(material) == material.short_link
    pack = shortlinks.ensure_session_pack_link(session)
    assert shortlinks.ensure_session_pack_link(session) == pack
    assert ShortLink.objects.count() == 2


def test_scans_are_counted_without_personal_data(client, session, trainer, clock):
    material = make_material(trainer, session)
    client.get(q(material))
    client.get(f"/q/{material.short_link.code.upper()}")  # a code typed in capitals works too
    client.head(q(material))  # link previews do not count
    link = ShortLink.objects.get(pk=material.short_link.pk)
    assert link.scan_count == 2
    assert link.last_scanned_at is not None
    # Only counters: the model has no field that could hold who scanned.
    assert {field.name for field in ShortLink._meta.concrete_fields} == {
        "id", "code", "material", "session", "is_active", "scan_count", "last_scanned_at", "created_at"
    }


def test_the_counter_uses_f_expressions(session, trainer):
    material = make_material(trainer, session)
    stale = ShortLink.objects.get(pk=material.short_link.pk)
    shortlinks.record_scan(stale)
    shortlinks.record_scan(stale)  # the stale in-memory count does not matter
    assert ShortLink.objects.get(pk=stale.pk).scan_count == 2


def test_the_link_survives_a_new_version_of_the_document(client, session, trainer):
    material = make_material(trainer, session, upload=upload("plan.pdf", pdf_bytes("Биринчи версия")))
    code = material.short_link.code
    document_id = material.document_id
    old_path = material.document.file.path
    service.replace_file(trainer, material, upload("plan-v2.pdf", pdf_bytes("Экинчи версия, жаңыланган")))
    material.refresh_from_db()
    assert material.short_link.code == code
    assert material.document_id == document_id  # the same document, a new file
    response = client.get(f"/q/{code}", follow=True)
    assert file_content(response) == Path(material.document.file.path).read_bytes()
    assert material.document.file.path != old_path


def test_a_disabled_link_shows_a_friendly_page_in_the_links_language(client, session, trainer):
    material = make_material(trainer, session)
    shortlinks.set_active(trainer, material.short_link, False)
    response = client.get(q(material) + "?lang=ru", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 410
    assert response.headers["Content-Language"] == "ru"
    assert b"<h1>" in response.content
    # A code printed without a language answers in Kyrgyz, not in the phone's language.
    assert client.get(q(material), HTTP_ACCEPT_LANGUAGE="ru").headers["Content-Language"] == "ky"
    assert ShortLink.objects.get(pk=material.short_link.pk).scan_count == 0


def test_only_managers_may_disable_a_link(session, trainer, other_trainer, participant):
    from academy.errors import PermissionDeniedError

    material = make_material(trainer, session)
    for outsider in (other_trainer, participant):
        with pytest.raises(PermissionDeniedError):
            shortlinks.set_active(outsider, material.short_link, False)
    assert ShortLink.objects.get(pk=material.short_link.pk).is_active


def test_unknown_codes_are_not_found(client):
    # (LocaleMiddleware first tries the language-prefixed path, which is not found either.)
    for url in ("/q/zzzzzzz", "/q/zzzzzzz.svg", "/q/zzzzzzz.png", "/q/bad!code"):
        assert client.get(url, follow=True).status_code == 404, url


def test_anonymous_scan_of_a_restricted_material_leads_to_login_then_to_the_material(client, session, confirmed):
    material = make_material(session.trainers.get(), session, visibility="participants")
    response = client.get(q(material))
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == reverse("account_login")
    assert parse_qs(target.query)["next"] == [q(material)]
    assert ShortLink.objects.get(pk=material.short_link.pk).scan_count == 0

    response = client.post(
        response["Location"], {"username": confirmed.email, "password": PASSWORD, "next": q(material)}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[0][0] == q(material)
    assert file_content(response).startswith(b"%PDF-")
    assert ShortLink.objects.get(pk=material.short_link.pk).scan_count == 1


def test_a_signed_in_person_without_access_gets_a_clear_403(client, session, trainer, participant):
    material = make_material(trainer, session, visibility="participants")
    client.force_login(participant)
    response = client.get(q(material))
    assert response.status_code == 403
    assert b"<h1>" in response.content


def test_restricted_documents_cannot_be_fetched_by_their_wagtail_url(
    client, session, trainer, confirmed, other_participant, admin_user
):
    material = make_material(trainer, session, visibility="participants")
    url = material.document.url
    assert url.startswith("/documents/")
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert reverse("account_login") in client.get(url)["Location"]
    client.force_login(other_participant)
    assert client.get(url).status_code == 403
    for allowed in (confirmed, trainer, admin_user):
        client.force_login(allowed)
        response = client.get(url)
        assert response.status_code == 200, allowed
        assert file_content(response).startswith(b"%PDF-")


def test_trainers_only_documents(client, session, trainer, confirmed, other_trainer):
    material = make_material(trainer, session, visibility="trainers")
    client.force_login(confirmed)
    assert client.get(material.document.url).status_code == 403
    assert client.get(q(material)).status_code == 403
    client.force_login(other_trainer)
    assert client.get(material.document.url).status_code == 403
    client.force_login(trainer)
    assert client.get(material.document.url).status_code == 200


def test_a_document_of_a_deleted_restricted_material_stays_private(client, session, trainer, admin_user):
    material = make_material(trainer, session, visibility="participants")
    url = material.document.url
    service.delete_material(trainer, material)
    assert client.get(url).status_code == 302
    client.force_login(trainer)
    assert client.get(url).status_code == 403
    client.force_login(admin_user)
    assert client.get(url).status_code == 200


def test_documents_outside_materials_follow_wagtails_rules(client, db):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    document = Document(title="Public report")
    document.file.save("report.pdf", ContentFile(pdf_bytes()), save=False)
    document.save()
    assert client.get(document.url).status_code == 200


def test_a_document_shared_by_a_public_material_is_public(client, session, trainer):
    restricted = make_material(trainer, session, visibility="trainers")
    make_material(trainer, session, visibility="public", document=restricted.document)
    assert client.get(restricted.document.url).status_code == 200


def test_image_materials_are_served_through_the_permission_check(client, session, trainer, confirmed):
    public = make_material(trainer, session, kind="image", upload=upload("photo.png", png_bytes()))
    private = make_material(trainer, session, kind="image", visibility="participants")
    response = client.get(q(public), follow=True)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"]
    assert file_content(response) == png_bytes()
    image_url = reverse("material_image", kwargs={"pk": private.pk})
    assert client.get(image_url).status_code == 302
    client.force_login(confirmed)
    response = client.get(image_url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    # The stored file name cannot be guessed from the upload name.
    assert "photo" in private.image.file.name and private.image.file.name != "original_images/photo.png"
    assert client.get(image_url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_external_links_redirect(client, session, trainer):
    material = make_material(trainer, session, kind="link", url="https://www.youtube.com/watch?v=xyz")
    response = client.get(q(material))
    assert response.status_code == 302
    assert response["Location"] == "https://www.youtube.com/watch?v=xyz"


def test_qr_images_are_cacheable(client, session, trainer):
    material = make_material(trainer, session)
    svg = client.get(f"{q(material)}.svg")
    png = client.get(f"{q(material)}.png?size=4")
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<svg")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    for response in (svg, png):
        assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    assert client.get(f"{q(material)}.png?size=huge").status_code == 200


def test_the_pack_link_opens_the_list_the_visitor_may_see(client, session, materials_of, confirmed):
    materials_of(session)
    pack = shortlinks.ensure_session_pack_link(session)
    response = client.get(f"/q/{pack.code}", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("session_materials", kwargs={"session_id": session.pk})
    page = response.content.decode()
    assert "public doc" in page and "participants doc" not in page and "trainers doc" not in page
    assert reverse("account_login") in page  # an invitation to log in for the rest
    assert ShortLink.objects.get(pk=pack.pk).scan_count == 1
    client.force_login(confirmed)
    page = client.get(reverse("session_materials", kwargs={"session_id": session.pk})).content.decode()
    assert "participants doc" in page and "trainers doc" not in page


def test_pack_of_a_draft_session_is_hidden(client, session, trainer, participant):
    session.status = "draft"
    session.save()
    pack = shortlinks.ensure_session_pack_link(session)
    assert client.get(f"/q/{pack.code}").status_code == 302  # log in first
    client.force_login(participant)
    assert client.get(f"/q/{pack.code}", follow=True).status_code == 404
    assert client.get(reverse("session_materials", kwargs={"session_id": session.pk})).status_code == 404
    client.force_login(trainer)
    assert client.get(f"/q/{pack.code}", follow=True).status_code == 200


def test_pack_page_queries_are_bounded(client, session, trainer, confirmed, django_assert_max_num_queries):
    for index in range(30):
        make_material(trainer, session, kind="link", title=f"Шилтеме {index}", visibility="participants")
    client.force_login(confirmed)
    url = reverse("session_materials", kwargs={"session_id": session.pk})
    client.get(url)
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert response.content.decode().count("Шилтеме ") == 30


def test_handout_is_for_the_sessions_trainers_and_admins(client, session, trainer, other_trainer, confirmed, admin_user):
    make_material(trainer, session, title="Көрсөтмө")
    make_material(trainer, session, title="Trainer notes", visibility="trainers")
    html_url = reverse("session_handout", kwargs={"session_id": session.pk})
    pdf_url = reverse("session_handout_pdf", kwargs={"session_id": session.pk})
    assert client.get(html_url).status_code == 302
    assert client.get(pdf_url).status_code == 302
    for outsider in (confirmed, other_trainer):
        client.force_login(outsider)
        assert client.get(html_url).status_code == 403
        assert client.get(pdf_url).status_code == 403
    for allowed in (trainer, admin_user):
        client.force_login(allowed)
        page = client.get(html_url)
        assert page.status_code == 200
        text = page.content.decode()
        assert "Тренингдин материалдары" in text and "Материалы тренинга" in text
        assert "Көрсөтмө" in text and "Trainer notes" not in text
        assert "handout.css" in text
        pdf = client.get(pdf_url)
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")


def test_handout_of_an_unknown_session(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("session_handout", kwargs={"session_id": 999999})).status_code == 404


def test_the_session_page_section_lists_visible_materials(rf, session, trainer, confirmed, django_assert_max_num_queries):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    make_material(trainer, session, title="Баарына")
    make_material(trainer, session, title="Катышуучуларга", visibility="participants")
    request = rf.get("/ky/sessions/1/")
    request.user = AnonymousUser()
    html = render_to_string("courses/materials/session_materials.html", {"session": session}, request=request)
    assert "Баарына" in html and "Катышуучуларга" not in html
    request.user = confirmed
    with django_assert_max_num_queries(6):
        html = render_to_string("courses/materials/session_materials.html", {"session": session}, request=request)
    assert "Катышуучуларга" in html
    assert Material.objects.count() == 2


# --- Caching: the code → target lookup and the QR images ------------------------------------------------------


def _queries(run):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = run()
    return response, [query["sql"] for query in context.captured_queries]


def test_the_lookup_is_cached_and_scans_still_counted(client, session, trainer):
    material = make_material(trainer, session, kind="link", url="https://example.org/plan")
    first, cold = _queries(lambda: client.get(q(material)))
    second, warm = _queries(lambda: client.get(q(material)))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == "https://example.org/plan"
    assert len(warm) < len(cold)
    assert [sql.split()[0] for sql in warm] == ["UPDATE"]  # only the scan counter
    assert ShortLink.objects.get(pk=material.short_link.pk).scan_count == 2


def test_a_withdrawn_link_stops_redirecting_at_once(client, session, trainer):
    material = make_material(trainer, session, kind="link", url="https://example.org/plan")
    assert client.get(q(material)).status_code == 302  # cached
    shortlinks.set_active(trainer, material.short_link, False)
    assert client.get(q(material)).status_code == 410
    service.save_material(trainer, material, link_active=True)
    assert client.get(q(material)).status_code == 302


def test_a_material_change_is_seen_at_once(client, session, trainer):
    material = make_material(trainer, session, kind="link", url="https://example.org/plan")
    assert client.get(q(material))["Location"] == "https://example.org/plan"
    material.url = "https://example.org/plan-v2"
    service.save_material(trainer, material)
    assert client.get(q(material))["Location"] == "https://example.org/plan-v2"
    material.visibility = "participants"
    service.save_material(trainer, material)
    assert client.get(q(material))["Location"].startswith(reverse("account_login"))


def test_a_deleted_material_is_gone_at_once(client, session, trainer):
    material = make_material(trainer, session, kind="link", url="https://example.org/plan")
    url = q(material)
    assert client.get(url).status_code == 302
    service.delete_material(trainer, material)
    assert client.get(url, follow=True).status_code == 404


def test_a_new_document_version_is_served_at_once(client, session, trainer):
    material = make_material(trainer, session, upload=upload("plan.pdf", pdf_bytes("Биринчи")))
    assert client.get(q(material), follow=True).status_code == 200  # cached
    service.replace_file(trainer, material, upload("plan-v2.pdf", pdf_bytes("Экинчи версия")))
    material.refresh_from_db()
    response = client.get(q(material))
    assert response["Location"] == material.document.url


def test_a_session_back_in_draft_hides_its_pack_at_once(client, session, trainer):
    pack = shortlinks.ensure_session_pack_link(session)
    assert client.get(f"/q/{pack.code}").status_code == 302
    session.status = "draft"
    session.save()
    assert client.get(f"/q/{pack.code}")["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("suffix", [".svg", ".png", ".png?size=4"])
def test_qr_images_are_cached(client, session, trainer, suffix):
    material = make_material(trainer, session, kind="link", url="https://example.org/plan")
    url = q(material) + suffix
    first, cold = _queries(lambda: client.get(url))
    second, warm = _queries(lambda: client.get(url))
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and first["Content-Type"] == second["Content-Type"]
    assert len(cold) >= 1 and warm == []
    shortlinks.set_active(trainer, material.short_link, True)  # a change of the link keeps the same image
    assert client.get(url).content == first.content
