"""The public search page, /<lang>/search/: a GET form, results of the page's language, facets and filters."""

from django.shortcuts import render
from django.utils.translation import get_language

from cms.search import query
from cms.search.forms import SearchForm


def search_page(request):
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound:
        form.is_valid()  # a bad filter is shown beside its field; the others still apply
    data = getattr(form, "cleaned_data", {})
    if data.get("q") and "q" not in form.errors:
        results = query.search(
            form.stems,
            form.words,
            language=(get_language() or "ky")[:2],
            kind=data.get("type") or None,
            region=data.get("region"),
            year=data.get("year"),
            page=request.GET.get("page"),
            request=request,
        )
    params = request.GET.copy()
    params.pop("page", None)
    without_type = params.copy()
    without_type.pop("type", None)
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "results": results,
            "query": data.get("q", ""),
            "querystring": params.urlencode(),
            "type_querystring": without_type.urlencode(),
            "has_filters": bool(data.get("region") or data.get("year") or data.get("type")),
        },
    )
