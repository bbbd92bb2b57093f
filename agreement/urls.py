from django.urls import path

from agreement import views

app_name = "agreement"

urlpatterns = [
    path("agreement/", views.current, name="current"),
    path(
        "agreement/assessments/<slug:partnership>/<int:year>/",
        views.assessment,
        name="assessment",
    ),
    path(
        "agreement/assessments/<slug:partnership>/<int:year>/<str:filename>",
        views.assessment_document,
        name="assessment_document",
    ),
    path("agreement/<slug:slug>/", views.detail, name="detail"),
    path("agreement/<slug:slug>/changes/", views.changes, name="changes"),
    path("agreement/<slug:slug>.pdf", views.pdf, name="pdf"),
]
