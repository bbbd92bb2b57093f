from django.urls import path

from priorities import views

app_name = "priorities"

urlpatterns = [
    path("priorities/", views.priority_list, name="list"),
    path(
        "priorities/exception-report/",
        views.exception_report,
        name="exception_report",
    ),
    path("priorities/<slug:slug>/", views.priority_detail, name="detail"),
]
