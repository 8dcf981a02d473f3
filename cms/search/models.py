from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """One findable thing in one language: a page, a session, a material's title.

    Filled by the providers (cms/search/registry.py) when what they index is published or saved, and by
    `manage.py rebuild_search_index`. `page` is the page the result belongs to (the page itself, or the
    course of a session or material): the query keeps only documents whose page is live and public, so a
    page unpublished or restricted never shows even before its documents are dropped.
    """

    kind = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8)
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    # Set for results that are not the page itself (a session's page); empty: the page's own URL.
    url = models.CharField(max_length=500, blank=True)
    region = models.ForeignKey("academy.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    # Lower-cased with ё -> е (cms/search/text.py): what SQLite matches with LIKE, what PostgreSQL's
    # tsvector is built from (its `simple` configuration keeps words as they are).
    title_norm = models.CharField(max_length=500)
    body_norm = models.TextField(blank=True)
    # PostgreSQL only (NULL on SQLite): title weighted A, body B, `simple` configuration; GIN-indexed.
    vector = SearchVectorField(null=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [
            models.Index(fields=["kind", "object_id"], name="searchdoc_kind_object"),
            models.Index(fields=["language", "kind"], name="searchdoc_language_kind"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.object_id} ({self.language}) {self.title}"
