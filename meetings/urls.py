from django.urls import path

from meetings import drafting, views
from meetings.urls_pdf import urlpatterns as pdf_urlpatterns

app_name = "meetings"

minutes = "meetings/<slug:body>/<slug:key>/minutes/draft/"

urlpatterns = [
    path("committees/", views.body_list, name="body_list"),
    path("committees/<slug:slug>/", views.body_detail, name="body"),
    path(
        "committees/<slug:slug>/forward-plan/",
        views.forward_plan,
        name="forward_plan",
    ),
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/<slug:body>/<slug:key>/", views.meeting_detail, name="detail"),
    path("documents/<int:pk>/<str:filename>", views.document_download, name="document"),
    path("decisions/", views.decision_list, name="decisions"),
    # The clerk's minutes drafting screen.
    path(minutes, drafting.overview, name="minutes_draft"),
    path(f"{minutes}start/", drafting.start, name="minutes_start"),
    path(f"{minutes}attendance/", drafting.attendance, name="minutes_attendance"),
    path(f"{minutes}publish/", drafting.publish, name="minutes_publish"),
    path(f"{minutes}approve/", drafting.approve, name="minutes_approve"),
    path(f"{minutes}preview/", drafting.preview, name="minutes_preview"),
    path(f"{minutes}items/add/", drafting.item_add, name="minutes_item_add"),
    path(f"{minutes}items/<int:pk>/", drafting.item_edit, name="minutes_item"),
    path(
        f"{minutes}items/<int:pk>/move/", drafting.item_move, name="minutes_item_move"
    ),
    path(
        f"{minutes}items/<int:pk>/delete/",
        drafting.item_delete,
        name="minutes_item_delete",
    ),
    path(
        f"{minutes}items/<int:pk>/actions/",
        drafting.item_action_create,
        name="minutes_item_action",
    ),
    path(
        "meetings/<slug:body>/<slug:key>/agenda/build/",
        drafting.agenda_build,
        name="agenda_build",
    ),
    path(
        f"{minutes}items/<int:pk>/compare/",
        drafting.item_compare,
        name="minutes_item_compare",
    ),
]

urlpatterns += pdf_urlpatterns
