"""Who sees which material: public, confirmed participants, trainers, admins; session and course materials."""

import pytest

from courses.models import Material, Registration
from courses.services import materials as service
from tests import factories

from .conftest import make_material

pytestmark = pytest.mark.django_db


def visible(user, session):
    return {material.title for material in Material.objects.for_session(session).visible_to(user)}


def test_session_material_visibility(session, other_session, materials_of, trainer, confirmed, admin_user):
    from django.contrib.auth.models import AnonymousUser

    materials_of(session)
    pending = factories.participant()
    Registration.objects.create(session=session, user=pending, status="pending")
    elsewhere = factories.participant()
    Registration.objects.create(session=other_session, user=elsewhere, status="confirmed")
    other_trainer = other_session.trainers.get()

    assert visible(AnonymousUser(), session) == {"public doc"}
    assert visible(None, session) == {"public doc"}
    assert visible(pending, session) == {"public doc"}
    assert visible(elsewhere, session) == {"public doc"}
    assert visible(other_trainer, session) == {"public doc"}
    assert visible(confirmed, session) == {"public doc", "participants doc"}
    assert visible(trainer, session) == {"public doc", "participants doc", "trainers doc"}
    assert visible(admin_user, session) == {"public doc", "participants doc", "trainers doc"}


def test_course_material_is_shared_by_every_session_of_the_course(
    course, session, other_session, trainer, admin_user
):
    from cms.services.site import translate_page

    ru_course = translate_page(course, "ru", title="Муниципальные услуги")
    # A course material attached to the Russian version of the page still belongs to the course.
    for visibility in ("public", "participants", "trainers"):
        make_material(admin_user, course=ru_course, visibility=visibility, title=f"course {visibility}")
    in_other = factories.participant()
    Registration.objects.create(session=other_session, user=in_other, status="confirmed")
    other_trainer = other_session.trainers.get()

    assert visible(in_other, session) == {"course public", "course participants"}
    assert visible(other_trainer, session) == {"course public", "course participants", "course trainers"}
    assert {m.title for m in Material.objects.for_course(course).visible_to(factories.participant())} == {
        "course public"
    }
    # The session's own materials are not course materials.
    make_material(trainer, session, title="own")
    assert "own" not in {m.title for m in Material.objects.for_course(course)}


def test_a_trainer_who_left_the_trainers_group_loses_trainer_access(session, materials_of, trainer):
    materials_of(session)
    trainer.groups.clear()
    del trainer._academy_groups
    assert visible(trainer, session) == {"public doc"}


def test_manageable_by(session, other_session, trainer, other_trainer, admin_user, participant, course):
    own = make_material(trainer, session, title="mine")
    make_material(other_trainer, other_session, title="theirs")
    course_material = make_material(admin_user, course=course, title="course-wide")
    assert {m.title for m in Material.objects.manageable_by(trainer)} == {"mine", "course-wide"}
    assert Material.objects.manageable_by(participant).count() == 0
    assert Material.objects.manageable_by(admin_user).count() == 3
    assert service.can_manage_material(trainer, own)
    assert service.can_manage_material(trainer, course_material)
    assert not service.can_manage_material(participant, own)


def test_visibility_is_one_query(session, materials_of, confirmed, django_assert_num_queries):
    materials_of(session)
    confirmed._academy_groups = set()
    with django_assert_num_queries(1):
        list(Material.objects.for_session(session).visible_to(confirmed))
