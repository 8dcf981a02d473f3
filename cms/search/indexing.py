"""Writing the index: one object's documents replaced, or every provider's rebuilt.

Signals call refresh_on_commit: once the publish or save is committed, the object is read again and
its documents replaced (or dropped when it is gone, a draft, unpublished or not public).
"""

from django.db import connection, transaction

from cms.search import registry, results_cache
from cms.search.models import SearchDocument
from cms.search.text import normalize

BATCH = 1000


def _vector():
    from django.contrib.postgres.search import SearchVector

    return SearchVector("title_norm", weight="A", config="simple") + SearchVector(
        "body_norm", weight="B", config="simple"
    )


def on_postgres():
    return connection.vendor == "postgresql"


def _rows(provider, obj):
    return [
        SearchDocument(
            kind=provider.kind,
            object_id=obj.pk,
            page_id=document.page_id,
            language=document.language,
            title=document.title[:500],
            body=document.body,
            url=document.url[:500],
            region_id=document.region_id,
            year=document.year,
            title_norm=normalize(document.title)[:500],
            body_norm=normalize(document.body),
        )
        for document in provider.documents(obj)
    ]


def _write(rows):
    results_cache.index_changed()
    created = SearchDocument.objects.bulk_create(rows, batch_size=BATCH)
    if on_postgres() and created:
        ids = [row.pk for row in created]
        for start in range(0, len(ids), BATCH):
            SearchDocument.objects.filter(pk__in=ids[start : start + BATCH]).update(vector=_vector())
    return len(created)


@transaction.atomic
def index_object(provider, obj):
    """Replace `obj`'s documents with what its provider says now (none when it is not public)."""
    SearchDocument.objects.filter(kind=provider.kind, object_id=obj.pk).delete()
    return _write(_rows(provider, obj))


def remove_object(provider, object_id):
    results_cache.index_changed()
    SearchDocument.objects.filter(kind=provider.kind, object_id=object_id).delete()


def refresh(provider, object_id):
    """Index the object as it is in the database now, or drop its documents when it is gone or hidden."""
    obj = provider.queryset().filter(pk=object_id).first()
    if obj is None:
        remove_object(provider, object_id)
    else:
        index_object(provider, obj)


def refresh_on_commit(provider, object_id):
    """What the signals call: once the edit is committed (nothing happens if it rolls back), so saving a
    session or publishing a page costs nothing more inside its transaction; robust, so a fault of the
    search index is logged and never fails the edit that triggered it."""
    transaction.on_commit(lambda: refresh(provider, object_id), robust=True)


@transaction.atomic
def rebuild(kinds=None):
    """Drop and rewrite the documents of the given kinds (all by default). Returns {kind: documents}."""
    counts = {}
    for provider in registry.providers():
        if kinds and provider.kind not in kinds:
            continue
        SearchDocument.objects.filter(kind=provider.kind).delete()
        rows, written = [], 0
        for obj in provider.queryset().iterator(chunk_size=BATCH):
            rows.extend(_rows(provider, obj))
            if len(rows) >= BATCH:
                written += _write(rows)
                rows = []
        counts[provider.kind] = written + _write(rows)
    if on_postgres():
        # Fresh statistics: without them the planner guesses a few hundred rows and skips the GIN indexes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE site_search_searchdocument")
    return counts
