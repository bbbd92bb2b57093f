"""The clerk's workspace under /manage/: the dashboard, and each meeting's
page with what it still needs, where the agenda is published or withdrawn
after a summary of what will change.

For those who read all meeting content (`Content.MEETINGS`): clerks and
administrators; anyone else signed in is told there is no such page.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from kcsp.visibility import Content, audience_of
from meetings import selectors, services
from meetings.forms import DeclarationForm, WithdrawAgendaForm, YearOfMeetingsForm
from meetings.models import Declaration, Meeting

View = Callable[..., HttpResponse]


def clerks(view: View) -> View:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not audience_of(request.user).sees_all(Content.MEETINGS):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper


def _meeting(request: HttpRequest, body: str, key: str) -> Meeting:
    return selectors.meeting_for_page(body_slug=body, key=key, user=request.user)


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
        },
    )


@clerks
@require_http_methods(["GET", "HEAD", "POST"])
def agenda_publish(request: HttpRequest, body: str, key: str) -> HttpResponse:
    """A summary of what becomes public, then publication on confirmation."""
    found = _meeting(request, body, key)
    if request.method == "POST":
        try:
            published = services.agenda_publish(meeting=found)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The agenda and its papers are published.")
            for warning in published.warnings:
                messages.warning(request, warning)
            return redirect("manage:meeting", body, key)
    return render(
        request,
        "meetings/manage/publish.html",
        {"meeting": found, "summary": selectors.publication_summary(meeting=found)},
    )


@clerks
@require_http_methods(["GET", "HEAD", "POST"])
def agenda_withdraw(request: HttpRequest, body: str, key: str) -> HttpResponse:
    found = _meeting(request, body, key)
    form = WithdrawAgendaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_withdraw(meeting=found, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The agenda is withdrawn from public view.")
            return redirect("manage:meeting", body, key)
    status = 400 if form.errors else 200
    return render(
        request,
        "meetings/manage/withdraw.html",
        {"meeting": found, "form": form},
        status=status,
    )


@clerks
@require_http_methods(["GET", "HEAD", "POST"])
def year(request: HttpRequest, slug: str) -> HttpResponse:
    """A year of a body's meetings from a pattern: the dates are shown first
    (bank holidays and days the body already meets marked), and created only
    when the clerk confirms them."""
    body = selectors.body_for_page(slug=slug, user=request.user)
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
    return render(
        request,
        "meetings/manage/year.html",
        {"body": body, "form": form, "dates": dates},
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
            chosen = request.POST.get("remove", "")
            declaration = (
                Declaration.objects.filter(meeting=found, pk=int(chosen)).first()
                if chosen.isdigit()
                else None
            )
            if declaration is not None:
                services.declaration_remove(declaration=declaration)
                messages.success(request, "Declaration removed.")
            return redirect("manage:declarations", body, key)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.declaration_record(
                    meeting=found,
                    person=data["person"],
                    details=data["details"],
                    kind=data["kind"],
                    item=data["item"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Declaration by {data['person']} recorded.")
                return redirect("manage:declarations", body, key)
    recorded = Declaration.objects.filter(meeting=found).select_related(
        "person", "item"
    )
    return render(
        request,
        "meetings/manage/declarations.html",
        {"meeting": found, "form": form, "declarations": recorded},
        status=400 if form.errors else 200,
    )
