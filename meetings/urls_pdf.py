"""Addresses of the printable documents of a meeting (agenda, pack, minutes).

Each sits under the meeting page's address. A pack's PDF address serves the
pack when it is ready and otherwise leads to its status page, which has it
prepared in the background.
"""

from django.urls import URLPattern, path

from meetings import pdf_views

meeting = "meetings/<slug:body>/<slug:key>/"

urlpatterns: list[URLPattern] = [
    path(f"{meeting}agenda.pdf", pdf_views.agenda_pdf, name="agenda_pdf"),
    path(f"{meeting}minutes.pdf", pdf_views.minutes_pdf, name="minutes_pdf"),
    path(f"{meeting}pack.pdf", pdf_views.pack_pdf, name="pack_pdf"),
    path(f"{meeting}pack/", pdf_views.pack_page, name="pack"),
    path(
        f"{meeting}staff-pack.pdf",
        pdf_views.pack_pdf,
        {"staff": True},
        name="staff_pack_pdf",
    ),
    path(
        f"{meeting}staff-pack/", pdf_views.pack_page, {"staff": True}, name="staff_pack"
    ),
]
