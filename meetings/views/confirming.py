"""What the public forms that e-mail a confirmation link share: sending it
(unless a rate limit refuses, or the mail server fails), and the page the
link opens, where only pressing Confirm confirms, so that a mail scanner
following links confirms nothing."""

import smtplib
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kcsp.alerts.subscribing import BadLink, LinkExpired
from kcsp.alerts.views import problem_page

NOT_SENT = (
    "We could not send the confirmation e-mail just now. "
    "Please try again in a few minutes."
)


def confirmation_send(
    form: forms.Form, *, refused: str | None, send: Callable[[], Any]
) -> int:
    """Send a form's confirmation e-mail through `send` unless `refused` (a
    rate limit's message) says no. Returns 200 once sent; otherwise the
    reason is on the form and the status to show it again with."""
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


def _problem(request: HttpRequest, title: str, text: str, status: int) -> HttpResponse:
    return problem_page(
        request, title, text, status, template="meetings/questions/problem.html"
    )


def confirmation_page(
    request: HttpRequest,
    *,
    read: Callable[[], Any],
    confirm: Callable[[], Any],
    name: str,
    templates: tuple[str, str],
    again: str,
) -> HttpResponse:
    """The page of a confirmation link: `read` the record it names and show
    the button (templates[0]); on the press, `confirm` it and say so
    (templates[1]), the record in the context as `name`. An expired link
    says how long links last and `again` what to do; a refusal from
    `confirm` is shown as the problem it is."""
    try:
        if request.method != "POST":
            return render(request, templates[0], {name: read()})
        record = confirm()
    except LinkExpired:
        return _problem(request, "This link has expired", again, 410)
    except BadLink:
        return _problem(
            request,
            "This link does not work",
            "Check that you copied the whole link from the e-mail.",
            404,
        )
    except ValidationError as error:
        return _problem(request, "This could not be confirmed", error.messages[0], 400)
    return render(request, templates[1], {name: record})
