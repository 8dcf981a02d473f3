"""Search results kept in the cache per (language, words, filters, page) until the index or a page changes.

What is kept is small: the ids of one page of results, the counts by kind, the years offered and the page
number; the documents themselves are read again by id (one query). The namespace (academy.caching) is
dropped whenever the index is written (cms/search/indexing.py) and whenever any page is published,
unpublished, moved or deleted or a view restriction changes, since the query keeps only live public pages.
The same results serve everyone: nothing in them depends on the visitor.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from academy.caching import cached, invalidate_on_commit

NAMESPACE = "site_search"
TIMEOUT = 900


def results(compute, *parts):
    return cached(NAMESPACE, compute, *parts, timeout=TIMEOUT)


def index_changed(*args, **kwargs):
    invalidate_on_commit(NAMESPACE)


def connect():
    pages = {"published": page_published, "unpublished": page_unpublished, "moved": post_page_move}
    for name, signal in {**pages, "slug_changed": page_slug_changed}.items():
        signal.connect(index_changed, dispatch_uid=f"site_search.results.page_{name}")
    post_delete.connect(index_changed, sender=Page, dispatch_uid="site_search.results.page_deleted")
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            index_changed, sender=PageViewRestriction, dispatch_uid=f"site_search.results.restriction_{name}"
        )
