"""The back office of the partner directory and tracked actions, and the
base every app's back office builds on (`VisibleAdmin`, `VisibleRows`)."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.contrib.admin.widgets import AdminFileWidget
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import FileField, Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from kcsp.locking import VersionCheckedForm
from kcsp.models import (
    Action,
    ActionUpdate,
    Delivery,
    Organisation,
    Partnership,
    Person,
    Post,
    PostHolding,
)
from kcsp.roles import Role, has_role
from kcsp.uploads import check_logo, form_upload_checked
from kcsp.visibility import VisibilityQuerySet, audience_of, clerks_partnerships


def back_office_rows[M: Model](queryset: QuerySet[M], user: Any) -> QuerySet[M]:
    """The rows of `queryset` this user may see in the back office: the one
    visibility rule, as every page asks it (`VisibilityQuerySet`)."""
    if isinstance(queryset, VisibilityQuerySet):
        return queryset.in_back_office(user)
    return clerks_partnerships(queryset, user)


def action_form_page(
    request: HttpRequest,
    model_admin: admin.ModelAdmin[Any],
    *,
    template: str,
    action: str,
    title: str,
    form: forms.Form,
    selected: Iterable[Model],
    **context: Any,
) -> HttpResponse:
    """The page an admin action shows to ask for its details (a reason, a
    date, which row to keep) before it acts on the rows selected in the list.
    `template` extends admin/action_form.html and says what will happen; the
    form posts the same action and selection back."""
    return render(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "action": action,
            "selected": selected,
            "opts": model_admin.model._meta,
            **context,
        },
    )


class SourceFilter(admin.SimpleListFilter):
    """Where records came from: each importing system by name, and those
    written in the portal itself (an empty source) said so in words."""

    title = "where it came from"
    parameter_name = "source_system"
    PORTAL = "portal"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        systems = set(
            model_admin.get_queryset(request)
            .order_by()
            .values_list("source_system", flat=True)
        )
        return [
            (system or self.PORTAL, system or "Written in the portal")
            for system in sorted(systems)
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value is None:
            return queryset
        return queryset.filter(source_system="" if value == self.PORTAL else value)


class ReadOnlyAdmin:
    """A record the portal keeps of itself (where minutes came from, who
    read a case): the back office shows it and nobody adds, changes or
    deletes a row there."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VisibleRelatedFilter(admin.RelatedFieldListFilter):
    """A list's filter by a related record (a meeting's body), offering only
    the records the user may see there."""

    def field_choices(
        self, field: Any, request: HttpRequest, model_admin: Any
    ) -> list[tuple[str, Any]]:
        rows = back_office_rows(
            field.related_model._default_manager.all(), request.user
        )
        ordering = self.field_admin_ordering(field, request, model_admin)
        return [(str(row.pk), str(row)) for row in rows.order_by(*ordering)]


class VisibleRows:
    """For every model admin and inline: its rows, and the choices offered
    for its related records (in forms and in a list's filters), are those
    the visibility rule lets the user see. Model permissions say which
    screens a role opens; this says which records it finds there."""

    model: type[Model]

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        chosen = super().get_list_filter(request)  # type: ignore[misc]
        return [self._visible_filter(entry) for entry in chosen]

    def _visible_filter(self, entry: Any) -> Any:
        if not isinstance(entry, str):
            return entry
        field = get_fields_from_path(self.model, entry)[-1]
        if getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False):
            return (entry, VisibleRelatedFilter)
        return entry

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return back_office_rows(super().get_queryset(request), request.user)  # type: ignore[misc]

    def get_field_queryset(
        self, db: str | None, db_field: Any, request: HttpRequest
    ) -> QuerySet[Any]:
        queryset = super().get_field_queryset(db, db_field, request)  # type: ignore[misc]
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(db).all()
        return back_office_rows(queryset, request.user)

    def formfield_for_dbfield(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        # Beside a stored file the box is introduced only as "Change:", which
        # names nothing; its own name says what choosing a file does.
        if isinstance(db_field, FileField):
            name = capfirst(db_field.verbose_name)
            label = f"{name}: file to upload (replaces any stored file)"
            kwargs.setdefault("widget", AdminFileWidget(attrs={"aria-label": label}))
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]


class VisibleAdmin(VisibleRows, SimpleHistoryAdmin):
    """A model admin with history whose history and diff views ask the
    visibility rule as its list and change views do.

    simple_history's history view falls back to the history of a row it
    cannot find, and its view of one past version reads the history table
    directly; both would show a record the user may not see."""

    def _visible_or_404(self, request: HttpRequest, object_id: str) -> None:
        try:
            object_id = self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404("No such record.") from None
        if self.get_queryset(request).filter(pk=object_id).exists():
            return
        # A deleted record: judged by its last recorded state.
        rows = self.model._default_manager.all()
        if not isinstance(rows, VisibilityQuerySet):
            return
        if rows.filter(pk=object_id).exists():
            raise Http404("No such record.")
        last = self.model.history.filter(pk=object_id).order_by("-history_date").first()  # type: ignore[attr-defined]
        content = rows.content_of_row(last.instance) if last else None
        if content is None or not audience_of(request.user).sees_all(content):
            raise Http404("No such record.")

    def history_view(
        self,
        request: HttpRequest,
        object_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        self._visible_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class PartnershipForm(forms.ModelForm):
    """A logo is checked by its content: a PNG or JPEG image, at most 2 MB."""

    class Meta:
        model = Partnership
        fields = [
            "name",
            "short_name",
            "slug",
            "kind",
            "organisation",
            "logo",
            "logo_text",
            "clerks",
        ]

    def clean_logo(self) -> Any:
        return form_upload_checked(self, "logo", check_logo)


@admin.register(Partnership)
class PartnershipAdmin(VisibleAdmin):
    form = PartnershipForm
    list_display = ["name", "short_name", "kind", "organisation"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["clerks"]
    list_select_related = ["organisation"]

    def formfield_for_manytomany(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "clerks":
            kwargs["queryset"] = get_user_model().objects.filter(
                groups__name=Role.CLERK
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Who clerks for which partnership is an administrator's choice.
        if has_role(request.user, Role.ADMINISTRATOR):
            return []
        return ["clerks"]


@admin.register(Organisation)
class OrganisationAdmin(VisibleAdmin):
    list_display = ["name", "short_name", "kind", "parent", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


class PostHoldingInline(VisibleRows, admin.TabularInline):
    model = PostHolding
    extra = 0
    autocomplete_fields = ["person", "post"]


@admin.register(Person)
class PersonAdmin(VisibleAdmin):
    list_display = ["formal_name", "full_name", "organisation", "job_title", "email"]
    list_filter = ["organisation__kind", "organisation"]
    search_fields = ["surname", "forenames", "known_as", "initials", "email"]
    autocomplete_fields = ["organisation", "user"]
    list_select_related = ["organisation"]
    inlines = [PostHoldingInline]
    # Where an imported person came from: shown, never edited.
    readonly_fields = [
        "source_system",
        "source_id",
        "source_url",
        "first_imported_at",
        "last_imported_at",
    ]
    fieldsets = [
        (
            "Name",
            {
                "fields": [
                    "title",
                    "forenames",
                    "initials",
                    "known_as",
                    "surname",
                    "honours",
                ]
            },
        ),
        ("Work", {"fields": ["organisation", "job_title", "email", "phone", "user"]}),
        (
            "Where this record came from",
            {
                "classes": ["collapse"],
                "fields": [
                    "source_system",
                    "source_id",
                    "source_url",
                    "first_imported_at",
                    "last_imported_at",
                ],
            },
        ),
    ]

    @admin.display(description="Name in minutes", ordering="surname")
    def formal_name(self, obj: Person) -> str:
        return obj.formal_name

    @admin.display(description="Everyday name")
    def full_name(self, obj: Person) -> str:
        return obj.full_name


@admin.register(Post)
class PostAdmin(VisibleAdmin):
    list_display = ["title", "organisation", "active"]
    list_filter = ["active", "organisation"]
    search_fields = ["title", "organisation__name", "organisation__short_name"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]
    inlines = [PostHoldingInline]


@admin.register(PostHolding)
class PostHoldingAdmin(VisibleAdmin):
    list_display = ["person", "post", "start", "end"]
    list_filter = ["post__organisation"]
    search_fields = ["person__surname", "post__title"]
    autocomplete_fields = ["person", "post"]
    list_select_related = ["person", "post__organisation"]
    date_hierarchy = "start"


class ShownInline(VisibleRows, admin.TabularInline):
    """Rows that are made elsewhere (by a service, an import or a page of the
    portal): the parent's page lists them and offers no rows to add."""

    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ActionUpdateInline(ShownInline):
    """Updates are immutable: shown, never edited here."""

    model = ActionUpdate
    can_delete = False
    fields = ["posted_at", "posted_by", "status", "rag", "text", "evidence_name"]
    readonly_fields = ["posted_at", "posted_by", "status", "rag", "text"]
    readonly_fields += ["evidence_name"]


@admin.register(Action)
class ActionAdmin(VisibleAdmin):
    form = VersionCheckedForm
    list_display = [
        "title",
        "owner_organisation",
        "due_date",
        "status",
        "rag",
        "source_kind",
        "reports_to",
    ]
    list_filter = ["status", "rag", "source_kind", "reports_to"]
    list_select_related = ["owner_organisation"]
    search_fields = ["title", "description", "source_label"]
    date_hierarchy = "due_date"
    autocomplete_fields = ["owner_organisation", "owner_person"]
    readonly_fields = [
        "source_kind",
        "source_label",
        "source_url",
        "reports_to",
        "signed_off_by",
        "signed_off_at",
        "completed_at",
        "last_reminded_on",
        "version",
    ]
    inlines = [ActionUpdateInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Closing goes through sign-off on the action's page, which records
        # who and when; the back office cannot set "closed" directly.
        return [*self.readonly_fields, "status"] if obj else self.readonly_fields


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin, VisibleRows, admin.ModelAdmin):  # type: ignore[misc]
    """The record of each alert e-mail and of each copy sent as of right (a
    body's agenda to its members), for an administrator alone (it holds
    subscribers' and members' addresses): what failed or was refused (5xx), after how
    many attempts and with the mail server's answer, so no failure is lost.
    Nobody changes a row; deleting the address deletes its records."""

    list_display = [
        "key",
        "email",
        "kind",
        "status",
        "attempts",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["email", "key"]
    readonly_fields = [
        "kind",
        "email",
        "subscriber",
        "key",
        "events",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
        "window_end",
    ]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_role(request.user, Role.ADMINISTRATOR)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_role(request.user, Role.ADMINISTRATOR)


# The sign-in screens build on VisibleAdmin above.
from kcsp import account_admin  # noqa: E402, F401 - registers them
