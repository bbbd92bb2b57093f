"""One question answered everywhere: may this user do this to this object?

Apps register object-level rules (a partner may update an action only if
their organisation owns it). Without a rule the answer is the user's model
permission, so the back office and the portal pages agree.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.db.models import Model
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from kcsp.visibility import Content, audience_of

Rule = Callable[[Any, Any], bool]
_rules: dict[tuple[str, str], Rule] = {}


def rule(model_label: str, verb: str) -> Callable[[Rule], Rule]:
    """Register `fn(user, obj) -> bool` for `verb` on objects of `model_label`.

    `model_label` is "app_label.modelname" in lower case, e.g. "meetings.meeting".
    """

    def register(fn: Rule) -> Rule:
        _rules[(model_label.lower(), verb)] = fn
        return fn

    return register


def may(user: Any, verb: str, obj: Model) -> bool:
    """True when `user` may `verb` ("view", "change", "publish" ...) `obj`."""
    if user is None or not getattr(user, "is_active", False):
        return False
    opts = obj._meta
    found = _rules.get((opts.label_lower, verb))
    if found is not None:
        return bool(found(user, obj))
    return bool(user.has_perm(f"{opts.app_label}.{verb}_{opts.model_name}"))


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
