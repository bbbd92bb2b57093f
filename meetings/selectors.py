"""Reads of meetings for pages, PDFs and feeds.

Every selector takes the viewer, applies the one visibility rule and returns
data with its joins already made, so a template cannot cause a query per row:
the number of queries per page does not grow with the number of items.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kcsp.formatting import long_date, meeting_when
from kcsp.models import Action
from kcsp.visibility import (
    Audience,
    Content,
    audience_of,
    exempt_grounds,
    exempt_reason,
)
from kcsp.workdays import STATUTORY_CLEAR_DAYS, clear_working_days
from meetings.models import (
    AgendaItem,
    AgendaSection,
    Attendance,
    Body,
    CallForAction,
    Declaration,
    Document,
    Meeting,
    Membership,
    MinuteItem,
    Minutes,
    NamedVote,
    Petition,
    PetitionSignature,
    PublicQuestion,
    Quorum,
    Resolution,
    ResolutionPart,
    StandardItem,
    meeting_quorum,
)
from meetings.models.petitions import PetitionQuerySet

# Bodies ---------------------------------------------------------------------


@dataclass
class BodyGroup:
    label: str
    bodies: list[Body]


def bodies_by_kind(*, user: Any) -> list[BodyGroup]:
    bodies = Body.objects.visible_to(user).order_by("kind", "order", "name")
    labels = dict(Body.Kind.choices)
    groups: dict[str, list[Body]] = defaultdict(list)
    for body in bodies:
        groups[body.kind].append(body)
    return [BodyGroup(labels[k], groups[k]) for k in Body.Kind.values if k in groups]


def body_for_page(*, slug: str, user: Any) -> Body:
    return get_object_or_404(
        Body.objects.visible_to(user).select_related("parent", "partnership"), slug=slug
    )


def body_to_manage(*, slug: str, user: Any) -> Body:
    """A body whose meetings the user runs: one of their partnerships' for a
    clerk, any for an administrator; no such page for anyone else."""
    return get_object_or_404(
        Body.objects.in_back_office(user).select_related("partnership"), slug=slug
    )


@dataclass
class MemberGroup:
    label: str
    members: list[Membership]


def members_on(*, body: Body, day: dt.date) -> list[MemberGroup]:
    """Members on `day`, by political group where the body shows them.

    Within a group the chair comes first, then the vice-chair, then others
    by surname, as councils print membership on a front sheet.
    """
    memberships = sorted(
        Membership.objects.filter(body=body)
        .on(day)
        .select_related("person", "representing")
        .order_by("person"),
        key=lambda m: m.rank,
    )
    for membership in memberships:
        membership.body = body  # For their role labels, without reading it again.
    if not body.shows_political_groups:
        return [MemberGroup("Members", memberships)] if memberships else []
    by_group: dict[str, list[Membership]] = defaultdict(list)
    for membership in memberships:
        by_group[membership.political_group or "Other members"].append(membership)
    # The largest group first, as the seeds' front sheets list them.
    ordered = sorted(by_group.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [MemberGroup(f"{label} ({len(ms)})", ms) for label, ms in ordered]


@dataclass
class BodyPage:
    body: Body
    members: list[MemberGroup]
    years: list[int]
    year: int | None
    meetings: list[Meeting]
    upcoming: list[Meeting]


def body_page(*, body: Body, user: Any, year: int | None = None) -> BodyPage:
    """A body's page: current members, upcoming meetings and one year's past."""
    meetings = Meeting.objects.visible_to(user).filter(body=body)
    years = [d.year for d in meetings.dates("start", "year", order="DESC")]
    if year not in years:
        year = years[0] if years else None
    shown = (
        list(
            meetings.filter(start__year=year)
            .order_by("-start")
            .select_related("minutes")
        )
        if year
        else []
    )
    upcoming = list(meetings.upcoming().select_related("minutes")[:5])
    for meeting in (*shown, *upcoming):
        meeting.body = body  # For their addresses, without reading it again.
    return BodyPage(
        body=body,
        members=members_on(body=body, day=timezone.localdate()),
        years=years,
        year=year,
        meetings=shown,
        upcoming=upcoming,
    )


# Meetings -------------------------------------------------------------------


def meetings_for_list(*, user: Any) -> QuerySet[Meeting]:
    return (
        Meeting.objects.visible_to(user)
        .select_related("body", "minutes")
        .order_by("-start")
    )


def upcoming_meetings(*, user: Any, limit: int = 5) -> list[Meeting]:
    return list(
        Meeting.objects.visible_to(user)
        .upcoming()
        .select_related("body", "minutes")[:limit]
    )


@dataclass
class PartnershipMeetings:
    bodies: list[Body]
    upcoming: list[Meeting]
    recent: list[Meeting]


def partnership_meetings(
    *, partnership: Any, user: Any, limit: int = 5
) -> PartnershipMeetings:
    """A partnership's bodies, its next meetings and its latest ones, as this
    reader may see them: three queries however many it has."""
    meetings = (
        Meeting.objects.visible_to(user)
        .filter(body__partnership=partnership)
        .select_related("body", "minutes")
    )
    return PartnershipMeetings(
        bodies=list(
            Body.objects.visible_to(user)
            .filter(partnership=partnership)
            .order_by("kind", "order", "name")
        ),
        upcoming=list(meetings.upcoming()[:limit]),
        recent=list(meetings.past()[:limit]),
    )


def meeting_for_page(*, body_slug: str, key: str, user: Any) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(user).select_related("body__partnership"),
        body__slug=body_slug,
        url_key=key,
    )


def meeting_to_manage(*, body_slug: str, key: str, user: Any) -> Meeting:
    """A meeting the user runs (`body_to_manage`); no such page otherwise."""
    return get_object_or_404(
        Meeting.objects.in_back_office(user).select_related("body__partnership"),
        body__slug=body_slug,
        url_key=key,
    )


class _ShowsItem(Protocol):
    @property
    def item(self) -> AgendaItem | MinuteItem: ...


class ExemptItemNotice:
    """What the public is told of an exempt agenda item or minute: the
    Schedule 12A reason and grounds, read from the item the view shows."""

    @property
    def exempt_reason(self: _ShowsItem) -> str:
        return exempt_reason(self.item.exempt_paragraph)

    @property
    def exempt_grounds(self: _ShowsItem) -> str:
        return exempt_grounds(self.item.exempt_paragraph)


@dataclass
class ItemView(ExemptItemNotice):
    item: AgendaItem
    shows_content: bool
    documents: list[Document]
    # Papers a newer version replaced, listed as superseded.
    earlier: list[Document] = field(default_factory=list)
    # On the "Public questions" item: the accepted questions.
    questions: list[PublicQuestion] = field(default_factory=list)
    # The Councillor Calls for Action the item puts before the committee.
    calls: list[CallForAction] = field(default_factory=list)


@dataclass
class SectionView:
    section: AgendaSection
    items: list[ItemView]


@dataclass
class AttendanceHeading:
    label: str
    names: list[str]

    @property
    def text(self) -> str:
        """'A, B and C' as minutes print a list of names."""
        if len(self.names) <= 1:
            return "".join(self.names)
        return ", ".join(self.names[:-1]) + " and " + self.names[-1]


@dataclass
class MinuteItemView(ExemptItemNotice):
    item: MinuteItem
    shows_content: bool
    # Under the minute of the "Public questions" item: the questions answered.
    questions: list[PublicQuestion] = field(default_factory=list)


@dataclass
class MinutesView:
    minutes: Minutes
    attendance: list[AttendanceHeading]
    declarations: list[Declaration]
    items: list[MinuteItemView]
    quorum: Quorum | None = None

    @property
    def approving_minute(self) -> MinuteItem | None:
        resolution = self.minutes.approved_by
        return resolution.minute_item if resolution else None


HEADINGS = [
    ("PRESENT", {Attendance.Kind.PRESENT, Attendance.Kind.SUBSTITUTE}),
    ("ALSO PRESENT", {Attendance.Kind.ALSO_PRESENT}),
    ("IN ATTENDANCE", {Attendance.Kind.IN_ATTENDANCE}),
    ("APOLOGIES", {Attendance.Kind.APOLOGIES}),
]


def _attendee_name(row: Attendance, roles: dict[int, Membership]) -> str:
    """'Mr Rivers (Vice-Chairman in the Chair)', 'Mr X (Substitute for Mr Y)'."""
    body = row.meeting.body
    membership = roles.get(row.person_id)
    role = membership.role if membership else None
    notes = []
    if role in {Membership.Role.CHAIR, Membership.Role.VICE_CHAIR}:
        label = body.role_label(role)
        if row.in_the_chair and role == Membership.Role.VICE_CHAIR:
            label += " in the Chair"
        notes.append(label)
    elif row.in_the_chair:
        # "Mr Rivers (Vice-Chairman in the Chair)" when the capacity says why.
        notes.append(f"{row.capacity} in the Chair" if row.capacity else "in the Chair")
    if row.kind == Attendance.Kind.SUBSTITUTE and row.substitute_for:
        notes.append(f"Substitute for {row.substitute_for.formal_name}")
    # The capacity adds to the notes unless it only repeats the chair role.
    if row.capacity and row.capacity.lower() not in " ".join(notes).lower():
        notes.append(row.capacity)
    name = row.person.formal_name
    return f"{name} ({'; '.join(notes)})" if notes else name


def attendance_headings(
    *, meeting: Meeting, rows: list[Attendance]
) -> list[AttendanceHeading]:
    """PRESENT, ALSO PRESENT, IN ATTENDANCE and APOLOGIES, in the seeds' order.

    The chair and vice-chair come first among those present, then others in
    the clerk's order.
    """
    roles = {
        m.person_id: m
        for m in Membership.objects.filter(body=meeting.body)
        .on(meeting.date)
        .filter(role__in=[Membership.Role.CHAIR, Membership.Role.VICE_CHAIR])
    }
    headings = []
    for label, kinds in HEADINGS:
        chosen = [r for r in rows if r.kind in kinds]
        chosen.sort(
            key=lambda r: (
                0 if r.in_the_chair else 1,
                roles[r.person_id].rank if r.person_id in roles else 9,
                r.order,
                r.person.surname,
            )
        )
        if chosen:
            headings.append(
                AttendanceHeading(label, [_attendee_name(r, roles) for r in chosen])
            )
    return headings


def _actions_for(audience: Audience) -> QuerySet[Any]:
    from meetings.models import ResolutionAction

    return ResolutionAction.objects.filter(
        action__in=Action.objects.for_audience(audience)
    ).order_by("pk")


def minutes_view(
    *, meeting: Meeting, audience: Audience, content_audience: Audience | None = None
) -> MinutesView | None:
    """The minutes as this audience may read them, or None if it may not.

    Exempt minute items show their number and title only to the public.
    `content_audience` lets staff preview drafts exactly as the public will
    see them once published.
    """
    content_audience = audience if content_audience is None else content_audience
    minutes = (
        Minutes.objects.for_audience(audience)
        .filter(meeting=meeting)
        .select_related("approved_by__minute_item__minutes__meeting__body")
        .prefetch_related("corrections__minute_item")
        .first()
    )
    if minutes is None:
        return None
    items = (
        MinuteItem.objects.for_audience(audience)
        .filter(minutes=minutes)
        .prefetch_related(
            "paragraphs",
            Prefetch(
                "resolutions",
                queryset=Resolution.objects.prefetch_related(
                    "parts",
                    Prefetch(
                        "named_votes",
                        queryset=NamedVote.objects.select_related("person"),
                    ),
                    Prefetch(
                        "actions",
                        queryset=_actions_for(audience).select_related(
                            "action__owner_organisation"
                        ),
                        to_attr="visible_actions",
                    ),
                ),
            ),
        )
        .order_by("order", "number")
    )
    rows = list(
        Attendance.objects.for_audience(audience)
        .filter(meeting=meeting)
        .select_related("person", "substitute_for", "meeting__body")
    )
    declarations = list(
        Declaration.objects.for_audience(audience)
        .filter(meeting=meeting)
        .select_related("person", "item")
    )
    question_items = set(
        AgendaItem.objects.filter(
            meeting=meeting, standard=StandardItem.PUBLIC_QUESTIONS
        ).values_list("pk", flat=True)
    )
    questions = accepted_questions(meeting=meeting, audience=audience)
    return MinutesView(
        minutes=minutes,
        attendance=attendance_headings(meeting=meeting, rows=rows),
        quorum=meeting_quorum(meeting, rows),
        declarations=declarations,
        items=[
            MinuteItemView(
                item=i,
                shows_content=content_audience.shows(i.visibility),
                questions=questions
                if i.agenda_item_id is not None and i.agenda_item_id in question_items
                else [],
            )
            for i in items
        ],
    )


@dataclass
class MeetingPage:
    meeting: Meeting
    audience: Audience
    agenda_visible: bool
    sections: list[SectionView] = field(default_factory=list)
    meeting_documents: list[Document] = field(default_factory=list)
    meeting_earlier: list[Document] = field(default_factory=list)
    members: list[MemberGroup] = field(default_factory=list)
    minutes: MinutesView | None = None

    @property
    def is_staff_view(self) -> bool:
        return self.audience.sees_all(Content.MEETINGS)

    @property
    def has_exempt_items(self) -> bool:
        return any(i.item.is_exempt for s in self.sections for i in s.items)


def meeting_page(*, meeting: Meeting, user: Any) -> MeetingPage:
    """The front sheet and agenda as this viewer may see them.

    Exempt items are listed with their title only unless the viewer may read
    them; their papers are never loaded for a viewer who may not.
    """
    audience = audience_of(user).within(meeting.body.partnership_id)
    agenda_visible = meeting.agenda_is_published or audience.sees_all(Content.MEETINGS)
    page = MeetingPage(
        meeting=meeting,
        audience=audience,
        agenda_visible=agenda_visible,
        members=members_on(body=meeting.body, day=meeting.date),
        minutes=minutes_view(meeting=meeting, audience=audience),
    )
    if not agenda_visible:
        return page
    documents = list(
        Document.objects.for_audience(audience)
        .filter(meeting=meeting)
        .select_related("supplement")
        .order_by("item_id", "order", "pk")
    )
    by_item: dict[int | None, list[Document]] = defaultdict(list)
    earlier: dict[int | None, list[Document]] = defaultdict(list)
    for document in documents:
        shelf = earlier if document.superseded_at is not None else by_item
        shelf[document.item_id].append(document)
    calls: dict[int | None, list[CallForAction]] = defaultdict(list)
    for call in (
        CallForAction.objects.for_audience(audience)
        .filter(agenda_item__meeting=meeting)
        .select_related("member")
    ):
        calls[call.agenda_item_id].append(call)
    sections = AgendaSection.objects.filter(meeting=meeting).prefetch_related(
        Prefetch(
            "items",
            queryset=AgendaItem.objects.for_audience(audience).order_by("number"),
        )
    )
    for section in sections:
        items = [
            ItemView(
                item=item,
                shows_content=audience.shows(item.visibility),
                documents=by_item.get(item.pk, [])
                if audience.shows(item.visibility)
                else [],
                earlier=earlier.get(item.pk, [])
                if audience.shows(item.visibility)
                else [],
                questions=accepted_questions(meeting=meeting, audience=audience)
                if item.standard == StandardItem.PUBLIC_QUESTIONS
                else [],
                calls=calls.get(item.pk, []) if audience.shows(item.visibility) else [],
            )
            for item in section.items.all()
        ]
        if items or audience.sees_all(Content.MEETINGS):
            page.sections.append(SectionView(section=section, items=items))
    page.meeting_documents = by_item.get(None, [])
    page.meeting_earlier = earlier.get(None, [])
    return page


DECISION_LIST_FIELDS = (
    "text",
    "kind",
    "order",
    "minute_item__number",
    "minute_item__title",
    "minute_item__minutes__status",
    "minute_item__minutes__meeting__start",
    "minute_item__minutes__meeting__url_key",
    "minute_item__minutes__meeting__body__name",
    "minute_item__minutes__meeting__body__slug",
)


def decisions_for_list(*, user: Any) -> QuerySet[Resolution]:
    """Resolutions of published minutes, newest meeting first (a meeting's
    together, in their minutes' order, when two meet at the same time), with
    the columns the register shows (and orders by) alone."""
    return (
        Resolution.objects.visible_to(user)
        .select_related("minute_item__minutes__meeting__body")
        .only(*DECISION_LIST_FIELDS)
        .prefetch_related(
            Prefetch(
                "parts",
                ResolutionPart.objects.only("resolution_id", "order", "text"),
            )
        )
        .order_by(
            "-minute_item__minutes__meeting__start",
            "minute_item__minutes__meeting_id",
            "minute_item__number",
            "order",
            "pk",
        )
    )


def document_for_download(*, pk: int, user: Any) -> Document:
    return get_object_or_404(
        Document.objects.visible_to(user).select_related("meeting"), pk=pk
    )


# Forward plan -------------------------------------------------------------------

NOTICE_DAYS = 28  # The committee protocol's notice to partners, and response time.


@dataclass
class PlanEntry:
    title: str
    source: str
    detail: str = ""
    notice_by: dt.date | None = None


@dataclass
class PlannedMeeting:
    meeting: Meeting
    entries: list[PlanEntry]


@dataclass
class ResponseDue:
    resolution: Resolution
    due: dt.date


@dataclass
class ForwardPlan:
    body: Body
    meetings: list[PlannedMeeting]
    responses: list[ResponseDue]
    # Planned for a meeting that was cancelled or postponed, or for none yet.
    to_reschedule: list[PlanEntry] = field(default_factory=list)


def forward_plan(*, body: Body, user: Any, limit: int = 6) -> ForwardPlan:
    """The body's work programme: what is due at each coming meeting.

    Items the clerk planned, recurring items for the meeting's month and
    actions due back at the meeting, with the date by which a partner required
    to attend must be told; and written responses due to recommendations.
    """
    audience = audience_of(user).within(body.partnership_id)
    meetings = list(
        Meeting.objects.visible_to(user)
        .filter(body=body)
        .upcoming()
        .going_ahead()[:limit]
    )
    by_meeting: dict[int | None, list[PlanEntry]] = defaultdict(list)
    recorded = _planned_items(meetings, audience, by_meeting)
    _due_actions(meetings, audience, by_meeting)
    _recurring_items(body, meetings, recorded, by_meeting)
    since = timezone.localdate() - dt.timedelta(days=NOTICE_DAYS * 3)
    recommendations = (
        Resolution.objects.for_audience(audience)
        .filter(
            kind=Resolution.Kind.RECOMMENDED,
            minute_item__minutes__meeting__body=body,
            minute_item__minutes__meeting__start__date__gte=since,
        )
        .select_related("minute_item__minutes__meeting")
    )
    return ForwardPlan(
        body=body,
        meetings=[PlannedMeeting(m, by_meeting.get(m.pk, [])) for m in meetings],
        responses=[
            ResponseDue(r, r.minute_item.minutes.meeting.date + dt.timedelta(days=28))
            for r in recommendations
        ],
        to_reschedule=_to_reschedule(body, audience),
    )


PlanEntries = dict[int | None, list[PlanEntry]]


def _planned_items(
    meetings: list[Meeting], audience: Audience, by_meeting: PlanEntries
) -> set[tuple[int, int | None]]:
    """What the clerk planned for each meeting; returns the recurring items
    already planned (meeting by meeting), which are not offered again."""
    from meetings.models import ForwardPlanItem

    plans = ForwardPlanItem.objects.filter(meeting__in=meetings).select_related(
        "partner_to_attend", "recurring"
    )
    if not audience.sees_all(Content.MEETINGS):
        plans = plans.filter(is_public=True)
    recorded = set()
    for plan in plans:
        notice = (
            plan.meeting.date - dt.timedelta(days=NOTICE_DAYS)
            if plan.partner_to_attend and plan.meeting
            else None
        )
        detail = (
            f"{plan.partner_to_attend.name} to attend or provide information"
            if plan.partner_to_attend
            else ""
        )
        by_meeting[plan.meeting_id].append(
            PlanEntry(plan.title, plan.get_source_display(), detail, notice)
        )
        if plan.recurring_id:
            recorded.add((plan.recurring_id, plan.meeting_id))
    return recorded


def _to_reschedule(body: Body, audience: Audience) -> list[PlanEntry]:
    """Items whose meeting was cancelled or postponed (or that have none):
    they stay on the plan until the clerk gives them a meeting."""
    from meetings.models import ForwardPlanItem

    plans = (
        ForwardPlanItem.objects.filter(body=body)
        .filter(Q(meeting__isnull=True) | Q(meeting__status__in=Meeting.CALLED_OFF))
        .select_related("meeting", "partner_to_attend")
        .order_by("meeting__start", "title", "pk")
    )
    if not audience.sees_all(Content.MEETINGS):
        plans = plans.filter(is_public=True)
    return [
        PlanEntry(
            plan.title,
            plan.get_source_display(),
            (
                f"planned for {long_date(plan.meeting.date)}, "
                f"{plan.meeting.get_status_display().lower()}"
                if plan.meeting
                else "not yet given a meeting"
            ),
        )
        for plan in plans
    ]


def _due_actions(
    meetings: list[Meeting], audience: Audience, by_meeting: PlanEntries
) -> None:
    from meetings.models import ResolutionAction

    links = ResolutionAction.objects.filter(
        due_meeting__in=meetings, action__in=Action.objects.for_audience(audience)
    ).select_related("action__owner_organisation")
    for link in links:
        action = link.action
        by_meeting[link.due_meeting_id].append(
            PlanEntry(
                action.title,
                "Update due from an action",
                f"{action.owner_organisation.name}; {action.source_label}",
            )
        )


def _recurring_items(
    body: Body,
    meetings: list[Meeting],
    recorded: set[tuple[int, int | None]],
    by_meeting: PlanEntries,
) -> None:
    """Recurring items for each meeting's month, once a month, unless the
    clerk already planned them."""
    from meetings.models import RecurringItem

    recurring = list(RecurringItem.objects.filter(body=body, active=True))
    seen_months: set[tuple[int, int, int]] = set()
    for meeting in meetings:
        month = (meeting.date.year, meeting.date.month)
        for item in recurring:
            key = (item.pk, *month)
            if (
                item.falls_in(*month)
                and key not in seen_months
                and (item.pk, meeting.pk) not in recorded
            ):
                seen_months.add(key)
                by_meeting[meeting.pk].append(
                    PlanEntry(item.title, "Recurring item", item.presenter)
                )


# The clerk's workspace ------------------------------------------------------------


COMING_MEETINGS = 3


@dataclass
class Task:
    """Something a clerk must do, by when, and the screen that does it."""

    label: str
    url: str
    due: dt.date | None = None
    detail: str = ""
    # Past its date: the reason says which rule it missed.
    overdue: bool = False
    reason: str = ""


@dataclass
class MeetingDesk:
    meeting: Meeting
    tasks: list[Task]


@dataclass
class BodyDesk:
    body: Body
    meetings: list[MeetingDesk]
    awaiting_sign_off: int
    sign_off_url: str
    # Published petitions past the body's threshold, on no agenda yet.
    petitions: list[Petition] = field(default_factory=list)

    @property
    def has_work(self) -> bool:
        return (
            bool(self.awaiting_sign_off)
            or bool(self.petitions)
            or any(m.tasks for m in self.meetings)
        )


def _due(task: Task, today: dt.date, rule: str) -> Task:
    if task.due is not None and task.due < today:
        task.overdue = True
        task.reason = f"{rule}: the last day was {long_date(task.due)}."
    return task


def _coming_tasks(meeting: Meeting, today: dt.date) -> list[Task]:
    from django.urls import reverse

    from kcsp.workdays import STATUTORY_CLEAR_DAYS, latest_publication_date

    here = reverse("manage:meeting", args=[meeting.body.slug, meeting.url_key])
    tasks = []
    if meeting.agenda_published_at is None:
        latest = latest_publication_date(meeting.date)
        tasks.append(
            _due(
                Task("Publish the agenda", here, due=latest),
                today,
                f"{STATUTORY_CLEAR_DAYS} clear working days before the meeting",
            )
        )
    missing = [
        item
        for item in meeting.items.all()
        if not item.standard and not item.documents.all()
    ]
    if missing:
        tasks.append(
            Task(
                f"Papers still missing: {len(missing)}",
                here,
                detail=", ".join(f"{i.reference} {i.title}" for i in missing[:5]),
            )
        )
    if meeting.agenda_published_at is not None:
        waiting = [
            paper
            for item in meeting.items.all()
            for paper in item.documents.all()
            if paper.published_at is None and paper.superseded_at is None
        ]
        if waiting:
            tasks.append(
                Task(
                    f"Papers waiting for a supplementary agenda: {len(waiting)}",
                    reverse(
                        "manage:supplement", args=[meeting.body.slug, meeting.url_key]
                    ),
                    detail=", ".join(paper.title for paper in waiting[:5]),
                )
            )
    for plan in meeting.forward_plan_items.all():
        if plan.partner_to_attend is not None:
            notice = meeting.date - dt.timedelta(days=NOTICE_DAYS)
            tasks.append(
                _due(
                    Task(
                        f"Tell {plan.partner_to_attend.name} to attend",
                        reverse("meetings:forward_plan", args=[meeting.body.slug]),
                        due=notice,
                        detail=plan.title,
                    ),
                    today,
                    f"{NOTICE_DAYS} days' notice to a partner",
                )
            )
    return tasks


def _held_tasks(meeting: Meeting, today: dt.date) -> list[Task]:
    from django.urls import reverse

    from kcsp.workdays import add_working_days

    minutes = getattr(meeting, "minutes", None)
    drafting = reverse(
        "meetings:minutes_draft", args=[meeting.body.slug, meeting.url_key]
    )
    if minutes is None or minutes.status == Minutes.Status.DRAFT:
        target = meeting.body.minutes_target_days
        return [
            _due(
                Task(
                    "Publish the draft minutes",
                    drafting,
                    due=add_working_days(meeting.date, target),
                ),
                today,
                f"The body's target of {target} working days after the meeting",
            )
        ]
    if minutes.status == Minutes.Status.PUBLISHED_DRAFT:
        return [
            Task(
                "Minutes awaiting approval at the next meeting",
                drafting,
                detail="Approve them from the next meeting's minutes.",
            )
        ]
    return []


def clerk_dashboard(*, user: Any, today: dt.date | None = None) -> list[BodyDesk]:
    """For each body the clerk serves: its coming meetings and those held in
    the last quarter, each with what is still to do and by when, and the
    actions reporting to it awaiting sign-off.

    A fixed number of queries, however many bodies and meetings."""
    from django.db.models import Count
    from django.urls import reverse
    from django.utils.http import urlencode

    from meetings.models import ForwardPlanItem

    today = today or timezone.localdate()
    since = today - dt.timedelta(days=92)
    bodies = list(
        Body.objects.in_back_office(user).active().order_by("kind", "order", "name")
    )
    meetings = (
        Meeting.objects.in_back_office(user)
        .filter(body__in=bodies, start__date__gte=since)
        .going_ahead()
        .select_related("body", "minutes")
        .prefetch_related(
            Prefetch(
                "items", queryset=AgendaItem.objects.prefetch_related("documents")
            ),
            Prefetch(
                "forward_plan_items",
                queryset=ForwardPlanItem.objects.select_related("partner_to_attend"),
            ),
        )
        .order_by("start")
    )
    by_body: dict[int, list[MeetingDesk]] = defaultdict(list)
    coming: Counter[int] = Counter()
    for meeting in meetings:
        held = meeting.date < today
        if held:
            tasks = _held_tasks(meeting, today)
            if not tasks:
                continue
        else:
            # The next three meetings of each body.
            coming[meeting.body_id] += 1
            if coming[meeting.body_id] > COMING_MEETINGS:
                continue
            tasks = _coming_tasks(meeting, today)
        by_body[meeting.body_id].append(MeetingDesk(meeting, tasks))
    waiting = dict(
        Action.objects.in_back_office(user)
        .filter(status=Action.Status.COMPLETE)
        .values("reports_to")
        .annotate(n=Count("pk"))
        .values_list("reports_to", "n")
    )
    petitioned = petitions_at_threshold(user=user, bodies=bodies)
    return [
        BodyDesk(
            body=body,
            meetings=by_body.get(body.pk, []),
            awaiting_sign_off=waiting.get(body.name, 0),
            sign_off_url=reverse("kcsp:actions")
            + "?"
            + urlencode({"status": Action.Status.COMPLETE, "reports_to": body.name}),
            petitions=petitioned.get(body.pk, []),
        )
        for body in bodies
    ]


@dataclass
class PublicationSummary:
    """What publishing a meeting's agenda makes public, checked first."""

    meeting: Meeting
    public_items: list[AgendaItem]
    exempt_items: list[AgendaItem]
    papers: list[Document]
    withheld_papers: list[Document]
    missing: list[AgendaItem]
    clear_days: int
    warning: str | None


def publication_summary(
    *, meeting: Meeting, today: dt.date | None = None
) -> PublicationSummary:
    """The confirmation a clerk reads before publishing an agenda: the items
    and papers that become public, the exempt items (title and paragraph
    only), papers that stay private, items still without papers, and the
    clear-days check."""
    from kcsp.workdays import clear_working_days
    from meetings.services.agendas import publication_notice

    today = today or timezone.localdate()
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("section")
        .prefetch_related("documents")
        .order_by("section__order", "section__letter", "number")
    )
    documents = list(
        Document.objects.filter(meeting=meeting).select_related("item").order_by("pk")
    )
    public_item_ids = {i.pk for i in items if not i.is_exempt}
    papers = [
        d
        for d in documents
        if d.visibility == "public"
        and (d.item_id is None or d.item_id in public_item_ids)
    ]
    return PublicationSummary(
        meeting=meeting,
        public_items=[i for i in items if not i.is_exempt],
        exempt_items=[i for i in items if i.is_exempt],
        papers=papers,
        withheld_papers=[d for d in documents if d not in papers],
        missing=[i for i in items if not i.standard and not i.documents.all()],
        clear_days=clear_working_days(today, meeting.date),
        warning=publication_notice(meeting, today),
    )


@dataclass
class PlannedDate:
    start: dt.datetime
    bank_holiday: bool
    taken: bool


def planned_dates(*, body: Body, starts: list[dt.datetime]) -> list[PlannedDate]:
    """The dates of a planned year, each marked if it is a bank holiday or a
    day the body already meets (those are not created again)."""
    from kcsp.workdays import is_bank_holiday

    taken = {
        timezone.localtime(start).date()
        for start in Meeting.objects.filter(body=body).values_list("start", flat=True)
    }
    return [
        PlannedDate(
            start=start,
            bank_holiday=is_bank_holiday(timezone.localtime(start).date()),
            taken=timezone.localtime(start).date() in taken,
        )
        for start in starts
    ]


def agenda_for_clerk(*, meeting: Meeting) -> list[AgendaSection]:
    """The agenda's sections in order, each with its items (as
    `section.ordered_items`) and each item's papers, in a fixed number of
    queries however long the agenda."""
    return list(
        AgendaSection.objects.filter(meeting=meeting)
        .order_by("order", "letter")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=AgendaItem.objects.order_by("number", "pk").prefetch_related(
                    Prefetch(
                        "documents", queryset=Document.objects.order_by("order", "pk")
                    )
                ),
                to_attr="ordered_items",
            )
        )
    )


# Moving and cancelling ----------------------------------------------------


def meeting_change_summary(
    *, meeting: Meeting, change: str, start: dt.datetime | None
) -> list[str]:
    """What moving (to `start`), postponing or cancelling the meeting will
    change, for the clerk to confirm."""
    if start is not None:
        lines = [
            f"The meeting moves from {meeting_when(meeting.start)} to "
            f"{meeting_when(start)}. Its public page says it was moved and why, "
            "its address follows the new date (the old address leads there) "
            "and calendar subscribers see the new time."
        ]
        same_day = (
            Meeting.objects.filter(
                body=meeting.body, start__date=timezone.localdate(start)
            )
            .exclude(pk=meeting.pk)
            .going_ahead()
        )
        if same_day.exists():
            lines.append(
                f"{meeting.body.name} already meets on {long_date(start)}: "
                "check that two meetings that day are meant."
            )
        if meeting.agenda_published_at is not None:
            published = timezone.localdate(meeting.agenda_published_at)
            clear = clear_working_days(published, timezone.localdate(start))
            short = clear < STATUTORY_CLEAR_DAYS
            lines.append(
                f"The agenda stays published ({long_date(published)}): "
                f"{clear} clear working day{'s' if clear != 1 else ''} before "
                "the new date"
                + (", fewer than the five the law asks for." if short else ".")
            )
        return lines
    label = "postponed" if change == "postpone" else "cancelled"
    lines = [
        f"The meeting on {meeting_when(meeting.start)} stays on the website, "
        f"marked as {label} with your reason; calendar subscribers see it "
        "cancelled."
    ]
    planned = meeting.forward_plan_items.count()
    if planned:
        lines.append(
            f"{planned} forward plan item{'s' if planned != 1 else ''} planned for "
            "it will be listed as to be rescheduled."
        )
    if meeting.agenda_published_at is not None:
        lines.append("Its published agenda and papers stay readable.")
    return lines


def meeting_moved(*, body_slug: str, key: str, user: Any) -> Meeting | None:
    """The meeting that once had this address and has since moved to a new
    date, if the viewer may see it."""
    former = (
        Meeting.history.filter(body__slug=body_slug, url_key=key)
        .values_list("id", flat=True)
        .first()
    )
    if former is None:
        return None
    found = Meeting.objects.visible_to(user).select_related("body").filter(pk=former)
    return found.exclude(url_key=key).first()


def election_summary(*, meeting: Meeting, elected: dict[str, Any]) -> list[str]:
    """What electing these people (by role: "chair", "vice_chair") at the
    annual meeting changes, for the clerk to confirm."""
    body, day = meeting.body, meeting.date
    holders = {
        (m.role, m.person_id): m.person
        for m in body.memberships.on(day).select_related("person")
    }
    lines = []
    for role, person in elected.items():
        if person is None:
            continue
        label = body.role_label(role)
        lines.append(f"{person.formal_name} is {label} from {long_date(day)}.")
        lines += [
            f"{holder.formal_name} stays a member; their time as {label} ends "
            "the day before."
            for (held, pk), holder in holders.items()
            if held == role and pk != person.pk
        ]
    lines.append(
        "The minutes gain a first item recording the election as a resolution; "
        "the numbers of the other items move on by one."
    )
    return lines


def accepted_questions(*, meeting: Meeting, audience: Audience) -> list[PublicQuestion]:
    """The meeting's accepted public questions this audience may read, each
    with the questions grouped with it (answered together)."""
    return list(
        PublicQuestion.objects.for_audience(audience)
        .filter(meeting=meeting, status=PublicQuestion.Status.ACCEPTED)
        .select_related("grouped_with")
        .order_by("created_at", "pk")
    )


@dataclass
class PastQuestion:
    question: PublicQuestion
    answered: bool


def questions_page(
    *, body: Body, user: Any
) -> list[tuple[Meeting, list[PastQuestion]]]:
    """A body's accepted questions by meeting, newest first, each with its
    answer once that meeting's minutes may be read."""
    audience = audience_of(user).within(body.partnership_id)
    questions = (
        PublicQuestion.objects.for_audience(audience)
        .filter(meeting__body=body, status=PublicQuestion.Status.ACCEPTED)
        .select_related("meeting__body", "grouped_with")
        .order_by("-meeting__start", "created_at", "pk")
    )
    minuted = set(
        Minutes.objects.for_audience(audience)
        .filter(meeting__body=body)
        .values_list("meeting_id", flat=True)
    )
    by_meeting: dict[int, tuple[Meeting, list[PastQuestion]]] = {}
    for question in questions:
        meeting = question.meeting
        entry = by_meeting.setdefault(meeting.pk, (meeting, []))
        entry[1].append(
            PastQuestion(
                question=question,
                answered=meeting.pk in minuted and bool(question.answer_text),
            )
        )
    return list(by_meeting.values())


def question_meetings(*, body: Body, user: Any, today: dt.date) -> list[Meeting]:
    """The body's upcoming meetings still before their question deadline."""
    from meetings.services.questions import questions_open

    meetings = list(
        Meeting.objects.visible_to(user)
        .filter(body=body)
        .upcoming()
        .select_related("body")
    )
    return questions_open(meetings, today)


@dataclass
class QuestionQueue:
    meeting: Meeting
    waiting: list[PublicQuestion]
    accepted: list[PublicQuestion]
    rejected: list[PublicQuestion]
    unconfirmed: int


def question_queue(*, meeting: Meeting) -> QuestionQueue:
    """The clerk's queue for one meeting: confirmed questions to decide, and
    those decided; unconfirmed ones only counted."""
    rows = list(
        PublicQuestion.objects.filter(meeting=meeting)
        .select_related("grouped_with")
        .order_by("created_at", "pk")
    )
    Status = PublicQuestion.Status
    return QuestionQueue(
        meeting=meeting,
        waiting=[q for q in rows if q.status == Status.CONFIRMED],
        accepted=[q for q in rows if q.status == Status.ACCEPTED],
        rejected=[q for q in rows if q.status == Status.REJECTED],
        unconfirmed=sum(1 for q in rows if q.status == Status.UNCONFIRMED),
    )


# Councillor Calls for Action -------------------------------------------------

CALL_JOINS = ("body", "member", "agenda_item__meeting__body")


def calls_for_list(*, user: Any) -> QuerySet[CallForAction]:
    """The calls this reader may read, those most recently considered first."""
    audience = audience_of(user)
    return (
        CallForAction.objects.for_audience(audience)
        .select_related(*CALL_JOINS)
        .order_by("-agenda_item__meeting__start", "-received_on", "-pk")
    )


def _one_call(calls: QuerySet[CallForAction], pk: int) -> CallForAction:
    return get_object_or_404(calls.select_related(*CALL_JOINS), pk=pk)


def call_for_page(*, pk: int, user: Any) -> CallForAction:
    return _one_call(CallForAction.objects.visible_to(user), pk)


def calls_to_manage(*, user: Any) -> list[CallForAction]:
    """Every call to the bodies the user runs (`body_to_manage`)."""
    return list(
        CallForAction.objects.in_back_office(user)
        .select_related(*CALL_JOINS)
        .order_by("-received_on", "-pk")
    )


def call_to_manage(*, pk: int, user: Any) -> CallForAction:
    """A call to a body the user runs; no such page otherwise."""
    return _one_call(CallForAction.objects.in_back_office(user), pk)


def call_agenda_choices(
    *, call: CallForAction
) -> tuple[list[AgendaItem], list[Meeting]]:
    """Where a call may be put before its committee: the items of the
    committee's meetings since the call was received, and those meetings
    whose agenda is not yet published (to add an item to)."""
    since = call.received_on
    items = list(
        AgendaItem.objects.filter(
            meeting__body_id=call.body_id, meeting__start__date__gte=since
        )
        .select_related("meeting")
        .order_by("meeting__start", "section__order", "section__letter", "number")
    )
    meetings = list(
        Meeting.objects.filter(
            body_id=call.body_id,
            start__date__gte=since,
            agenda_published_at__isnull=True,
        )
        .going_ahead()
        .order_by("start")
    )
    return items, meetings


# Petitions ------------------------------------------------------------------


def _counted(petitions: PetitionQuerySet) -> QuerySet[Any]:
    """Petitions with `signed`, the count of confirmed signatures only."""
    return petitions.with_counts().select_related("body", "agenda_item")


def petitions_for_list(*, user: Any) -> QuerySet[Petition]:
    """Published petitions the user may read (any reader: the list shows no
    petition before the clerk has published it), newest first."""
    return _counted(
        Petition.objects.visible_to(user).filter(status__in=Petition.PUBLISHED)
    ).order_by("-opens_on", "-pk")


def petition_for_page(*, pk: int, user: Any) -> Petition:
    return get_object_or_404(
        petitions_for_list(user=user).select_related("agenda_item__meeting__body"),
        pk=pk,
    )


def petition_bodies(*, user: Any) -> list[Body]:
    """The bodies a petition can be started to."""
    return list(
        Body.objects.visible_to(user)
        .active()
        .filter(accepts_petitions=True)
        .order_by("name")
    )


def petition_queue(*, user: Any) -> QuerySet[Petition]:
    """The petitions of the clerk's partnerships (every one for an
    administrator), those awaiting checking first; unconfirmed ones never."""
    from django.db.models import Case, IntegerField, Value, When

    first = Case(
        When(status=Petition.Status.CHECKING, then=Value(0)),
        When(status=Petition.Status.OPEN, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        _counted(
            Petition.objects.in_back_office(user).exclude(
                status=Petition.Status.UNCONFIRMED
            )
        )
        .annotate(first=first)
        .order_by("first", "-confirmed_at", "-pk")
    )


def petition_to_manage(*, pk: int, user: Any) -> Petition:
    return get_object_or_404(petition_queue(user=user), pk=pk)


def petition_meetings(*, petition: Petition, today: dt.date) -> list[Meeting]:
    """Coming meetings of the petitioned body, for its agenda."""
    return list(
        Meeting.objects.filter(body_id=petition.body_id, start__date__gte=today)
        .going_ahead()
        .select_related("body")
        .order_by("start")
    )


def petition_signatures(*, petition: Petition) -> list[PetitionSignature]:
    """The confirmed signatures, for the clerk."""
    return list(
        PetitionSignature.objects.filter(
            petition=petition, confirmed_at__isnull=False
        ).order_by("confirmed_at", "pk")
    )


def petitions_at_threshold(
    *, user: Any, bodies: list[Body]
) -> dict[int, list[Petition]]:
    """By body: published petitions with at least the body's threshold of
    confirmed signatures that are on no agenda yet."""
    from django.db.models import F

    found: dict[int, list[Petition]] = defaultdict(list)
    petitions = _counted(
        Petition.objects.in_back_office(user).filter(
            body__in=bodies,
            status__in=Petition.PUBLISHED,
            agenda_item__isnull=True,
        )
    ).filter(signed__gte=F("body__petition_threshold"))
    for petition in petitions.order_by("-signed", "pk"):
        found[petition.body_id].append(petition)
    return found
