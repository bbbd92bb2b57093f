"""/api/ (the human page), /api/v1/ (the collections the apps registered)
and /api/v1/openapi.json. Namespace "api"."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from kcsp.api import views
from kcsp.registry import api_endpoints

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False
for endpoint in api_endpoints():
    router.register(endpoint.prefix, endpoint.viewset, basename=endpoint.basename)

urlpatterns = [
    path("", views.guide, name="guide"),
    path("v1/openapi.json", views.SchemaView.as_view(), name="schema"),
    path("v1/", include(router.urls)),
]
