"""Administrators' back-office screens for sign-in: permissions to set up an
authenticator app, and locked sign-ins to unlock.

Only administrators reach them: a clerk's permissions cover the partner
directory's records, and these are not that.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from kcsp import authenticators, roles, security
from kcsp.admin import VisibleAdmin
from kcsp.models import AuthenticatorEnrolment


def is_administrator(request: HttpRequest) -> bool:
    return roles.has_role(request.user, roles.Role.ADMINISTRATOR)


class EnrolmentForm(forms.ModelForm):
    link = forms.BooleanField(
        label="Only through a one-time link",
        required=False,
        help_text=(
            "You will be shown a link to pass on to them by a route you trust. "
            "Leave this unticked to allow it at their next sign-in instead."
        ),
    )
    hours = forms.IntegerField(
        label="Open for (hours)",
        min_value=1,
        max_value=authenticators.ENROLMENT_MAX_HOURS,
        initial=authenticators.ENROLMENT_HOURS,
        help_text="If it is not used in this time, it closes.",
    )

    class Meta:
        model = AuthenticatorEnrolment
        fields = ["user"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = Q(groups__name__in=[str(r) for r in roles.STAFF_ROLES])
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            get_user_model()
            .objects.filter(staff | Q(is_superuser=True), is_active=True)
            .distinct()
            .order_by("username")
        )
        self.fields["user"].help_text = "Only staff accounts use an authenticator app."


VIEW_FIELDS = ["user", "how", "allowed_by", "allowed_at", "expires_at", "used_at"]


@admin.register(AuthenticatorEnrolment)
class AuthenticatorEnrolmentAdmin(VisibleAdmin):
    """An administrator allows a staff account to add its first
    authenticator app (or a new one after losing the old: delete the old one
    among the TOTP devices first). A permission is never edited; deleting it
    withdraws it."""

    form = EnrolmentForm
    list_display = ["user", "how", "allowed_by", "allowed_at", "expires_at", "state"]
    list_select_related = ["user", "allowed_by"]
    search_fields = ["user__username"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is not None:
            # A permission is read, never edited: none of the add form's fields.
            kwargs["form"] = forms.ModelForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["user", "link", "hours"] if obj is None else VIEW_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else VIEW_FIELDS

    def save_form(
        self, request: HttpRequest, form: Any, change: bool
    ) -> AuthenticatorEnrolment:
        # Saved by the service, which also makes the link's token.
        data = form.cleaned_data
        return authenticators.enrolment_allow(
            user=data["user"], by=request.user, hours=data["hours"], link=data["link"]
        )

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: bool
    ) -> None:
        """Saved already, in `save_form`."""

    def save_related(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> None:
        """A permission has no related records."""

    def response_add(
        self, request: HttpRequest, obj: Any, post_url_continue: str | None = None
    ) -> HttpResponse:
        if not obj.link_token:
            return super().response_add(request, obj, post_url_continue)
        # The one time the link can be shown: only its digest is kept.
        return TemplateResponse(
            request,
            "admin/kcsp/enrolment_link.html",
            {
                **self.admin_site.each_context(request),
                "title": "One-time link to set up an authenticator app",
                "enrolment": obj,
                "url": authenticators.enrolment_link_url(obj.link_token),
                "opts": self.opts,
            },
        )


class UnlockForm(forms.Form):
    username = forms.CharField(max_length=255)
    address = forms.GenericIPAddressField(required=False)


def locked_sign_ins(request: HttpRequest) -> HttpResponse:
    """Accounts locked after repeated wrong passwords, each with the address
    it is locked for, and a button to unlock it."""
    if not is_administrator(request):
        raise PermissionDenied
    if request.method == "POST":
        form = UnlockForm(request.POST)
        if form.is_valid():
            username = form.cleaned_data["username"]
            address = form.cleaned_data["address"] or None
            security.sign_in_unlock(username=username, address=address, by=request.user)
            where = f" from {address}" if address else ""
            messages.success(
                request, f"Unlocked {username}, who can sign in again{where}."
            )
        return redirect("locked_sign_ins")
    return TemplateResponse(
        request,
        "admin/kcsp/locked_sign_ins.html",
        {
            **admin.site.each_context(request),
            "title": "Locked sign-ins",
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "locked": security.locked_sign_ins(),
        },
    )
