"""The search page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from kcsp.pagecache import content_fragment
from kcsp.paging import query_without_page
from kcsp.search import query
from kcsp.search.filters import SearchFilter
from kcsp.visibility import audience_of


def search(request: HttpRequest) -> HttpResponse:
    """A page of results is kept in the cache for each audience and query
    until anything changes (`content_fragment`)."""
    fragment = content_fragment(request)
    audience = audience_of(request.user)
    kinds = [k for k in request.GET.getlist("kind") if k] or None
    filterset = SearchFilter(
        request.GET or None,
        queryset=query.visible_entries(audience=audience, kinds=kinds),
        request=request,
    )
    words = filterset.words
    results = (
        SimpleLazyObject(
            lambda: query.search_page(
                entries=filterset.qs,
                words=words,
                page=request.GET.get("page"),
                narrowed=filterset.narrowed,
            )
        )
        if words
        else None
    )
    return render(
        request,
        "kcsp/search/search.html",
        {
            "filter": filterset,
            "words": words,
            "results": results,
            "query": query_without_page(request),
            "full_text": query.full_text(),
            **fragment,
        },
    )
