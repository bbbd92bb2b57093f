"""Addresses of the meetings app, in two namespaces.

"meetings": the public pages, the clerk's screens and a meeting's PDFs,
each under the meeting page's address. A pack's PDF address serves the pack
when it is ready and otherwise leads to its status page, which has it
prepared in the background.

"manage": the clerk's workspace under /manage/: the dashboard, a body's year
of meetings, a new meeting, and each meeting's page, its agenda (sections,
items and their papers) and its publication or withdrawal; and the
Councillor Calls for Action, recorded and moved through their stages.

"feeds": the calendars (/meetings/calendar.ics for every public body,
/committees/<body>/calendar.ics for one) and the feeds (/feeds/<kind>.rss
and .atom, and /committees/<body>/feeds/<kind>.rss and .atom) of agendas,
minutes and decisions.
"""

from django.urls import URLPattern, include, path

from meetings.views import (
    calls,
    clerk,
    feeds,
    manage,
    members,
    pdf,
    petitions,
    public,
    questions,
)

meeting = "meetings/<slug:body>/<slug:key>/"
minutes = f"{meeting}minutes/draft/"

meetings_patterns: list[URLPattern] = [
    path("committees/", public.body_list, name="body_list"),
    path("committees/<slug:slug>/", public.body_detail, name="body"),
    path(
        "committees/<slug:slug>/forward-plan/",
        public.forward_plan,
        name="forward_plan",
    ),
    path(
        "committees/<slug:slug>/attendance/",
        public.body_attendance,
        name="body_attendance",
    ),
    path(
        "organisations/<slug:slug>/attendance/",
        public.organisation_attendance,
        name="organisation_attendance",
    ),
    path("committees/<slug:slug>/questions/", questions.questions, name="questions"),
    path("petitions/", petitions.petition_list, name="petitions"),
    path("petitions/new/", petitions.petition_new, name="petition_new"),
    path("petitions/<int:pk>/", petitions.petition_detail, name="petition"),
    path("petitions/<int:pk>/sign/", petitions.petition_sign, name="petition_sign"),
    path(
        "petitions/confirm/<str:token>/",
        petitions.confirm,
        {"kind": "petition"},
        name="petition_confirm",
    ),
    path(
        "petitions/signatures/confirm/<str:token>/",
        petitions.confirm,
        {"kind": "signature"},
        name="signature_confirm",
    ),
    path(
        "questions/confirm/<str:token>/",
        questions.question_confirm,
        name="question_confirm",
    ),
    path("calls-for-action/", calls.call_list, name="calls"),
    path("calls-for-action/<int:pk>/", calls.call_detail, name="call"),
    path("meetings/", public.meeting_list, name="list"),
    path(meeting, public.meeting_detail, name="detail"),
    path(
        "documents/<int:pk>/<str:filename>", public.document_download, name="document"
    ),
    path("decisions/", public.decision_list, name="decisions"),
    # The clerk's minutes drafting screen.
    path(minutes, clerk.overview, name="minutes_draft"),
    path(f"{minutes}start/", clerk.start, name="minutes_start"),
    path(f"{minutes}attendance/", clerk.attendance, name="minutes_attendance"),
    path(f"{minutes}publish/", clerk.publish, name="minutes_publish"),
    path(
        f"{minutes}publish-changes/",
        clerk.publish_staged,
        name="minutes_publish_staged",
    ),
    path(f"{minutes}approve/", clerk.approve, name="minutes_approve"),
    path(f"{minutes}preview/", clerk.preview, name="minutes_preview"),
    path(f"{minutes}items/add/", clerk.item_add, name="minutes_item_add"),
    path(f"{minutes}items/<int:pk>/", clerk.item_edit, name="minutes_item"),
    path(f"{minutes}items/<int:pk>/move/", clerk.item_move, name="minutes_item_move"),
    path(
        f"{minutes}items/<int:pk>/delete/",
        clerk.item_delete,
        name="minutes_item_delete",
    ),
    path(
        f"{minutes}items/<int:pk>/actions/",
        clerk.item_action_create,
        name="minutes_item_action",
    ),
    path(
        f"{minutes}items/<int:pk>/compare/",
        clerk.item_compare,
        name="minutes_item_compare",
    ),
    # A meeting's PDFs.
    path(f"{meeting}agenda.pdf", pdf.agenda_pdf, name="agenda_pdf"),
    path(f"{meeting}minutes.pdf", pdf.minutes_pdf, name="minutes_pdf"),
    path(f"{meeting}pack.pdf", pdf.pack_pdf, name="pack_pdf"),
    path(f"{meeting}pack/", pdf.pack_page, name="pack"),
    path(
        f"{meeting}staff-pack.pdf", pdf.pack_pdf, {"staff": True}, name="staff_pack_pdf"
    ),
    path(f"{meeting}staff-pack/", pdf.pack_page, {"staff": True}, name="staff_pack"),
]

FEEDS = {
    "agendas": feeds.AgendasFeed,
    "minutes": feeds.MinutesFeed,
    "decisions": feeds.DecisionsFeed,
}

feeds_patterns: list[URLPattern] = [
    path("meetings/calendar.ics", feeds.all_meetings, name="calendar"),
    path(
        "committees/<slug:slug>/calendar.ics",
        feeds.body_meetings,
        name="body_calendar",
    ),
]
for kind, feed in FEEDS.items():
    feeds_patterns += [
        path(f"feeds/{kind}.rss", feed(), name=f"{kind}_rss"),
        path(f"feeds/{kind}.atom", feeds.atom(feed)(), name=f"{kind}_atom"),
        path(
            f"committees/<slug:slug>/feeds/{kind}.rss",
            feed(),
            name=f"body_{kind}_rss",
        ),
        path(
            f"committees/<slug:slug>/feeds/{kind}.atom",
            feeds.atom(feed)(),
            name=f"body_{kind}_atom",
        ),
    ]

workspace = "manage/meetings/<slug:body>/<slug:key>/"
item_page = f"{workspace}agenda/items/<int:pk>/"
manage_patterns: list[URLPattern] = [
    path("manage/", manage.dashboard, name="dashboard"),
    path("manage/petitions/", petitions.queue, name="petitions"),
    path("manage/petitions/<int:pk>/", petitions.petition_manage, name="petition"),
    path("manage/bodies/<slug:slug>/year/", manage.year, name="year"),
    path(workspace, manage.meeting, name="meeting"),
    path(f"{workspace}publish/", manage.agenda_publish, name="publish"),
    path(f"{workspace}withdraw/", manage.agenda_withdraw, name="withdraw"),
    path(f"{workspace}supplement/", manage.supplement_publish, name="supplement"),
    path(f"{workspace}change/", manage.meeting_change, name="meeting_change"),
    path(f"{workspace}election/", members.election, name="election"),
    path("manage/bodies/<slug:slug>/members/", members.members, name="members"),
    path(
        "manage/bodies/<slug:slug>/members/<int:pk>/",
        members.membership,
        name="membership",
    ),
    path(f"{workspace}declarations/", manage.declarations, name="declarations"),
    path(f"{workspace}redact/", manage.redact, name="redact"),
    path(f"{workspace}votes/<int:pk>/", manage.vote, name="vote"),
    path(f"{workspace}questions/", questions.queue, name="questions"),
    path(
        f"{workspace}questions/<int:pk>/",
        questions.question_decide,
        name="question",
    ),
    path("manage/calls-for-action/", calls.manage_list, name="calls"),
    path("manage/calls-for-action/new/", calls.manage_new, name="call_new"),
    path("manage/calls-for-action/<int:pk>/", calls.manage_call, name="call"),
    path(
        "manage/bodies/<slug:slug>/meetings/new/",
        manage.meeting_new,
        name="meeting_new",
    ),
    path(f"{workspace}agenda/", manage.agenda, name="agenda"),
    path(f"{workspace}agenda/start/", manage.agenda_start, name="agenda_start"),
    path(f"{workspace}agenda/sections/", manage.section_add, name="section_add"),
    path(f"{workspace}agenda/offers/", manage.agenda_offer, name="agenda_offer"),
    path(item_page, manage.item, name="item"),
    path(f"{item_page}move/", manage.item_move, name="item_move"),
    path(f"{item_page}remove/", manage.item_remove, name="item_remove"),
]

urlpatterns = [
    path("", include((meetings_patterns, "meetings"))),
    path("", include((manage_patterns, "manage"))),
    path("", include((feeds_patterns, "feeds"))),
]
