"""Course pages list journal articles and article pages list the courses that draw on them (CourseArticleLink).

As with practices (courses/practice_links.py): course pages are cached in the catalogue namespace, articles in
the content namespace. Links are saved with their course, and publishing, unpublishing or deleting a course
already drops the content cache (practice_links); publishing, unpublishing or deleting an article drops the
catalogue cache here, so a course page never lists an article that is gone or misses a title's change.
"""

from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished


def _article_changed(sender, **kwargs):
    from courses.services import public_pages

    public_pages.catalogue_changed()


def connect():
    from cms.models import ArticlePage

    for signal, name in ((page_published, "published"), (page_unpublished, "unpublished"), (post_delete, "deleted")):
        signal.connect(_article_changed, sender=ArticlePage, dispatch_uid=f"courses.article_links.article_{name}")
