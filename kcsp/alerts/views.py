"""E-mail alert pages: ask for an alert, confirm it, manage and unsubscribe.

None needs an account: the links in the e-mails are signed. A bad or
expired link gets a page that says so, never an error.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kcsp import registry
from kcsp.alerts import subscribing
from kcsp.alerts.forms import AlertChoiceForm, AlertForm
from kcsp.alerts.subscribing import AlertRequest, BadLink, LinkExpired
from kcsp.confirming import (
    SentPage,
    broken_page,
    confirmation_form_page,
    expired_page,
    problem_page,
)
from kcsp.links import Link
from kcsp.models import Frequency, Subscriber, Subscription
from kcsp.paging import row_id


def _target(data: Any) -> tuple[str, str, str] | None:
    """The followed thing named in the request: (kind, value, public name)."""
    if data.get("target"):
        wanted = [(data.get("target", ""), data.get("value", ""))]
    else:
        wanted = [(t.kind, data.get(t.kind, "")) for t in registry.alert_targets()]
    for kind, value in wanted:
        value = value.strip()
        if value and registry.alert_target(kind) is not None:
            name = subscribing.describe(kind, value)
            if name is not None:
                return kind, value, name
    return None


def _onward() -> Link:
    """Where a reader of an alerts page goes to start again."""
    return Link(reverse("kcsp:alerts"), "Back to e-mail alerts")


LIMIT = subscribing.SendingLimit(
    scope="alerts",
    per_hour="ALERTS_REQUESTS_PER_HOUR",
    per_day="ALERTS_CONFIRMATIONS_PER_DAY",
    busy="Too many alerts were asked for from your connection. Try again in an hour.",
)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def alert_new(request: HttpRequest) -> HttpResponse:
    """Ask for an alert on a body, an action or search words; without one
    named, the page says what can be followed."""
    data = request.POST if request.method == "POST" else request.GET
    target = _target(data)
    if target is None:
        if any(data.get(t.kind) for t in registry.alert_targets()) or data.get(
            "target"
        ):
            return problem_page(
                request,
                title="Nothing to follow here",
                text="There is no public committee, board or action at this "
                "address, or the search words are empty.",
                status=404,
                onward=_onward(),
            )
        lists = [
            (t.label, t.kind, t.choices())
            for t in registry.alert_targets()
            if t.choices
        ]
        return render(request, "kcsp/alerts/index.html", {"lists": lists})
    kind, value, name = target
    form = AlertForm(request.POST or None, target=kind)
    return confirmation_form_page(
        request,
        form,
        limit=LIMIT,
        send=lambda email: subscribing.alert_request_send(
            AlertRequest(
                email=email,
                target=kind,
                value=value,
                kinds=tuple(form.cleaned_data["kinds"]),
                frequency=form.cleaned_data["frequency"],
            )
        ),
        page=(
            "kcsp/alerts/new.html",
            {"form": form, "target": kind, "value": value, "name": name},
        ),
        sent=SentPage(
            hours=settings.ALERTS_CONFIRM_HOURS,
            purpose="start your alert",
            onward=_onward(),
        ),
    )


def _request_or_problem(
    request: HttpRequest, token: str
) -> AlertRequest | HttpResponse:
    try:
        alert = subscribing.read_confirm_token(token)
    except LinkExpired:
        return expired_page(
            request, hours=settings.ALERTS_CONFIRM_HOURS, onward=_onward()
        )
    except BadLink:
        return broken_page(request, onward=_onward())
    if subscribing.describe(alert.target, alert.value) is None:
        return problem_page(
            request,
            title="Nothing to follow here",
            text="What this alert follows is no longer public.",
            status=410,
            onward=_onward(),
        )
    return alert


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def alert_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the confirmation e-mail: a page with a button, so that a
    mail scanner following the link confirms nothing."""
    alert = _request_or_problem(request, token)
    if isinstance(alert, HttpResponse):
        return alert
    if request.method == "POST":
        subscription = subscribing.subscription_confirm(request=alert)
        messages.success(request, "Your alert is confirmed.")
        token = subscribing.manage_token(subscription.subscriber)
        return redirect("kcsp:alert_manage", token=token)
    context = {
        "alert": alert,
        "kinds": subscribing.kind_names(alert.kinds),
        "frequency": Frequency(alert.frequency).label,
    }
    return render(request, "kcsp/alerts/confirm.html", context)


def _subscriber_or_problem(
    request: HttpRequest, token: str
) -> Subscriber | HttpResponse:
    try:
        subscriber = subscribing.subscriber_of(token)
    except BadLink:
        return broken_page(request, onward=_onward())
    if subscriber is None:
        return problem_page(
            request,
            title="This address has no alerts",
            text="The address was removed, with all its alerts. Nothing more "
            "will be sent to it.",
            status=410,
            onward=_onward(),
        )
    return subscriber


def _manage_forms(subscriber: Subscriber, data: Any = None) -> list[Any]:
    rows = []
    for subscription in subscriber.subscriptions.all():
        form = AlertChoiceForm(
            data if data and data.get("subscription") == str(subscription.pk) else None,
            target=subscription.target,
            prefix=f"alert-{subscription.pk}",
            initial={"kinds": subscription.kinds, "frequency": subscription.frequency},
        )
        form.fields["kinds"].initial = subscription.kinds
        name = subscribing.describe(subscription.target, subscription.value)
        rows.append((subscription, name or "No longer public", form))
    return rows


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def alert_manage(request: HttpRequest, token: str) -> HttpResponse:
    """Every alert of one address, to change or stop."""
    subscriber = _subscriber_or_problem(request, token)
    if isinstance(subscriber, HttpResponse):
        return subscriber
    status = 200
    if request.method == "POST":
        chosen = row_id(request.POST.get("subscription"))
        subscription = (
            Subscription.objects.filter(subscriber=subscriber, pk=chosen).first()
            if chosen
            else None
        )
        if subscription is None:
            messages.error(request, "That alert has already been stopped.")
            return redirect("kcsp:alert_manage", token=token)
        if request.POST.get("do") == "stop":
            kept = subscribing.subscription_remove(subscription=subscription)
            if not kept:
                return render(request, "kcsp/alerts/unsubscribed.html")
            messages.success(request, "The alert is stopped.")
            return redirect("kcsp:alert_manage", token=token)
        rows = _manage_forms(subscriber, request.POST)
        form = next(f for s, _, f in rows if s == subscription)
        if form.is_valid():
            subscribing.subscription_change(
                subscription=subscription,
                kinds=form.cleaned_data["kinds"],
                frequency=form.cleaned_data["frequency"],
            )
            messages.success(request, "Your changes are saved.")
            return redirect("kcsp:alert_manage", token=token)
        status = 400
    else:
        rows = _manage_forms(subscriber)
    context = {
        "subscriber": subscriber,
        "rows": rows,
        "unsubscribe_url": reverse("kcsp:alert_unsubscribe", args=[token]),
    }
    return render(request, "kcsp/alerts/manage.html", context, status=status)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def alert_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Remove the address and all its alerts. A POST does it at once: the
    one-click unsubscribe of RFC 8058, which mail programs send without a
    form, so this view alone takes no CSRF token (the signed link is the
    proof). A GET shows the button."""
    subscriber = _subscriber_or_problem(request, token)
    if isinstance(subscriber, HttpResponse):
        if request.method == "POST" and subscriber.status_code == 410:
            # Already gone: the one-click request has what it asked for.
            return render(request, "kcsp/alerts/unsubscribed.html")
        return subscriber
    if request.method == "POST":
        subscribing.subscriber_delete(subscriber=subscriber)
        return render(request, "kcsp/alerts/unsubscribed.html")
    return render(request, "kcsp/alerts/unsubscribe.html", {"subscriber": subscriber})
