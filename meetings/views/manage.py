"""The clerk's workspace under /manage/: the dashboard, and each meeting's
page with what it still needs, where the agenda is published or withdrawn
after a summary of what will change.

For those who read all meeting content (`Content.MEETINGS`) of some
partnership: clerks, for their own partnerships' bodies only, and
administrators; anyone else signed in is told there is no such page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from kcsp.formatting import long_date, meeting_when
from kcsp.models import Action
from kcsp.paging import row_id, whole_number
from kcsp.permissions import reads_all
from kcsp.views import form_applied, form_errors_add, render_form
from kcsp.visibility import Content
from kcsp.workdays import local_datetime
from meetings import selectors, services
from meetings.forms import (
    AgendaItemForm,
    AgendaSectionForm,
    DeclarationForm,
    ForwardPlanForm,
    MeetingChangeForm,
    MeetingForm,
    PaperForm,
    RedactionForm,
    VoteForm,
    WithdrawAgendaForm,
    YearOfMeetingsForm,
)
from meetings.models import (
    AgendaItem,
    Declaration,
    ForwardPlanItem,
    Meeting,
    RecurringItem,
    Resolution,
)
from meetings.models.redaction import target_name

View = Callable[..., HttpResponse]


clerks = reads_all(Content.MEETINGS)


def chosen_form_applied(
    request: HttpRequest,
    *,
    button: str,
    forms: dict[str, Callable[[Any], BaseForm]],
    apply: Callable[[str, BaseForm, dict[str, Any]], tuple[str, str]],
    unknown: str,
) -> tuple[dict[str, BaseForm], HttpResponse | None]:
    """A page of several forms, one posted at a time, its name the value of
    the submit `button`: the forms by name, each made by its function, the
    one posted bound to what was typed and the others empty; and after a
    valid post, the redirect that follows `apply` (see `form_applied`),
    which is given the form's name, the form and its cleaned data. A post
    naming no form is refused with the message `unknown`."""
    posted = request.POST if request.method == "POST" else None
    chosen = posted.get(button, "") if posted is not None else ""
    made = {
        name: make(posted if name == chosen else None) for name, make in forms.items()
    }
    if posted is None:
        return made, None
    form = made.get(chosen)
    if form is None:
        messages.error(request, unknown)
        return made, None
    return made, form_applied(request, form, lambda data: apply(chosen, form, data))


def _meeting(request: HttpRequest, body: str, key: str) -> Meeting:
    return selectors.meeting_to_manage(body_slug=body, key=key, user=request.user)


def _meeting_url(meeting: Meeting) -> str:
    """The meeting's page in the workspace."""
    return reverse("manage:meeting", args=[meeting.body.slug, meeting.url_key])


@clerks
def dashboard(request: HttpRequest) -> HttpResponse:
    desks = selectors.clerk_dashboard(user=request.user)
    return render(request, "meetings/manage/dashboard.html", {"desks": desks})


@clerks
def meeting(request: HttpRequest, body: str, key: str) -> HttpResponse:
    found = _meeting(request, body, key)
    return render(
        request,
        "meetings/manage/meeting.html",
        {
            "meeting": found,
            "page": selectors.meeting_page(meeting=found, user=request.user),
            "summary": selectors.publication_summary(meeting=found),
            "waiting": list(services.papers_waiting(found)),
            "supplement_number": services.next_supplement_number(found),
        },
    )


def _publish_page(
    request: HttpRequest,
    found: Meeting,
    publish: Callable[[], tuple[str, list[str]]],
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A summary of what becomes public (`template`), then, when the clerk
    confirms, `publish`: they are told what was published, with any
    warnings, on the meeting's page, or why nothing was on this one."""
    if request.method == "POST":
        try:
            done, warnings = publish()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
            for warning in warnings:
                messages.warning(request, warning)
            return redirect(_meeting_url(found))
    return render(request, template, {"meeting": found, **context})


@clerks
@require_http_methods(["GET", "HEAD", "POST"])
def agenda_publish(request: HttpRequest, body: str, key: str) -> HttpResponse:
    """A summary of what becomes public, then publication on confirmation."""
    found = _meeting(request, body, key)

    def publish() -> tuple[str, list[str]]:
        published = services.agenda_publish(meeting=found)
        return "The agenda and its papers are published.", published.warnings

    return _publish_page(
        request,
        found,
        publish,
        "meetings/manage/publish.html",
        {"summary": selectors.publication_summary(meeting=found)},
    )


@clerks
@require_http_methods(["GET", "HEAD", "POST"])
def supplement_publish(request: HttpRequest, body: str, key: str) -> HttpResponse:
    """The papers added since the agenda, published together as the next
    supplementary agenda after a summary of them."""
    found = _meeting(request, body, key)

    def publish() -> tuple[str, list[str]]:
        supplement = services.supplement_publish(meeting=found)
        return f"{supplement} is published.", []

    return _publish_page(
        request,
        found,
        publish,
        "meetings/manage/supplement.html",
        {
            "waiting": list(services.papers_waiting(found)),
            "number": services.next_supplement_number(found),
        },
    )


@clerks
@require_http_methods(["GET", "HEAD", "POST"])
def agenda_withdraw(request: HttpRequest, body: str, key: str) -> HttpResponse:
    found = _meeting(request, body, key)
    form = WithdrawAgendaForm(request.POST or None)

    def withdraw(data: dict[str, Any]) -> tuple[str, str]:
        services.agenda_withdraw(meeting=found, reason=data["reason"])
        return "The agenda is withdrawn from public view.", _meeting_url(found)

    return form_applied(request, form, withdraw) or render_form(
        request, "meetings/manage/withdraw.html", {"meeting": found, "form": form}
    )


@dataclass
class Confirmation:
    """A change the public will see, in two steps: the form, then a summary
    of what will change, and the change only when the clerk confirms it."""

    heading: str
    subject: str
    intro: str
    # The pages above this one, as (address, name); going back leads to the last.
    crumbs: list[tuple[str, str]]
    summary: Callable[[], list[str]]
    # Makes the change; gives the message to show and where to go next.
    apply: Callable[[], tuple[str, str]]
    confirm_label: Callable[[], str]
    check: Callable[[], None] = lambda: None

    @property
    def back(self) -> str:
        return self.crumbs[-1][0]

    @classmethod
    def of_meeting(cls, meeting: Meeting, **steps: Any) -> "Confirmation":
        """A change to a meeting, reached from its workspace page."""
        meeting_page = _meeting_url(meeting)
        return cls(
            subject=f"{meeting.body.name}, {meeting_when(meeting.start)}",
            crumbs=[(meeting_page, f"{meeting.body.name}, {long_date(meeting.start)}")],
            **steps,
        )


def confirmed(request: HttpRequest, form: Any, steps: Confirmation) -> HttpResponse:
    summary: list[str] = []
    if request.method == "POST" and "edit" not in request.POST and form.is_valid():
        try:
            steps.check()
            if "confirm" in request.POST:
                message, url = steps.apply()
                messages.success(request, message)
                return redirect(url)
            summary = steps.summary()
        except ValidationError as error:
            form_errors_add(form, error)
    return render_form(
        request,
        "meetings/manage/confirm.html",
        {"form": form, "steps": steps, "summary": summary},
    )


@clerks
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_change(request: HttpRequest, body: str, key: str) -> HttpResponse:
    """Move, postpone or cancel a meeting."""
    found = _meeting(request, body, key)
    form = MeetingChangeForm(request.POST or None)

    def check() -> None:
        start = form.new_start
        if start is not None:
            services.meeting_move_check(meeting=found, start=start)
        else:
            services.meeting_cancel_check(meeting=found)

    def summary() -> list[str]:
        lines = selectors.meeting_change_summary(
            meeting=found, change=form.cleaned_data["change"], start=form.new_start
        )
        return [*lines, f"The reason shown: “{form.cleaned_data['reason']}”"]

    def apply() -> tuple[str, str]:
        reason, start = form.cleaned_data["reason"], form.new_start
        if start is not None:
            services.meeting_move(meeting=found, start=start, reason=reason)
        else:
            postpone = form.cleaned_data["change"] == form.POSTPONE
            services.meeting_cancel(meeting=found, reason=reason, postpone=postpone)
        return f"{found}: {found.get_status_display()}.", _meeting_url(found)

    labels = {
        form.MOVE: "move the meeting",
        form.POSTPONE: "postpone the meeting",
        form.CANCEL: "cancel the meeting",
    }
    return confirmed(
        request,
        form,
        Confirmation.of_meeting(
            found,
            heading="Move, postpone or cancel the meeting",
            intro="The meeting stays on the website with what happened to it and "
            "why. Nothing changes until you have checked a summary and confirmed it.",
            check=check,
            summary=summary,
            apply=apply,
            confirm_label=lambda: labels[form.cleaned_data["change"]],
        ),
    )


@clerks
@require_http_methods(["GET", "HEAD", "POST"])
def year(request: HttpRequest, slug: str) -> HttpResponse:
    """A year of a body's meetings from a pattern: the dates are shown first
    (bank holidays and days the body already meets marked), and created only
    when the clerk confirms them."""
    body = selectors.body_to_manage(slug=slug, user=request.user)
    initial = {"year": timezone.localdate().year + 1, "time": "10:00"}
    form = YearOfMeetingsForm(request.POST or None, initial=initial)
    dates: list[selectors.PlannedDate] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts = services.pattern_dates(
            year=data["year"],
            months=data["months"],
            week=data["week"],
            weekday=data["weekday"],
            time=data["time"],
        )
        if "confirm" in request.POST:
            created = services.meetings_schedule_year(
                body=body,
                starts=starts,
                venue=data["venue"],
                online=data["online"],
                webcast_url=data["webcast_url"],
            )
            messages.success(
                request,
                f"{len(created)} meeting{'s' if len(created) != 1 else ''} of "
                f"{body.name} created.",
            )
            return redirect("manage:dashboard")
        dates = selectors.planned_dates(body=body, starts=starts)
    return render_form(
        request,
        "meetings/manage/year.html",
        {"body": body, "form": form, "dates": dates},
    )


@clerks
def vote(request: HttpRequest, body: str, key: str, pk: int) -> HttpResponse:
    """The vote on one resolution of the meeting's minutes: counted, named
    (each member present) or none."""
    found = _meeting(request, body, key)
    resolution = get_object_or_404(
        Resolution.objects.select_related("minute_item__minutes").prefetch_related(
            "named_votes"
        ),
        pk=pk,
        minute_item__minutes__meeting=found,
    )
    present = services.members_present(meeting=found)
    form = VoteForm(request.POST or None, resolution=resolution, present=present)

    def record(data: dict[str, Any]) -> tuple[str, str]:
        if data["vote"] == VoteForm.COUNTED:
            services.resolution_vote_count(resolution=resolution, **form.counts())
        elif data["vote"] == VoteForm.NAMED:
            services.resolution_vote_name(
                resolution=resolution, votes=form.named_votes()
            )
        else:
            services.resolution_vote_clear(resolution=resolution)
        minute = reverse(
            "meetings:minutes_item", args=[body, key, resolution.minute_item_id]
        )
        return f"Vote on minute {resolution.minute_item.number} saved.", minute

    done = form_applied(request, form, record)
    return done or render(
        request,
        "meetings/manage/vote.html",
        {"meeting": found, "resolution": resolution, "form": form, "present": present},
        status=400 if form.errors else 200,
    )


@clerks
@require_http_methods(["GET", "HEAD", "POST"])
def declarations(request: HttpRequest, body: str, key: str) -> HttpResponse:
    """The interests declared at the meeting, and a form to record one."""
    found = _meeting(request, body, key)
    form = DeclarationForm(request.POST or None, meeting=found)
    if request.method == "POST":
        if "remove" in request.POST:
            declaration = (
                Declaration.objects.filter(meeting=found, pk=chosen).first()
                if (chosen := row_id(request.POST.get("remove")))
                else None
            )
            if declaration is not None:
                services.declaration_remove(declaration=declaration)
                messages.success(request, "Declaration removed.")
            return redirect("manage:declarations", body, key)

        def record(data: dict[str, Any]) -> tuple[str, str]:
            services.declaration_record(meeting=found, **data)
            declared = reverse("manage:declarations", args=[body, key])
            return f"Declaration by {data['person']} recorded.", declared

        done = form_applied(request, form, record)
        if done is not None:
            return done
    recorded = Declaration.objects.filter(meeting=found).select_related(
        "person", "item"
    )
    return render_form(
        request,
        "meetings/manage/declarations.html",
        {"meeting": found, "form": form, "declarations": recorded},
    )


# A meeting and its agenda --------------------------------------------------


@clerks
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_new(request: HttpRequest, slug: str) -> HttpResponse:
    """One meeting, its agenda started from the body's standard items and any
    further item titles typed, in one step; the agenda's page follows."""
    body = selectors.body_to_manage(slug=slug, user=request.user)
    form = MeetingForm(request.POST or None, initial={"time": "10:00"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start = local_datetime(data["date"], data["time"])
        with transaction.atomic():
            created = services.meeting_schedule(
                body=body,
                start=start,
                venue=data["venue"].strip(),
                online=data["online"],
                webcast_url=data["webcast_url"].strip(),
            )
            services.agenda_items_start(
                meeting=created,
                standard=data["standard_items"],
                titles=form.item_titles(),
            )
        messages.success(request, f"Meeting of {created} created.")
        return redirect("manage:agenda", body.slug, created.url_key)
    return render_form(
        request, "meetings/manage/meeting_new.html", {"body": body, "form": form}
    )


def _replace_paper(request: HttpRequest, item: AgendaItem) -> None:
    """A new version of one of the item's papers, from its row's upload."""
    chosen = row_id(request.POST.get("replace"))
    old = item.documents.filter(pk=chosen).first() if chosen else None
    upload = request.FILES.get("replacement")
    if old is None:
        messages.error(request, "That paper is no longer on this item.")
        return
    if upload is None:
        messages.error(request, f"Choose the file of the new version of {old.title}.")
        return
    try:
        new = services.paper_replace(
            document=old, upload=upload, name=upload.name or "paper", by=request.user
        )
    except ValidationError as error:
        messages.error(request, f"{old.title}: {' '.join(error.messages)}")
        return
    message = f"Version {new.version} of {new.title} added."
    if item.meeting.agenda_is_published:
        message += (
            " It replaces the published version when the next supplementary "
            "agenda is published."
        )
    messages.success(request, message)


def _item(meeting: Meeting, pk: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.select_related("section", "meeting__body"),
        meeting=meeting,
        pk=pk,
    )


def _agenda_url(meeting: Meeting, item: AgendaItem | None = None) -> str:
    url = reverse("manage:agenda", args=[meeting.body.slug, meeting.url_key])
    return f"{url}#item-{item.pk}" if item is not None else url


def _builder(
    request: HttpRequest,
    meeting: Meeting,
    *,
    item_form: AgendaItemForm | None = None,
    section_form: AgendaSectionForm | None = None,
    plan_form: ForwardPlanForm | None = None,
) -> HttpResponse:
    sections = selectors.agenda_for_clerk(meeting=meeting)
    bound = [f for f in (item_form, section_form, plan_form) if f is not None]
    return render_form(
        request,
        "meetings/manage/agenda.html",
        {
            "meeting": meeting,
            "sections": sections,
            "item_form": item_form or AgendaItemForm(meeting=meeting, with_paper=True),
            "section_form": section_form
            or AgendaSectionForm(
                initial={"letter": services.agenda_section_next_letter(meeting)}
            ),
            "plan_form": plan_form or ForwardPlanForm(),
            "offers": services.agenda_offers(meeting=meeting),
            "published": meeting.agenda_is_published,
        },
        forms=bound,
    )


@clerks
@require_http_methods(["GET", "HEAD", "POST"])
def agenda(request: HttpRequest, body: str, key: str) -> HttpResponse:
    """The agenda on one screen: its sections and items, each item's papers,
    and forms to add an item (with a paper), a section, or one of the matters
    arising and forward-plan items offered."""
    found = _meeting(request, body, key)
    if request.method != "POST":
        return _builder(request, found)
    form = AgendaItemForm(request.POST, request.FILES, meeting=found, with_paper=True)
    if form.is_valid():
        data = form.cleaned_data
        paper = data.pop("paper", None)
        try:
            with transaction.atomic():
                added = services.agenda_item_add(**data)
                if paper:
                    services.agenda_paper_add(
                        item=added, upload=paper, name=paper.name, by=request.user
                    )
        except ValidationError as error:
            if paper and not hasattr(error, "error_dict"):
                form.add_error(
                    "paper", f"{' '.join(error.messages)} Choose the file again."
                )
            else:
                form.add_error(None, error)
        else:
            messages.success(request, f"{added.reference} {added.title} added.")
            return redirect(_agenda_url(found, added))
    return _builder(request, found, item_form=form)


@clerks
@require_POST
def agenda_start(request: HttpRequest, body: str, key: str) -> HttpResponse:
    found = _meeting(request, body, key)
    try:
        added = services.agenda_start_from_template(meeting=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{len(added)} standard items added.")
    return redirect(_agenda_url(found))


@clerks
@require_POST
def section_add(request: HttpRequest, body: str, key: str) -> HttpResponse:
    found = _meeting(request, body, key)
    form = AgendaSectionForm(request.POST)
    if form.is_valid():
        try:
            section = services.agenda_section_add(
                meeting=found,
                letter=form.cleaned_data["letter"],
                title=form.cleaned_data["title"],
            )
        except ValidationError:
            form.add_error(
                "letter", "The agenda already has a section with that letter."
            )
        else:
            messages.success(request, f"Section {section} added.")
            return redirect(_agenda_url(found))
    return _builder(request, found, section_form=form)


@clerks
@require_POST
def item_move(request: HttpRequest, body: str, key: str, pk: int) -> HttpResponse:
    """Move an item one place up or down in its section, or to a place in it
    (`position`, 1-based, sent when the clerk drags the item); the section's
    items are numbered again."""
    found = _meeting(request, body, key)
    item = _item(found, pk)
    step = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    asked = request.POST.get("position", "")
    position = whole_number(asked, most=999) if len(asked) < 4 else None
    if step is not None and item.number is not None:
        position = item.number + step
    if position is not None and position != item.number:
        services.agenda_item_move(item=item, position=position)
        item.refresh_from_db()
        messages.success(request, f"{item.title} is now {item.reference}.")
    return redirect(_agenda_url(found, item))


@clerks
@require_http_methods(["GET", "HEAD", "POST"])
def item(request: HttpRequest, body: str, key: str, pk: int) -> HttpResponse:
    """One agenda item: its details to edit, and its papers with a form to
    add one."""
    found = _meeting(request, body, key)
    chosen = _item(found, pk)
    if request.method == "POST" and "replace" in request.POST:
        _replace_paper(request, chosen)
        return redirect(f"{reverse('manage:item', args=[body, key, pk])}#papers")
    section_before = chosen.section
    form = AgendaItemForm(
        request.POST if "save" in request.POST else None,
        instance=chosen,
        meeting=found,
    )
    paper_form = PaperForm(
        request.POST if "upload" in request.POST else None,
        request.FILES if "upload" in request.POST else None,
    )
    if request.method == "POST" and "save" in request.POST and form.is_valid():
        saved = services.agenda_item_save(item=form.instance, moved_from=section_before)
        messages.success(request, f"{saved.reference} {saved.title} saved.")
        return redirect(_agenda_url(found, saved))
    if request.method == "POST" and "upload" in request.POST and paper_form.is_valid():
        data = paper_form.cleaned_data
        try:
            paper = services.agenda_paper_add(
                item=chosen,
                upload=data["file"],
                name=data["file"].name,
                title=data["title"],
                kind=data["kind"],
                by=request.user,
            )
        except ValidationError as error:
            paper_form.add_error(
                "file", f"{' '.join(error.messages)} Choose the file again."
            )
        else:
            added = f"{paper.title} added to {chosen.reference}."
            if found.agenda_is_published:
                added += (
                    " The agenda is already published: the paper waits for the "
                    "next supplementary agenda, published from the meeting's page."
                )
            messages.success(request, added)
            return redirect("manage:item", body, key, chosen.pk)
    return render_form(
        request,
        "meetings/manage/item.html",
        {
            "meeting": found,
            "item": chosen,
            "form": form,
            "paper_form": paper_form,
            "papers": chosen.documents.prefetch_related("replacements").order_by(
                "order", "version", "pk"
            ),
        },
        forms=[form, paper_form],
    )


@clerks
@require_http_methods(["GET", "HEAD", "POST"])
def item_remove(request: HttpRequest, body: str, key: str, pk: int) -> HttpResponse:
    """What removing an item takes with it, then removal on confirmation."""
    found = _meeting(request, body, key)
    chosen = _item(found, pk)
    if request.method == "POST":
        try:
            services.agenda_item_remove(item=chosen)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("manage:item", body, key, chosen.pk)
        messages.success(request, f"{chosen.title} removed from the agenda.")
        return redirect(_agenda_url(found))
    return render(
        request,
        "meetings/manage/item_remove.html",
        {"meeting": found, "item": chosen, "papers": list(chosen.documents.all())},
    )


@clerks
@require_POST
def agenda_offer(request: HttpRequest, body: str, key: str) -> HttpResponse:
    """Put an offered matter arising or forward-plan item on the agenda, or
    plan a new item for this meeting."""
    found = _meeting(request, body, key)
    kind = request.POST.get("kind", "")
    reason = request.POST.get("urgency_reason", "")
    pk_number = row_id(request.POST.get("pk")) or 0
    try:
        if kind == "action":
            action = get_object_or_404(Action, pk=pk_number)
            added = services.agenda_add_action(
                meeting=found, action=action, urgency_reason=reason
            )
        elif kind == "recurring":
            recurring = get_object_or_404(RecurringItem, pk=pk_number, body=found.body)
            added = services.agenda_add_recurring(
                meeting=found, recurring=recurring, urgency_reason=reason
            )
        elif kind == "plan":
            plan = get_object_or_404(ForwardPlanItem, pk=pk_number, body=found.body)
            added = services.agenda_add_forward_plan(
                meeting=found, plan=plan, urgency_reason=reason
            )
        elif kind == "new-plan":
            plan_form = ForwardPlanForm(request.POST)
            if not plan_form.is_valid():
                return _builder(request, found, plan_form=plan_form)
            ForwardPlanItem.objects.create(
                body=found.body, meeting=found, **plan_form.cleaned_data
            )
            messages.success(request, "Added to the forward plan.")
            return redirect(_agenda_url(found))
        else:
            raise Http404("Unknown offer.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_agenda_url(found))
    messages.success(request, f"Added to the agenda as {added.reference}.")
    return redirect(_agenda_url(found, added))


@clerks
@require_http_methods(["GET", "HEAD", "POST"])
def redact(request: HttpRequest, body: str, key: str) -> HttpResponse:
    """Take a passage out of a published minute or paper: the public version
    reads "[redacted: <reason>]" in its place, after a preview of each place
    it occurs; the original is kept for administrators alone."""
    found = _meeting(request, body, key)
    form = RedactionForm(
        request.POST or None,
        minute_items=list(services.redactable_minute_items(found)),
        documents=list(services.redactable_documents(found)),
    )

    places: list[services.Found] = []

    def check() -> None:
        places[:] = services.redaction_preview(
            target=form.target,
            passage=form.cleaned_data["passage"],
            reason=form.cleaned_data["reason"],
        )

    def summary() -> list[str]:
        lines = [
            f"{place.place}{f' ({place.times} times)' if place.times > 1 else ''}: "
            f"“{place.before}” will read “{place.after}”."
            for place in places
        ]
        return [
            f"Redacting from {target_name(form.target)}.",
            *lines,
            "The public page, its PDF, site search, the feeds and the open data "
            "API will show only the redacted text, and so will the clerks' "
            "screens and the change history. Only administrators can read the "
            "original.",
        ]

    def apply() -> tuple[str, str]:
        redaction = services.redaction_apply(
            target=form.target,
            passage=form.cleaned_data["passage"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        return f"The passage is redacted from {redaction.what}.", _meeting_url(found)

    return confirmed(
        request,
        form,
        Confirmation.of_meeting(
            found,
            heading="Redact a passage",
            intro="Take a passage out of a published minute or paper, for "
            "example a name published by mistake. Nothing changes until you have "
            "checked where it occurs and confirmed.",
            check=check,
            summary=summary,
            apply=apply,
            confirm_label=lambda: "redact the passage",
        ),
    )
