"""The search page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kcsp.paging import query_without_page
from kcsp.search import query
from kcsp.search.filters import SearchFilter
from kcsp.visibility import audience_of


def search(request: HttpRequest) -> HttpResponse:
    audience = audience_of(request.user)
    kinds = [k for k in request.GET.getlist("kind") if k] or None
    filterset = SearchFilter(
        request.GET or None,
        queryset=query.visible_entries(audience=audience, kinds=kinds),
        request=request,
    )
    words = filterset.words
    results = (
        query.search_page(
            entries=filterset.qs, words=words, page=request.GET.get("page")
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
        },
    )
