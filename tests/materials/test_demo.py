"""courses/demo/materials.py: ky and ru materials, the three visibilities, real PDFs; idempotent."""

import pytest
from django.utils import timezone

from courses.demo import materials as demo_materials
from courses.models import Material, ShortLink
from courses.services import files
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def batken_sessions(course_index, trainer, other_trainer):
    from academy.data.demo.catalogue import COURSES

    from .conftest import make_session

    batken = factories.make_course(course_index, title=COURSES[0]["title_ky"], slug=COURSES[0]["slug"])
    return make_session(batken, trainers=[trainer]), make_session(batken, trainers=[other_trainer])


def test_seed_is_idempotent_and_realistic(batken_sessions):
    session, other_session = batken_sessions
    context = {"now": timezone.now(), "sessions": {"a": session, "b": other_session}}
    demo_materials.seed(context)
    count = Material.objects.count()
    links = ShortLink.objects.count()
    assert count == 7  # 3 for the course, 2 per session
    assert links == count + 2  # plus the two session packs
    assert {m.language for m in Material.objects.all()} == {"ky", "ru"}
    assert {m.visibility for m in Material.objects.all()} == {"public", "participants", "trainers"}
    assert Material.objects.filter(kind="link").count() == 1
    for material in Material.objects.filter(kind="document"):
        with material.document.open_file() as handle:
            assert files.validate_document(handle, material.document.filename) == "pdf"
    demo_materials.seed({"now": timezone.now()})  # without context: falls back to the database
    demo_materials.seed(context)
    assert Material.objects.count() == count and ShortLink.objects.count() == links


def test_draft_sessions_get_no_materials(session):
    session.status = "draft"
    session.save()
    demo_materials.seed({"now": timezone.now(), "sessions": [session]})
    assert Material.objects.count() == 0


def test_demo_pdf_has_kyrgyz_text():
    import pypdfium2

    document = pypdfium2.PdfDocument(demo_materials.pdf("Биргелешкен аракеттердин планы", ["Жергиликтүү өз алдынча башкаруу"]))
    try:
        text = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    assert "Жергиликтүү өз алдынча" in text
