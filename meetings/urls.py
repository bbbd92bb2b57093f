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

from django.urls import URLPattern, URLResolver, include, path

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

# The clerk's minutes drafting screen, under a meeting's address.
minutes_item_patterns: list[URLPattern] = [
    path("", clerk.item_edit, name="minutes_item"),
    path("move/", clerk.item_move, name="minutes_item_move"),
    path("delete/", clerk.item_delete, name="minutes_item_delete"),
    path("actions/", clerk.item_action_create, name="minutes_item_action"),
    path("compare/", clerk.item_compare, name="minutes_item_compare"),
]
minutes_draft_patterns: list[URLPattern | URLResolver] = [
    path("", clerk.overview, name="minutes_draft"),
    path("start/", clerk.start, name="minutes_start"),
    path("attendance/", clerk.attendance, name="minutes_attendance"),
    path("publish/", clerk.publish, name="minutes_publish"),
    path("publish-changes/", clerk.publish_staged, name="minutes_publish_staged"),
    path("approve/", clerk.approve, name="minutes_approve"),
    path("preview/", clerk.preview, name="minutes_preview"),
    path("items/add/", clerk.item_add, name="minutes_item_add"),
    path("items/<int:pk>/", include(minutes_item_patterns)),
]

# A meeting's PDFs: the agenda, the minutes, and the pack of papers for the
# public and for staff (its status page while it is being prepared).
meeting_pdf_patterns: list[URLPattern] = [
    path("agenda.pdf", pdf.agenda_pdf, name="agenda_pdf"),
    path("minutes.pdf", pdf.minutes_pdf, name="minutes_pdf"),
    path("pack.pdf", pdf.pack_pdf, name="pack_pdf"),
    path("pack/", pdf.pack_page, name="pack"),
    path("staff-pack.pdf", pdf.pack_pdf, {"staff": True}, name="staff_pack_pdf"),
    path("staff-pack/", pdf.pack_page, {"staff": True}, name="staff_pack"),
]

meetings_patterns: list[URLPattern | URLResolver] = [
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
    # A meeting's PDFs.
    path(f"{meeting}minutes/draft/", include(minutes_draft_patterns)),
    path(meeting, include(meeting_pdf_patterns)),
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

# A meeting's page in the clerk's workspace: its publication or withdrawal,
# the record of the meeting, and its agenda of sections, items and papers.
agenda_item_patterns: list[URLPattern] = [
    path("", manage.item, name="item"),
    path("move/", manage.item_move, name="item_move"),
    path("remove/", manage.item_remove, name="item_remove"),
]
workspace_patterns: list[URLPattern | URLResolver] = [
    path("", manage.meeting, name="meeting"),
    path("publish/", manage.agenda_publish, name="publish"),
    path("withdraw/", manage.agenda_withdraw, name="withdraw"),
    path("supplement/", manage.supplement_publish, name="supplement"),
    path("change/", manage.meeting_change, name="meeting_change"),
    path("election/", members.election, name="election"),
    path("declarations/", manage.declarations, name="declarations"),
    path("redact/", manage.redact, name="redact"),
    path("votes/<int:pk>/", manage.vote, name="vote"),
    path("questions/", questions.queue, name="questions"),
    path("questions/<int:pk>/", questions.question_decide, name="question"),
    path("agenda/", manage.agenda, name="agenda"),
    path("agenda/start/", manage.agenda_start, name="agenda_start"),
    path("agenda/sections/", manage.section_add, name="section_add"),
    path("agenda/offers/", manage.agenda_offer, name="agenda_offer"),
    path("agenda/items/<int:pk>/", include(agenda_item_patterns)),
]

manage_patterns: list[URLPattern | URLResolver] = [
    path("manage/", manage.dashboard, name="dashboard"),
    path("manage/petitions/", petitions.queue, name="petitions"),
    path("manage/petitions/<int:pk>/", petitions.petition_manage, name="petition"),
    path("manage/bodies/<slug:slug>/year/", manage.year, name="year"),
    path("manage/bodies/<slug:slug>/members/", members.members, name="members"),
    path(
        "manage/bodies/<slug:slug>/members/<int:pk>/",
        members.membership,
        name="membership",
    ),
    path(
        "manage/bodies/<slug:slug>/meetings/new/",
        manage.meeting_new,
        name="meeting_new",
    ),
    path("manage/calls-for-action/", calls.manage_list, name="calls"),
    path("manage/calls-for-action/new/", calls.manage_new, name="call_new"),
    path("manage/calls-for-action/<int:pk>/", calls.manage_call, name="call"),
    path("manage/meetings/<slug:body>/<slug:key>/", include(workspace_patterns)),
]

urlpatterns = [
    path("", include((meetings_patterns, "meetings"))),
    path("", include((manage_patterns, "manage"))),
    path("", include((feeds_patterns, "feeds"))),
]
