"""The Wagtail admin screens: trainers manage only their materials; uploads are checked; packs and handouts."""

import pytest
from django.urls import reverse

from courses.models import Material, ShortLink
from tests import factories

from .conftest import final_status, make_material, ooxml_bytes, pdf_bytes, png_bytes, upload, uploaded_file


def handout_path(session):
    """The handout opens in the language the session is given in (courses.admin.materials.handout_urls)."""
    from django.utils import translation

    with translation.override(session.language):
        return reverse("session_handout", kwargs={"session_id": session.pk})

pytestmark = pytest.mark.django_db

INDEX = "course_materials:index"


def form_data(target_session, **overrides):
    data = {
        "session": target_session.pk,
        "course": "",
        "title": "Жаңы материал",
        "description": "Сүрөттөмө",
        "language": "ky",
        "visibility": "public",
        "kind": "document",
        "url": "",
        "sort_order": 0,
        "link_active": "on",
    }
    data.update(overrides)
    return data


def test_trainers_see_only_their_materials(client, session, other_session, trainer, other_trainer, admin_user, course):
    make_material(trainer, session, title="Менин материалым")
    make_material(other_trainer, other_session, title="Башка тренердики")
    client.force_login(trainer)
    page = client.get(reverse(INDEX)).content.decode()
    assert "Менин материалым" in page and "Башка тренердики" not in page
    assert handout_path(session) in page  # the "Print handout" link, in the session's language
    client.force_login(admin_user)
    page = client.get(reverse(INDEX)).content.decode()
    assert "Менин материалым" in page and "Башка тренердики" in page


def test_the_index_runs_bounded_queries(client, session, trainer, django_assert_max_num_queries):
    for index in range(40):
        make_material(trainer, session, kind="link", title=f"Шилтеме {index}")
    client.force_login(trainer)
    client.get(reverse(INDEX))
    with django_assert_max_num_queries(40):
        response = client.get(reverse(INDEX))
    assert response.status_code == 200


def test_participants_have_no_access(client, participant, session, trainer):
    material = make_material(trainer, session)
    client.force_login(participant)
    assert client.get(reverse(INDEX)).status_code in (302, 403)
    assert client.get(reverse("course_materials:edit", args=[material.pk])).status_code in (302, 403)
    assert client.get(reverse("material_packs")).status_code in (302, 403)


def test_a_trainer_cannot_open_or_delete_another_trainers_material(client, other_session, other_trainer, trainer, session):
    theirs = make_material(other_trainer, other_session)
    client.force_login(trainer)
    assert final_status(client, reverse("course_materials:edit", args=[theirs.pk])) in (403, 404)
    assert final_status(client, reverse("course_materials:delete", args=[theirs.pk]), "post") in (403, 404)
    assert Material.objects.filter(pk=theirs.pk).exists()


def test_a_trainer_adds_a_material_by_uploading_a_file(client, session, trainer):
    client.force_login(trainer)
    response = client.post(
        reverse("course_materials:add"),
        form_data(session, upload=uploaded_file("Колдонмо.pdf", pdf_bytes(), "application/pdf")),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    material = Material.objects.get()
    assert material.session == session and material.course_id == session.course_id
    assert material.document.file.read().startswith(b"%PDF-")
    assert material.document.collection.name == "Training materials"
    assert ShortLink.objects.get(material=material).is_active
    edit = client.get(reverse("course_materials:edit", args=[material.pk])).content.decode()
    assert f"/q/{material.short_link.code}.svg" in edit  # the QR preview


def test_uploads_with_the_wrong_content_are_refused_and_nothing_is_saved(client, session, trainer):
    from wagtail.documents.models import Document

    client.force_login(trainer)
    for name, content in [("fake.pdf", b"not a pdf at all"), ("sheet.docx", ooxml_bytes("xlsx"))]:
        response = client.post(reverse("course_materials:add"), form_data(session, upload=uploaded_file(name, content)))
        assert response.status_code == 200
        assert "upload" in response.context["form"].errors
    image = client.post(
        reverse("course_materials:add"),
        form_data(session, kind="image", upload=uploaded_file("photo.png", b"\x89PNG broken")),
    )
    assert "upload" in image.context["form"].errors
    assert Material.objects.count() == 0 and Document.objects.count() == 0


def test_a_trainer_cannot_attach_to_someone_elses_session(client, session, other_session, trainer):
    client.force_login(trainer)
    response = client.post(
        reverse("course_materials:add"),
        form_data(other_session, upload=uploaded_file("a.pdf", pdf_bytes())),
    )
    assert response.status_code == 200
    assert "session" in response.context["form"].errors
    assert Material.objects.count() == 0


def test_missing_file_or_link_gives_a_clear_error(client, session, trainer):
    client.force_login(trainer)
    response = client.post(reverse("course_materials:add"), form_data(session))
    assert response.context["form"].non_field_errors() or response.context["form"].errors
    response = client.post(reverse("course_materials:add"), form_data(session, kind="link", url="ftp://x.org/a"))
    assert "url" in response.context["form"].errors
    long_link = "https://www.youtube.com/results?search_query=" + "%D0%96" * 400  # 2,445 characters
    response = client.post(reverse("course_materials:add"), form_data(session, kind="link", url=long_link))
    assert response.status_code == 200 and "url" in response.context["form"].errors
    assert Material.objects.count() == 0


def test_editing_replaces_the_file_and_can_withdraw_the_link(client, session, trainer):
    material = make_material(trainer, session, kind="image", upload=upload("a.png", png_bytes()))
    code = material.short_link.code
    client.force_login(trainer)
    response = client.post(
        reverse("course_materials:edit", args=[material.pk]),
        form_data(
            session,
            kind="image",
            title="Жаңыртылган",
            image=material.image_id,
            upload=uploaded_file("b.png", png_bytes(color=(0, 0, 255))),
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    material.refresh_from_db()
    assert material.title == "Жаңыртылган"
    assert material.short_link.code == code and material.short_link.is_active
    response = client.post(
        reverse("course_materials:edit", args=[material.pk]), form_data(session, kind="image", title="Жаңыртылган", image=material.image_id, link_active="")
    )
    assert response.status_code == 302, response.context["form"].errors
    assert not ShortLink.objects.get(code=code).is_active


def test_a_course_material_for_admins(client, course, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("course_materials:add"),
        form_data(factories.make_session(course), session="", course=course.pk, kind="link", url="https://youtu.be/x"),
    )
    assert response.status_code == 302
    material = Material.objects.get()
    assert material.session is None and material.course_id == course.pk


def test_delete_through_the_admin(client, session, trainer):
    material = make_material(trainer, session)
    client.force_login(trainer)
    response = client.post(reverse("course_materials:delete", args=[material.pk]))
    assert response.status_code == 302
    assert not Material.objects.exists()


def test_packs_screen(client, session, other_session, trainer):
    make_material(trainer, session)
    client.force_login(trainer)
    page = client.get(reverse("material_packs")).content.decode()
    assert handout_path(session) in page
    assert handout_path(other_session) not in page


def test_choosing_another_trainers_file_is_refused(client, session, other_session, trainer, other_trainer):
    theirs = make_material(other_trainer, other_session, visibility="trainers")
    client.force_login(trainer)
    response = client.post(reverse("course_materials:add"), form_data(session, document=theirs.document_id))
    assert "document" in response.context["form"].errors
    assert Material.objects.count() == 1


def test_choosing_a_library_document_works(client, session, trainer):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    document = Document(title="Мыйзам")
    document.file.save("law.pdf", ContentFile(pdf_bytes()), save=False)
    document.save()
    client.force_login(trainer)
    response = client.post(reverse("course_materials:add"), form_data(session, document=document.pk))
    assert response.status_code == 302
    assert Material.objects.get().document == document
