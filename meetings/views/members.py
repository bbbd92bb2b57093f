"""The clerk's workspace for who sits on a body: joining, leaving, changing
role, and the annual meeting's election of the chair and vice-chair. Each
goes public only after a summary of what will change is confirmed."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from kcsp.formatting import long_date
from meetings import selectors, services
from meetings.forms import ElectionForm, MemberChangeForm, MemberJoinForm
from meetings.models import Body, Membership
from meetings.views.manage import Confirmation, clerks, confirmed


def _members_url(body: Body) -> str:
    return reverse("manage:members", args=[body.slug])


def _members_crumbs(body: Body) -> list[tuple[str, str]]:
    return [(_members_url(body), f"Members of {body.name}")]


@clerks
@require_http_methods(["GET", "HEAD", "POST"])
def members(request: HttpRequest, slug: str) -> HttpResponse:
    """Today's members with their roles, those who have left, and a form for
    someone joining."""
    body = selectors.body_to_manage(slug=slug, user=request.user)
    if request.method == "POST":
        return _join(request, body)
    today = timezone.localdate()
    rows = body.memberships.select_related("person", "representing").order_by(
        "person", "-start"
    )
    in_force = set(rows.on(today).values_list("pk", flat=True))
    current = sorted((m for m in rows if m.pk in in_force), key=lambda m: m.rank)
    return render(
        request,
        "meetings/manage/members.html",
        {
            "body": body,
            "current": current,
            "former": [m for m in rows if m.end is not None and m.end < today],
            "form": MemberJoinForm(initial={"start": today}),
        },
    )


def _join(request: HttpRequest, body: Body) -> HttpResponse:
    form = MemberJoinForm(request.POST)

    def summary() -> list[str]:
        data = form.cleaned_data
        label = body.role_label(data["role"])
        lines = [
            f"{data['person'].formal_name} joins {body.name} as {label} from "
            f"{long_date(data['start'])}, and is listed with the membership on its "
            "public pages."
        ]
        if data["representing"]:
            lines.append(f"Representing {data['representing'].name}.")
        return lines

    def apply() -> tuple[str, str]:
        data = form.cleaned_data
        services.membership_join(body=body, **data)
        return f"{data['person'].formal_name} joined.", _members_url(body)

    return confirmed(
        request,
        form,
        Confirmation(
            heading="Add a member",
            subject=body.name,
            intro="Who joins, in what role and from when.",
            crumbs=_members_crumbs(body),
            check=lambda: services.membership_join_check(
                body=body,
                person=form.cleaned_data["person"],
                start=form.cleaned_data["start"],
            ),
            summary=summary,
            apply=apply,
            confirm_label=lambda: "add the member",
        ),
    )


@clerks
@require_http_methods(["GET", "HEAD", "POST"])
def membership(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One member leaves, or takes another role, from a date."""
    body = selectors.body_to_manage(slug=slug, user=request.user)
    seat = get_object_or_404(
        Membership.objects.select_related("person"), body=body, pk=pk
    )
    form = MemberChangeForm(request.POST or None, initial={"role": seat.role})
    name = seat.person.formal_name

    def check() -> None:
        data = form.cleaned_data
        if data["change"] == form.ROLE and data["role"] == seat.role:
            raise ValidationError({"role": "Choose a role other than their own."})

    def summary() -> list[str]:
        data = form.cleaned_data
        if data["change"] == form.LEAVE:
            return [
                f"{name} is a member until {long_date(data['date'])}, and is listed "
                "among former members after that."
            ]
        return [
            f"{name} is {body.role_label(data['role'])} from "
            f"{long_date(data['date'])}; their time as {seat.role_label} ends the "
            "day before and stays on record."
        ]

    def apply() -> tuple[str, str]:
        data = form.cleaned_data
        if data["change"] == form.LEAVE:
            services.membership_leave(membership=seat, end=data["date"])
        else:
            services.membership_role_change(
                membership=seat, role=data["role"], on=data["date"]
            )
        return f"{name}: membership changed.", _members_url(body)

    return confirmed(
        request,
        form,
        Confirmation(
            heading=f"Change {name}'s membership",
            subject=f"{name}, {seat.role_label}, {body.name}",
            intro="Someone leaving, or taking another role, from a date.",
            crumbs=_members_crumbs(body),
            check=check,
            summary=summary,
            apply=apply,
            confirm_label=lambda: "change the membership",
        ),
    )


@clerks
@require_http_methods(["GET", "HEAD", "POST"])
def election(request: HttpRequest, body: str, key: str) -> HttpResponse:
    """The annual meeting elects the chair and vice-chair."""
    meeting = selectors.meeting_to_manage(body_slug=body, key=key, user=request.user)
    form = ElectionForm(request.POST or None, meeting=meeting)
    group = meeting.body

    def check() -> None:
        services.chair_election_check(
            meeting=meeting,
            chair=form.cleaned_data["chair"],
            vice_chair=form.cleaned_data["vice_chair"],
        )

    def summary() -> list[str]:
        elected: dict[str, Any] = {
            Membership.Role.CHAIR: form.cleaned_data["chair"],
            Membership.Role.VICE_CHAIR: form.cleaned_data["vice_chair"],
        }
        return selectors.election_summary(meeting=meeting, elected=elected)

    def apply() -> tuple[str, str]:
        item = services.chair_election(
            meeting=meeting,
            chair=form.cleaned_data["chair"],
            vice_chair=form.cleaned_data["vice_chair"],
            by=request.user,
        )
        url = reverse(
            "meetings:minutes_item", args=[group.slug, meeting.url_key, item.pk]
        )
        return f"Minute {item.number}: {item.title} recorded.", url

    return confirmed(
        request,
        form,
        Confirmation.of_meeting(
            meeting,
            heading="Record the election of the chair and vice-chair",
            intro="At the annual meeting the body elects its chair and vice-chair "
            "from its members. The election is minuted and the membership "
            "changes from the meeting's date.",
            check=check,
            summary=summary,
            apply=apply,
            confirm_label=lambda: "record the election",
        ),
    )
