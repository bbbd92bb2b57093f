"""The page of a confirmation link e-mailed by the public forms of
questions and petitions, where only pressing Confirm confirms, so that a
mail scanner following links confirms nothing. (The forms that send the
links are `kcsp.alerts.views.confirmation_form_page`s.)"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kcsp.alerts.subscribing import BadLink, ConfirmationLink, LinkExpired
from kcsp.alerts.views import problem_page


def _problem(request: HttpRequest, title: str, text: str, status: int) -> HttpResponse:
    return problem_page(
        request, title, text, status, template="meetings/questions/problem.html"
    )


def confirmation_page(
    request: HttpRequest,
    token: str,
    *,
    link: ConfirmationLink[Any],
    confirm: Callable[..., Any],
    name: str,
    templates: tuple[str, str],
    again: str,
) -> HttpResponse:
    """The page of a confirmation `link`: read the record its `token` names
    and show the button (templates[0]); on the press, `confirm` it and say
    so (templates[1]), the record in the context as `name`. An expired link
    says how long links last and `again` what to do; a refusal from
    `confirm` is shown as the problem it is."""
    try:
        if request.method != "POST":
            return render(request, templates[0], {name: link.record(token)})
        record = confirm(token=token)
    except LinkExpired:
        return _problem(
            request,
            "This link has expired",
            f"Confirmation links last {link.hours} hours. {again}",
            410,
        )
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
