"""The migration that turned course tags into the topic reference list keeps every course's topics."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.text import slugify

from tests import factories

BEFORE = [("courses", "0006_material_long_links")]


# serialized_rollback: migrating back and forth leaves rows (content types) that the next test restoring the
# serialized database would collide with; restoring here too leaves the database as the other tests expect.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_tags_become_topics_with_the_same_codes(course_index):
    course = factories.make_course(course_index, title="Тарифтер жана бюджет")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Tag, CourseTag = old.get_model("taggit", "Tag"), old.get_model("courses", "CourseTag")
    for name in ["tariffs", "citizens' budget", "Суу менен камсыздоо"]:
        tag = Tag.objects.create(name=name, slug=slugify(name, allow_unicode=True))
        CourseTag.objects.create(tag=tag, content_object_id=course.pk)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from courses.models import CoursePage, Topic

    topics = {topic.code: topic for topic in CoursePage.objects.get(pk=course.pk).topics.all()}
    assert set(topics) == {"tariffs", "citizens-budget", "суу-менен-камсыздоо"}
    assert topics["tariffs"].name_ky == "Тарифтер"  # from the shipped list
    unknown = topics["суу-менен-камсыздоо"]  # not in the list: named as the tag until an admin translates it
    assert unknown.name_ky == unknown.name_ru == unknown.name_en == "Суу менен камсыздоо"
    assert Topic.objects.filter(code="public-procurement").exists()
