"""Who may open a staff page: the role table's answer (`kcsp.visibility`),
asked of the signed-in user before the view runs."""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from kcsp.visibility import Content, audience_of

View = Callable[..., HttpResponseBase]


def reads_all(content: Content) -> Callable[[View], View]:
    """A view for those who read all of `content` (the staff of that area, a
    clerk in their own partnerships): anyone signed out is asked to sign in,
    anyone else is told there is no such page, whether or not what they asked
    for exists."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(
            request: HttpRequest, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not audience_of(request.user).manages(content):
                raise Http404("No such page.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
