"""Drop the cached practice and journal pages when something they show changes (cms.services.content_cache), and
the cached site settings when they or a site change (cms.models.site_settings).

They show their own pages, the topic and rubric lists, the reference geography and funding projects
(academy), and pictures and documents. A move or a view restriction anywhere in the tree may hide or
re-address a content page, so those count too; all of these are rare next to visits.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from academy.caching import invalidate_on_commit
from academy.models import District, FundingProject, Municipality, Region
from cms.models import (
    AcademySettings,
    ArticlePage,
    JournalIndexPage,
    JournalIssuePage,
    JournalRubric,
    PracticeIndexPage,
    PracticePage,
    PracticeTopic,
)
from cms.models.site_settings import SETTINGS_CACHE
from cms.services.content_cache import content_changed

CONTENT_PAGES = (PracticeIndexPage, PracticePage, JournalIndexPage, JournalIssuePage, ArticlePage)
SHOWN_DATA = (PracticeTopic, JournalRubric, Region, District, Municipality, FundingProject, PageViewRestriction)


def _changed(sender, **kwargs):
    content_changed()


def _settings_changed(sender, created=False, **kwargs):
    # New settings replace nothing cached: a site's settings are created on its first page (get_or_create, inside
    # the cache's computation), or again after a deletion, which dropped the cache.
    if not (created and sender is AcademySettings):
        invalidate_on_commit(SETTINGS_CACHE)


def connect():
    for model in (AcademySettings, Site):  # a site's host or port decides which settings a request gets
        name = model.__name__
        post_save.connect(_settings_changed, sender=model, dispatch_uid=f"cms.settings_cache.{name}.saved")
        post_delete.connect(_settings_changed, sender=model, dispatch_uid=f"cms.settings_cache.{name}.deleted")
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
