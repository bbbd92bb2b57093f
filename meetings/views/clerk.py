"""The clerk's screens for drafting the minutes.

Works as plain forms without JavaScript; `static/js/minutes-editor.js` adds
autosave and in-page paragraph controls on top. Nothing typed is lost: a save
that conflicts with someone else's keeps both texts, and a save made after
the session expired is kept in the session and offered again after signing in.
"""

import functools
import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kcsp.diff import diff_lines
from kcsp.formatting import clock
from kcsp.paging import row_id
from kcsp.visibility import Audience, Content, audience_of
from meetings import selectors, services
from meetings.forms import (
    AddAttendeeForm,
    AttendanceFormSet,
    EditorData,
    ResolutionActionForm,
    content_lines,
)
from meetings.models import (
    Attendance,
    Meeting,
    MinuteItem,
    MinuteItemRevision,
    Minutes,
    Resolution,
    meeting_quorum,
)

KEPT = "kcsp-kept-posts"
# A minute item's text is a few thousand characters; a post far larger than
# that is not a clerk's draft and is not kept in the session.
KEPT_DRAFT_MAX_BYTES = 200_000
# Drafts kept in one session, newest first; older ones give way.
KEPT_DRAFTS = 3

View = Callable[..., HttpResponse]


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Autosave") == "1"


def clerk_only(view: View) -> View:
    """Those who run meetings (as `reads_all(Content.MEETINGS)` lets in), with
    a signed-out autosave answered in JSON; anyone else gets sign-in or a 404."""

    @functools.wraps(view)
    def wrapper(
        request: HttpRequest, body: str, key: str, **kwargs: Any
    ) -> HttpResponse:
        if not request.user.is_authenticated:
            if request.method == "POST" and _wants_json(request):
                return JsonResponse(
                    {"signed_out": True, "login_url": reverse("login")}, status=401
                )
            return redirect_to_login(request.get_full_path())
        if not audience_of(request.user).manages(Content.MEETINGS):
            raise Http404("No such page.")
        meeting = selectors.meeting_to_manage(
            body_slug=body, key=key, user=request.user
        )
        return view(request, meeting, **kwargs)

    return wrapper


def keeps_signed_out_drafts(view: View) -> View:
    """A minute item's text posted after the session expired is kept in the
    (new, anonymous) session, so the editor can offer it again once the
    clerk signs back in.

    Anyone can post while signed out, so what is kept is bounded: only the
    editor's fields, only for a minute item of the meeting in the address,
    at most KEPT_DRAFT_MAX_BYTES, the newest KEPT_DRAFTS per session. A post
    refused by the CSRF check never reaches this (the middleware answers it
    before any view).
    """

    @functools.wraps(view)
    def wrapper(
        request: HttpRequest, body: str, key: str, pk: int, **kwargs: Any
    ) -> HttpResponse:
        if request.method == "POST" and not request.user.is_authenticated:
            _keep_draft(request, body=body, key=key, pk=pk)
        return view(request, body, key, pk=pk, **kwargs)

    return wrapper


def _keep_draft(request: HttpRequest, *, body: str, key: str, pk: int) -> None:
    exists = MinuteItem.objects.filter(
        pk=pk, minutes__meeting__body__slug=body, minutes__meeting__url_key=key
    ).exists()
    if not exists:
        return
    draft = EditorData.from_post(request.POST).as_post()
    if len(json.dumps(draft)) > KEPT_DRAFT_MAX_BYTES:
        return
    kept = request.session.get(KEPT, {})
    kept.pop(request.path, None)
    kept[request.path] = draft
    request.session[KEPT] = dict(list(kept.items())[-KEPT_DRAFTS:])


def _kept_post(request: HttpRequest) -> dict[str, Any] | None:
    kept = request.session.get(KEPT, {})
    data = kept.pop(request.path, None)
    if data is not None:
        request.session[KEPT] = kept
    return data


# Overview ---------------------------------------------------------------------------


def _approval_candidates(meeting: Meeting) -> list[Resolution]:
    """Resolutions of later meetings of the body that could approve these."""
    return list(
        Resolution.objects.filter(
            minute_item__minutes__meeting__body=meeting.body,
            minute_item__minutes__meeting__start__gt=meeting.start,
            approved_minutes__isnull=True,
        )
        .filter(Q(kind=Resolution.Kind.APPROVED) | Q(text__icontains="minutes"))
        .select_related("minute_item__minutes__meeting")
        .order_by("minute_item__minutes__meeting__start", "minute_item__number")[:20]
    )


def _overview_context(meeting: Meeting, formset: Any = None) -> dict[str, Any]:
    minutes = services.minutes_for(meeting)
    items = list(minutes.items.order_by("order", "number")) if minutes else []
    attendance = Attendance.objects.filter(meeting=meeting).select_related(
        "person", "substitute_for"
    )
    return {
        "meeting": meeting,
        "minutes": minutes,
        "items": items,
        "staged_items": [item for item in items if item.staged],
        "formset": formset or AttendanceFormSet(queryset=attendance, prefix="att"),
        "add_form": AddAttendeeForm(meeting=meeting, prefix="add"),
        "candidates": _approval_candidates(meeting) if minutes else [],
        "has_agenda": meeting.items.exists(),
        "quorum": meeting_quorum(meeting, attendance),
        "unrecorded": sum(
            row.kind == Attendance.Kind.NOT_RECORDED for row in attendance
        ),
        "next_number": services.next_minute_number(meeting=meeting),
    }


@clerk_only
def overview(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    return render(
        request, "meetings/drafting/overview.html", _overview_context(meeting)
    )


def _overview(meeting: Meeting) -> HttpResponse:
    return redirect("meetings:minutes_draft", meeting.body.slug, meeting.url_key)


def _refuse(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _change(
    request: HttpRequest,
    meeting: Meeting,
    change: Callable[[], object],
    done: str = "",
) -> HttpResponse:
    """Make a change to the minutes and go back to the overview, saying it is
    done (`done`, when given) or why it was refused."""
    try:
        change()
    except ValidationError as error:
        _refuse(request, error)
    else:
        if done:
            messages.success(request, done)
    return _overview(meeting)


@require_POST
@clerk_only
def start(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    try:
        first = int(request.POST.get("first_number") or 0) or None
    except ValueError:
        messages.error(
            request, "Enter the first minute number as a whole number, for example 51."
        )
        return _overview(meeting)
    return _change(
        request,
        meeting,
        lambda: services.minutes_start_from_agenda(
            meeting=meeting, by=request.user, first_number=first
        ),
        done="Minutes started from the agenda.",
    )


@require_POST
@clerk_only
def attendance(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    if "mark-present" in request.POST:
        count = services.attendance_mark_present(meeting=meeting)
        messages.success(
            request,
            f"{count} {'person' if count == 1 else 'people'} recorded as present.",
        )
        return _overview(meeting)
    if "add-person" in request.POST:
        add = AddAttendeeForm(request.POST, meeting=meeting, prefix="add")
        if add.is_valid():
            Attendance.objects.create(
                meeting=meeting,
                person=add.cleaned_data["person"],
                kind=add.cleaned_data["kind"],
                order=meeting.attendance.count(),
            )
            messages.success(request, f"{add.cleaned_data['person']} added.")
        else:
            messages.error(request, "Choose a person and how they attended.")
        return _overview(meeting)
    formset = AttendanceFormSet(
        request.POST, queryset=Attendance.objects.filter(meeting=meeting), prefix="att"
    )
    if formset.is_valid():
        chairs = [
            f
            for f in formset.forms
            if f.cleaned_data.get("in_the_chair") and not f.cleaned_data.get("DELETE")
        ]
        if len(chairs) > 1:
            messages.error(request, "Only one person can be in the chair.")
        else:
            # Clear the chair first so the one-chair rule holds at every step.
            Attendance.objects.filter(meeting=meeting, in_the_chair=True).exclude(
                pk__in=[f.instance.pk for f in chairs]
            ).update(in_the_chair=False)
            formset.save()
            messages.success(request, "Attendance saved.")
            return _overview(meeting)
    else:
        messages.error(
            request,
            "Attendance was not saved: "
            + "; ".join(
                " ".join(str(e) for errs in f.errors.values() for e in errs)
                for f in formset.forms
                if f.errors
            ),
        )
    return render(
        request,
        "meetings/drafting/overview.html",
        _overview_context(meeting, formset),
        status=400,
    )


@require_POST
@clerk_only
def publish_staged(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """Publish the changes saved without publishing, listed on the minutes'
    page beside this button."""
    minutes = get_object_or_404(Minutes, meeting=meeting)
    try:
        published = services.minutes_publish_staged(minutes=minutes, by=request.user)
    except services.EditConflict as conflict:
        messages.error(
            request,
            f"{conflict} Open minute {conflict.item.number}, combine the two texts "
            "and save; nothing was published.",
        )
    else:
        numbers = ", ".join(str(item.number) for item in published)
        messages.success(request, f"Published the saved changes to minute {numbers}.")
    return _overview(meeting)


@require_POST
@clerk_only
def publish(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    minutes = get_object_or_404(Minutes, meeting=meeting)
    return _change(
        request,
        meeting,
        lambda: services.minutes_publish_draft(minutes=minutes),
        done="Published as draft minutes, subject to approval.",
    )


@require_POST
@clerk_only
def approve(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    minutes = get_object_or_404(Minutes, meeting=meeting)
    chosen = row_id(request.POST.get("resolution"))
    resolution = Resolution.objects.filter(pk=chosen).first() if chosen else None
    if resolution is None:
        messages.error(request, "Choose the resolution that approved these minutes.")
        return _overview(meeting)
    return _change(
        request,
        meeting,
        lambda: services.minutes_approve(minutes=minutes, resolution=resolution),
        done="Minutes marked approved. Their text is now frozen.",
    )


@require_POST
@clerk_only
def item_add(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    minutes = get_object_or_404(Minutes, meeting=meeting)
    try:
        item = services.minute_item_add(
            minutes=minutes, title=request.POST.get("title", ""), by=request.user
        )
    except ValidationError as error:
        _refuse(request, error)
        return _overview(meeting)
    return redirect(_item_url(item))


@require_POST
@clerk_only
def item_move(request: HttpRequest, meeting: Meeting, pk: int) -> HttpResponse:
    item = get_object_or_404(MinuteItem, pk=pk, minutes__meeting=meeting)
    position = item.order + (2 if request.POST.get("direction") == "down" else 0)
    return _change(
        request,
        meeting,
        lambda: services.minute_item_move(item=item, position=max(1, position)),
    )


@clerk_only
def item_delete(request: HttpRequest, meeting: Meeting, pk: int) -> HttpResponse:
    item = get_object_or_404(MinuteItem, pk=pk, minutes__meeting=meeting)
    if request.method == "POST":
        return _change(
            request,
            meeting,
            lambda: services.minute_item_delete(item=item),
            done=f"Minute {item.number} deleted; later items renumbered.",
        )
    return render(
        request, "meetings/drafting/delete.html", {"meeting": meeting, "item": item}
    )


# The item editor --------------------------------------------------------------------


def _item_url(item: MinuteItem) -> str:
    meeting = item.minutes.meeting
    return reverse(
        "meetings:minutes_item", args=[meeting.body.slug, meeting.url_key, item.pk]
    )


def _editor(
    request: HttpRequest,
    meeting: Meeting,
    item: MinuteItem,
    data: EditorData,
    *,
    theirs: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "meetings/drafting/item.html",
        {
            "meeting": meeting,
            "item": item,
            "data": data,
            "theirs": theirs,
            "theirs_lines": content_lines(theirs) if theirs else [],
            "kinds": Resolution.Kind.choices,
            "frozen": item.minutes.is_frozen,
            "public_draft": item.minutes.status == Minutes.Status.PUBLISHED_DRAFT,
            "revisions": item.revisions.order_by("-version")[:20],
            "actions": _item_actions(item),
            "action_form": ResolutionActionForm(item=item),
        },
        status=status,
    )


@keeps_signed_out_drafts
@clerk_only
def item_edit(request: HttpRequest, meeting: Meeting, pk: int) -> HttpResponse:
    item = get_object_or_404(
        MinuteItem.objects.select_related("minutes__meeting__body"),
        pk=pk,
        minutes__meeting=meeting,
    )
    if request.method != "POST":
        kept = _kept_post(request)
        if kept is not None:
            messages.warning(
                request,
                "You were signed out before your last changes were saved. They are "
                "shown below: check them and save.",
            )
            return _editor(request, meeting, item, EditorData.from_post(kept))
        if item.staged:
            staged = EditorData.from_content(item.staged["version"], item.staged)
            return _editor(request, meeting, item, staged)
        return _editor(request, meeting, item, EditorData.from_item(item))

    data = EditorData.from_post(request.POST)
    action = request.POST.get("action", "save")
    if action not in {"save", "stage"}:
        if not data.apply(action):
            data.errors["form"] = ["That button did not work; try again."]
        return _editor(request, meeting, item, data)
    if not data.validate():
        if _wants_json(request):
            return JsonResponse({"ok": False, "errors": data.errors}, status=400)
        return _editor(request, meeting, item, data, status=400)
    if item.minutes.is_frozen:
        return _correct(request, meeting, item, data)
    if action == "stage":
        return _stage(request, meeting, item, data)
    try:
        saved = services.minute_item_save(
            item=item,
            version=data.version,
            title=data.title,
            paragraphs=data.paragraphs,
            resolutions=data.resolution_inputs(),
            by=request.user,
        )
    except services.EditConflict as conflict:
        message = (
            f"{conflict} Your text has not been saved yet: it is still in the "
            "form below, and the version now saved is shown beside it. Combine "
            "them and save again."
        )
        if _wants_json(request):
            return JsonResponse(
                {"ok": False, "conflict": True, "message": message}, status=409
            )
        messages.error(request, message)
        data.version = conflict.item.version
        return _editor(
            request, meeting, item, data, theirs=conflict.current, status=409
        )
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse({"ok": False, "errors": error.messages}, status=400)
        data.errors["form"] = error.messages
        return _editor(request, meeting, item, data, status=400)
    if _wants_json(request):
        return JsonResponse(
            {"ok": True, "version": saved.version, "saved_at": clock(saved.updated_at)}
        )
    messages.success(request, f"Minute {saved.number} saved.")
    return redirect(_item_url(saved))


def _stage(
    request: HttpRequest, meeting: Meeting, item: MinuteItem, data: EditorData
) -> HttpResponse:
    try:
        services.minute_item_stage(
            item=item,
            version=data.version,
            title=data.title,
            paragraphs=data.paragraphs,
            resolutions=data.resolution_inputs(),
        )
    except ValidationError as error:
        data.errors["form"] = error.messages
        return _editor(request, meeting, item, data, status=400)
    messages.success(
        request,
        f"Minute {item.number} saved without publishing: the public still reads "
        "the earlier text until you publish the saved changes from the minutes' "
        "page.",
    )
    return redirect(_item_url(item))


def _correct(
    request: HttpRequest, meeting: Meeting, item: MinuteItem, data: EditorData
) -> HttpResponse:
    reason = request.POST.get("reason", "").strip()
    if not reason:
        data.errors["reason"] = [
            "These minutes are approved: say why they are corrected."
        ]
        return _editor(request, meeting, item, data, status=400)
    try:
        services.minutes_correct(
            item=item,
            title=data.title,
            paragraphs=data.paragraphs,
            resolutions=data.resolution_inputs(),
            reason=reason,
            by=request.user,
        )
    except ValidationError as error:
        data.errors["form"] = error.messages
        return _editor(request, meeting, item, data, status=400)
    messages.success(request, "Correction recorded; it is shown with the minutes.")
    return redirect(_item_url(item))


@clerk_only
def preview(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """The minutes exactly as the public will see them once published."""
    view = selectors.minutes_view(
        meeting=meeting, audience=Audience.CLERK, content_audience=Audience.PUBLIC
    )
    if view is None:
        raise Http404("No minutes yet.")
    return render(
        request, "meetings/drafting/preview.html", {"meeting": meeting, "mv": view}
    )


@clerk_only
def item_compare(request: HttpRequest, meeting: Meeting, pk: int) -> HttpResponse:
    item = get_object_or_404(MinuteItem, pk=pk, minutes__meeting=meeting)
    revisions = list(item.revisions.order_by("version"))
    if not revisions:
        raise Http404("No versions to compare.")
    by_version = {r.version: r for r in revisions}

    def pick(name: str, default: MinuteItemRevision) -> MinuteItemRevision:
        try:
            return by_version[int(request.GET.get(name, ""))]
        except (KeyError, ValueError):
            return default

    older = pick("a", revisions[-2] if len(revisions) > 1 else revisions[0])
    newer = pick("b", revisions[-1])
    return render(
        request,
        "meetings/drafting/compare.html",
        {
            "meeting": meeting,
            "item": item,
            "revisions": revisions,
            "older": older,
            "newer": newer,
            "lines": diff_lines(
                content_lines(older.content), content_lines(newer.content)
            ),
        },
    )


# Actions from a minute and building the next agenda -------------------------------


def _item_actions(item: MinuteItem) -> list[Any]:
    from meetings.models import ResolutionAction

    return list(
        ResolutionAction.objects.filter(resolution__minute_item=item).select_related(
            "action__owner_organisation", "part", "due_meeting"
        )
    )


@require_POST
@clerk_only
def item_action_create(request: HttpRequest, meeting: Meeting, pk: int) -> HttpResponse:
    from meetings.models import ResolutionPart

    item = get_object_or_404(MinuteItem, pk=pk, minutes__meeting=meeting)
    form = ResolutionActionForm(request.POST, item=item)
    if form.is_valid():
        source = form.cleaned_data["source"]
        part = None
        if source.startswith("p"):
            part = get_object_or_404(
                ResolutionPart, pk=source[1:], resolution__minute_item=item
            )
            resolution = part.resolution
        else:
            resolution = get_object_or_404(Resolution, pk=source[1:], minute_item=item)
        try:
            link = services.resolution_action_create(
                resolution=resolution,
                part=part,
                owner_organisation=form.cleaned_data["owner"],
                at_next_meeting=form.cleaned_data["due"] == "next",
                due_date=form.cleaned_data.get("due_date"),
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"Action for {link.action.owner_organisation.label} created, due "
                f"{link.action.due_date:%d/%m/%Y}.",
            )
    else:
        messages.error(
            request,
            "The action was not created: "
            + " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
    return redirect(_item_url(item) + "#actions")
