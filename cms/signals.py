"""Drop the cached practice and journal pages when something they show changes (cms.services.content_cache).

They show their own pages, the topic and rubric lists, the reference geography and funding projects
(academy), and pictures and documents. A move or a view restriction anywhere in the tree may hide or
re-address a content page, so those count too; all of these are rare next to visits.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from academy.models import District, FundingProject, Municipality, Region
from cms.models import (
    ArticlePage,
    JournalIndexPage,
    JournalIssuePage,
    JournalRubric,
    PracticeIndexPage,
    PracticePage,
    PracticeTopic,
)
from cms.services.content_cache import content_changed

CONTENT_PAGES = (PracticeIndexPage, PracticePage, JournalIndexPage, JournalIssuePage, ArticlePage)
SHOWN_DATA = (PracticeTopic, JournalRubric, Region, District, Municipality, FundingProject, PageViewRestriction)


def _changed(sender, **kwargs):
    content_changed()


def connect():
    for model in CONTENT_PAGES:
        name = model.__name__
        page_published.connect(_changed, sender=model, dispatch_uid=f"cms.content_cache.{name}.published")
        page_unpublished.connect(_changed, sender=model, dispatch_uid=f"cms.content_cache.{name}.unpublished")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"cms.content_cache.{name}.deleted")
    for model in (*SHOWN_DATA, get_image_model(), get_document_model()):
        name = f"{model._meta.app_label}.{model.__name__}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"cms.content_cache.{name}.saved")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"cms.content_cache.{name}.deleted")
    post_page_move.connect(_changed, dispatch_uid="cms.content_cache.page_moved")
