"""The API's human page and its OpenAPI description."""

import inspect

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.views import SpectacularJSONAPIView

from kcsp.api.policy import AnonymousApiThrottle
from kcsp.registry import api_endpoints


def guide(request: HttpRequest) -> HttpResponse:
    """/api/: what each collection holds, its filters, and examples."""
    endpoints = []
    for endpoint in api_endpoints():
        viewset = endpoint.viewset
        filterset = viewset.filterset_class
        filters = [
            (name, str(f.label or "")) for name, f in filterset.base_filters.items()
        ]
        endpoints.append(
            {
                "prefix": endpoint.prefix,
                "summary": inspect.getdoc(viewset) or "",
                "filters": filters,
            }
        )
    base = request.build_absolute_uri("/api/v1/")
    return render(request, "kcsp/api.html", {"endpoints": endpoints, "base": base})


class SchemaView(SpectacularJSONAPIView):
    """The OpenAPI 3 description of /api/v1/, generated from the code."""

    authentication_classes = []
    throttle_classes = [AnonymousApiThrottle]
