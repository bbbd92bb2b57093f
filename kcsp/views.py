from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from kcsp import registry
from kcsp.pagecache import public_page


@public_page
def home(request: HttpRequest) -> HttpResponse:
    sections = [
        {"template": s.template, "data": s.context(request)}
        for s in registry.home_sections()
    ]
    return render(request, "kcsp/home.html", {"sections": sections})


@public_page
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "kcsp/accessibility.html")


@public_page
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "kcsp/privacy.html")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
