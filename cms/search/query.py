"""Running a search: match, rank, facets by kind, filters by oblast and year, one page of results.

PostgreSQL: the documents' tsvector (`simple` configuration) against the query's stems as prefixes
(`тариф:*`), or every query word similar to a word of the title (pg_trgm word similarity, for typos
and forms the stemmer misses); ranked by ts_rank (title A, text B) plus the title's similarity, times
the kind's boost. Other databases (SQLite in tests and `make run`): every stem inside the title or the
text, a title match ranking first. Only documents whose page is live and public are kept, whatever the
index holds. A page of results costs a fixed number of queries (see tests/cms/test_search*.py).
"""

from dataclasses import dataclass, field

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Case, Count, F, FloatField, Q, Value, When
from django.db.models.functions import Cast
from wagtail.models import PageViewRestriction

from cms.search import registry
from cms.search.highlight import mark, snippet
from cms.search.models import SearchDocument

PER_PAGE = 10
# ts_rank weights of D, C, B, A: a word in the title counts ten times a word in the text, so what a page is
# about comes before what merely mentions it, however often.
RANK_WEIGHTS = [0.0, 0.0, 0.1, 1.0]


@dataclass
class Facet:
    kind: str
    label: str
    count: int
    active: bool = False


@dataclass
class Results:
    page: object  # a Paginator page of SearchDocument, each with .kind_label, .link, .title_html, .snippet
    total: int
    facets: list = field(default_factory=list)
    years: list = field(default_factory=list)


def visible_documents(language):
    """Documents of this language whose page is live and not behind a view restriction (any ancestor)."""
    documents = SearchDocument.objects.filter(language=language, page__live=True)
    restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    for path in restricted:
        documents = documents.exclude(page__path__startswith=path)
    return documents


def _on_postgres():
    return connection.vendor == "postgresql"


def _boost():
    cases = [When(kind=provider.kind, then=Value(provider.boost)) for provider in registry.providers()]
    return Case(*cases, default=Value(1.0), output_field=FloatField())


def matching(documents, stems, words):
    """Filter to the documents that match and annotate `score`."""
    if _on_postgres():
        tsquery = SearchQuery(" & ".join(f"{stem}:*" for stem in stems), search_type="raw", config="simple")
        similar = Q()
        for word in words:
            similar &= Q(TrigramWordSimilar(F("title_norm"), Value(word)))
        phrase = " ".join(words)
        return documents.filter(Q(vector=tsquery) | similar).annotate(
            score=(
                SearchRank(F("vector"), tsquery, weights=RANK_WEIGHTS)
                + TrigramWordSimilarity(Value(phrase), "title_norm") * 0.2
            )
            * _boost()
        )
    found = Q()
    in_title = Value(0.0)
    for stem in stems:
        found &= Q(title_norm__contains=stem) | Q(body_norm__contains=stem)
        in_title = in_title + Case(When(title_norm__contains=stem, then=Value(1.0)), default=Value(0.1))
    return documents.filter(found).annotate(score=Cast(in_title, FloatField()) * _boost())


def search(stems, words, *, language, kind=None, region=None, year=None, page=1, request=None, per_page=PER_PAGE):
    """One page of results for a parsed query (cms.search.forms.SearchForm) and its facets."""
    matched = matching(visible_documents(language), stems, words)
    if region is not None:
        matched = matched.filter(region=region)
    in_year = matched.filter(year=year) if year else matched
    # One scan of the matches gives both the kind counts (within the year filter) and the years offered.
    counts, years = {}, set()
    for found_kind, found_year, count in matched.order_by().values_list("kind", "year").annotate(count=Count("pk")):
        years.add(found_year)
        if not year or found_year == year:
            counts[found_kind] = counts.get(found_kind, 0) + count
    years = sorted((value for value in years if value), reverse=True)
    shown = in_year.filter(kind=kind) if kind else in_year
    shown = shown.select_related("page__locale").order_by(F("score").desc(), F("year").desc(nulls_last=True), "pk")
    paginator = Paginator(shown, per_page)
    paginator.count = sum(counts.get(kind, 0) for kind in ([kind] if kind else counts))  # already counted above
    results_page = paginator.get_page(page)
    for document in results_page:
        provider = registry.get(document.kind)
        document.kind_label = provider.label if provider else document.kind
        document.link = document.url or document.page.get_url(request)
        document.title_html = mark(document.title, stems)
        document.snippet = snippet(document.body, stems)
    facets = [
        Facet(provider.kind, provider.label_plural, counts.get(provider.kind, 0), provider.kind == kind)
        for provider in registry.providers()
        if counts.get(provider.kind) or provider.kind == kind
    ]
    return Results(page=results_page, total=sum(counts.values()), facets=facets, years=years)
