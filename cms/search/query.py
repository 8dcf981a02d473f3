"""Running a search: match, rank, facets by kind, filters by oblast and year, one page of results.

PostgreSQL (cms/search/postgres.py): the documents' tsvector (`simple` configuration) against the query's stems
as prefixes (`тариф:*`), ranked by ts_rank (title A, text B) times the kind's boost, in one statement that
also counts the matches by kind and year; when the words find fewer than a handful of documents, titles
similar to them (pg_trgm word similarity, for typos and forms the stemmer misses) are found too. Other
databases (SQLite in tests and `make run`): every stem inside the title or the text, a title match ranking
first. Only documents whose page is live and public are kept, whatever the index holds. What a search finds
(ids, counts, years) is cached until the index or a page changes (cms/search/results_cache.py); a page of
results costs a fixed number of queries (see tests/cms/test_search*.py).
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Case, Count, F, FloatField, Q, Value, When
from django.db.models.functions import Cast
from wagtail.models import PageViewRestriction

from cms.search import postgres, registry, results_cache
from cms.search.highlight import mark, snippet
from cms.search.models import SearchDocument

PER_PAGE = 10


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


@dataclass
class Found:
    """What a search found, small enough to cache: one page of document ids and the counts."""

    ids: list
    counts: dict  # {kind: matches}, within the year filter
    years: list  # the years among the matches, latest first
    number: int  # the page number shown (a number past the end shows the last page)


def _restricted_paths():
    return list(PageViewRestriction.objects.values_list("page__path", flat=True))


def visible_documents(language, restricted=None):
    """Documents of this language whose page is live and not behind a view restriction (any ancestor)."""
    documents = SearchDocument.objects.filter(language=language, page__live=True)
    for path in _restricted_paths() if restricted is None else restricted:
        documents = documents.exclude(page__path__startswith=path)
    return documents


def _on_postgres():
    return connection.vendor == "postgresql"


def _boost():
    cases = [When(kind=provider.kind, then=Value(provider.boost)) for provider in registry.providers()]
    return Case(*cases, default=Value(1.0), output_field=FloatField())


def matching(documents, stems):
    """The database-neutral match (SQLite): every stem in the title or the text; annotates `score`."""
    found = Q()
    in_title = Value(0.0)
    for stem in stems:
        found &= Q(title_norm__contains=stem) | Q(body_norm__contains=stem)
        in_title = in_title + Case(When(title_norm__contains=stem, then=Value(1.0)), default=Value(0.1))
    return documents.filter(found).annotate(score=Cast(in_title, FloatField()) * _boost())


def _summarise(rows, year):
    """[(kind, year, count)] -> ({kind: count within the year filter}, years offered latest first)."""
    counts, years = {}, set()
    for found_kind, found_year, count in rows:
        years.add(found_year)
        if not year or found_year == year:
            counts[found_kind] = counts.get(found_kind, 0) + count
    return counts, sorted((value for value in years if value), reverse=True)


def _last_page(total, per_page):
    return max(1, -(-total // per_page))


def _find_postgres(stems, words, *, language, kind, region, year, number, per_page):
    boosts = {provider.kind: provider.boost for provider in registry.providers()}
    options = {
        "language": language,
        "boosts": boosts,
        "restricted": _restricted_paths(),
        "kind": kind,
        "region_id": region.pk if region else None,
        "year": year,
        "limit": per_page,
    }
    similar = False
    ids, rows = postgres.run(stems, words, offset=(number - 1) * per_page, **options)
    if words and sum(count for _kind, _year, count in rows) < postgres.FEW_MATCHES:
        similar = True  # few documents have the words: titles with similar words (typos) are found too
        ids, rows = postgres.run(stems, words, offset=(number - 1) * per_page, similar=True, **options)
    counts, years = _summarise(rows, year)
    shown = counts.get(kind, 0) if kind else sum(counts.values())
    if not ids and number > 1 and shown:  # past the last page: show the last one
        number = _last_page(shown, per_page)
        ids, _rows = postgres.run(stems, words, offset=(number - 1) * per_page, similar=similar, **options)
    return Found(ids, counts, years, number)


def _find_other(stems, *, language, kind, region, year, number, per_page):
    matched = matching(visible_documents(language), stems)
    if region is not None:
        matched = matched.filter(region=region)
    rows = matched.order_by().values_list("kind", "year").annotate(count=Count("pk"))
    counts, years = _summarise(rows, year)
    shown_count = counts.get(kind, 0) if kind else sum(counts.values())
    number = min(number, _last_page(shown_count, per_page))
    shown = matched.filter(year=year) if year else matched
    shown = shown.filter(kind=kind) if kind else shown
    shown = shown.order_by(F("score").desc(), F("year").desc(nulls_last=True), "pk")
    start = (number - 1) * per_page
    return Found(list(shown.values_list("pk", flat=True)[start : start + per_page]), counts, years, number)


def _number(page):
    try:
        return max(1, int(page))
    except (TypeError, ValueError):
        return 1


class _Window:
    """What the Paginator pages through: `total` results of which only the shown page's are at hand."""

    def __init__(self, total, documents):
        self.total, self.documents = total, documents

    def __len__(self):
        return self.total

    def count(self):
        return self.total

    def __getitem__(self, index):
        return self.documents


def search(stems, words, *, language, kind=None, region=None, year=None, page=1, request=None, per_page=PER_PAGE):
    """One page of results for a parsed query (cms.search.forms.SearchForm) and its facets."""
    options = {"language": language, "kind": kind, "region": region, "year": year, "per_page": per_page}
    number = _number(page)
    if _on_postgres():
        compute = lambda: _find_postgres(stems, words, number=number, **options)  # noqa: E731
    else:
        compute = lambda: _find_other(stems, number=number, **options)  # noqa: E731
    found = results_cache.results(
        compute, language, stems, words, kind, region.pk if region else "", year, number, per_page, connection.vendor
    )
    by_id = SearchDocument.objects.select_related("page__locale").in_bulk(found.ids)
    documents = [by_id[pk] for pk in found.ids if pk in by_id]
    for document in documents:
        provider = registry.get(document.kind)
        document.kind_label = provider.label if provider else document.kind
        document.link = document.url or document.page.get_url(request)
        document.title_html = mark(document.title, stems)
        document.snippet = snippet(document.body, stems)
    shown = found.counts.get(kind, 0) if kind else sum(found.counts.values())
    paginator = Paginator(_Window(shown, documents), per_page)
    results_page = paginator.page(found.number) if shown else paginator.page(1)
    facets = [
        Facet(provider.kind, provider.label_plural, found.counts.get(provider.kind, 0), provider.kind == kind)
        for provider in registry.providers()
        if found.counts.get(provider.kind) or provider.kind == kind
    ]
    return Results(page=results_page, total=sum(found.counts.values()), facets=facets, years=found.years)
