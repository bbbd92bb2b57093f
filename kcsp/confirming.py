"""The pages of a link e-mailed to confirm an address (double opt-in), the
same for e-mail alerts, petitions, signatures and public questions: the form
that sends the link, the "check your e-mail" page, the page the link opens
(where only pressing Confirm confirms, so that a mail scanner following the
link confirms nothing), and the page that says what went wrong with a link.

Each page says how long the link lasts, from the link's own setting, and
leads back to where the reader can start again.
"""

import dataclasses
import smtplib
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import pluralize

from kcsp.alerts import subscribing
from kcsp.alerts.subscribing import BadLink, ConfirmationLink, LinkExpired
from kcsp.links import Link
from kcsp.proxy import client_address


@dataclasses.dataclass(frozen=True)
class SentPage:
    """What the "check your e-mail" page says of a link just sent: it lasts
    `hours`, following it and pressing Confirm will `purpose` (the words
    after "to"), and `onward` leads back."""

    hours: int
    purpose: str
    onward: Link


def problem_page(
    request: HttpRequest, *, title: str, text: str, status: int, onward: Link
) -> HttpResponse:
    """A page saying what went wrong with a link or a request, and why, with
    the way on."""
    context = {"title": title, "text": text, "onward": onward}
    return render(request, "kcsp/confirming/problem.html", context, status=status)


def expired_page(request: HttpRequest, *, hours: int, onward: Link) -> HttpResponse:
    """The page of a confirmation link older than the `hours` it lasts."""
    return problem_page(
        request,
        title="This link has expired",
        text=f"Confirmation links last {hours} hour{pluralize(hours)}, and this "
        "one is older. Start again to get a new link.",
        status=410,
        onward=onward,
    )


def broken_page(request: HttpRequest, *, onward: Link) -> HttpResponse:
    """The page of a link the portal did not make, or that names nothing."""
    return problem_page(
        request,
        title="This link does not work",
        text="The link may have been cut short: copy the whole link from the "
        "e-mail into your browser's address bar. If it still does not work, "
        "start again.",
        status=404,
        onward=onward,
    )


NOT_SENT = (
    "We could not send the confirmation e-mail just now. "
    "Please try again in a few minutes."
)


def confirmation_form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    limit: subscribing.SendingLimit,
    send: Callable[[str], Any],
    page: tuple[str, dict[str, Any]],
    sent: SentPage,
) -> HttpResponse:
    """A public form that e-mails a confirmation link, and its answer: once
    posted valid, `send` to the address typed (normalised) unless `limit`
    refuses, and show the "check your e-mail" page (`sent`); a robot's post
    (the hidden field filled in) is shown that page too, and nothing is sent.
    Otherwise the form's `page` (template and context) again, with the
    reason on the form and the status that says it: 400 for what was typed
    or a refusal of `send`, 429 for the limit, 503 for the mail server."""
    status = 200
    if request.method == "POST":
        if request.POST.get(subscribing.HONEYPOT):
            # Told nothing: a robot learns nothing from the answer.
            return _sent_page(request, sent, email=None)
        if form.is_valid():
            email = subscribing.normalise_email(form.cleaned_data["email"])
            status = _send(
                form,
                refused=limit.refused(client_address(request), email),
                send=lambda: send(email),
            )
            if status == 200:
                return _sent_page(request, sent, email=email)
        else:
            status = 400
    return render(request, page[0], page[1], status=status)


def _sent_page(
    request: HttpRequest, sent: SentPage, *, email: str | None
) -> HttpResponse:
    context = {"sent": sent, "email": email}
    return render(request, "kcsp/confirming/sent.html", context)


def _send(form: forms.Form, *, refused: str | None, send: Callable[[], Any]) -> int:
    """Send a form's confirmation e-mail through `send` unless `refused` (a
    limit's message) says no. Returns 200 once sent; otherwise the reason is
    on the form and the status to show it again with."""
    if refused is not None:
        form.add_error(None, refused)
        return 429
    try:
        send()
    except ValidationError as error:
        form.add_error(None, error)
        return 400
    except (smtplib.SMTPException, OSError):
        form.add_error(None, NOT_SENT)
        return 503
    return 200


def confirmation_page(
    request: HttpRequest,
    token: str,
    *,
    link: ConfirmationLink[Any],
    confirm: Callable[..., Any],
    name: str,
    templates: tuple[str, str],
    onward: Callable[[Any], Link],
) -> HttpResponse:
    """The page of a confirmation `link`: read the record its `token` names
    and show the button (templates[0]); on the press, `confirm` it and say
    so (templates[1]), the record in the context as `name`. An expired or
    broken link, or a refusal from `confirm`, gets a page saying so, with
    the way on that `onward` gives for the record the link names (None when
    it names none)."""
    try:
        if request.method != "POST":
            return render(request, templates[0], {name: link.record(token)})
        record = confirm(token=token)
    except LinkExpired:
        return expired_page(request, hours=link.hours, onward=onward(link.named(token)))
    except BadLink:
        return broken_page(request, onward=onward(None))
    except ValidationError as error:
        return problem_page(
            request,
            title="This could not be confirmed",
            text=error.messages[0],
            status=400,
            onward=onward(link.named(token)),
        )
    return render(request, templates[1], {name: record})
