"""Course pages list practices and practice pages list the courses that teach them (CoursePracticeLink).

The two kinds of page are cached apart (the catalogue namespace, courses.services.public_pages; the
content namespace, cms.services.content_cache), so publishing one side drops the other side's cache.
Links are saved with their course, so a course publish covers a changed link.
"""

from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished


def _practice_changed(sender, **kwargs):
    from courses.services import public_pages

    public_pages.catalogue_changed()


def _course_changed(sender, **kwargs):
    from cms.services import content_cache

    content_cache.content_changed()


def connect():
    from cms.models import PracticePage
    from courses.models import CoursePage

    for signal, name in ((page_published, "published"), (page_unpublished, "unpublished"), (post_delete, "deleted")):
        signal.connect(_practice_changed, sender=PracticePage, dispatch_uid=f"courses.practice_links.practice_{name}")
        signal.connect(_course_changed, sender=CoursePage, dispatch_uid=f"courses.practice_links.course_{name}")
