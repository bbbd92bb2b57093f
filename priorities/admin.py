"""The clerks' back office for priorities, themes, leads, plans and measures.

Rows of a superseded version are read-only: that version is the record of
what the partnership agreed. New plan actions are created through
`priorities.services`, so they are proper tracked actions of the core.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from agreement.admin import VersionRowAdmin
from agreement.models import Agreement
from kcsp.admin import VisibleRows, action_form_page
from kcsp.models import Organisation, Person
from priorities import models, services
from priorities.selectors import lead_roles


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=models.Priority.objects.none(),
        widget=forms.RadioSelect,
        label="Keep",
        help_text="The other is placed within it and deleted; the changes page "
        "will report the two as merged.",
    )

    def __init__(self, *args: Any, choices: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["keep"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = choices


def merge_action(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Any],
    merge: Any,
    what: str,
) -> HttpResponse | None:
    """Merge two selected rows of one draft, asking which one to keep."""
    chosen = list(queryset.select_related("agreement")[:3])
    if len(chosen) != 2:
        model_admin.message_user(
            request, f"Choose exactly two {what} to merge.", messages.ERROR
        )
        return None
    form = MergeForm(request.POST if "keep" in request.POST else None, choices=queryset)
    if form.is_valid():
        keep = form.cleaned_data["keep"]
        absorb = next(obj for obj in chosen if obj.pk != keep.pk)
        try:
            merge(keep=keep, absorb=absorb)
        except ValidationError as error:
            model_admin.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            model_admin.message_user(
                request, f"“{absorb}” is now within “{keep}”.", messages.SUCCESS
            )
        return None
    return action_form_page(
        request,
        model_admin,
        template="admin/priorities/merge.html",
        action="merge",
        title=f"Merge two {what}",
        form=form,
        selected=chosen,
    )


class LeadInline(VisibleRows, admin.TabularInline):
    model = models.PriorityLead
    extra = 0
    autocomplete_fields = ["post", "person", "organisation"]
    fields = [
        "role",
        "is_tbc",
        "label",
        "post",
        "person",
        "organisation",
        "responsibility",
        "order",
    ]


class PlanInline(VisibleRows, admin.TabularInline):
    model = models.PriorityAction
    extra = 0
    fields = ["action", "lead", "order", "is_public"]
    readonly_fields = ["action"]
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Actions are added from "Action plan entries", which creates the
        # tracked action with its source described.
        return False


class DiscussionInline(VisibleRows, admin.TabularInline):
    model = models.PriorityDiscussion
    extra = 0
    autocomplete_fields = ["agenda_item"]
    raw_id_fields = ["minute_item"]
    fields = ["agenda_item", "minute_item", "note"]


class LineageInline(VisibleRows, admin.TabularInline):
    """What a row of a version continues of the earlier versions."""

    fk_name = "later"
    extra = 0
    raw_id_fields = ["earlier"]


class PredecessorInline(LineageInline):
    model = models.PriorityLineage
    verbose_name = "continues the priority"
    verbose_name_plural = "continues these priorities of earlier versions"


class ThemeLinkInline(VisibleRows, admin.TabularInline):
    model = models.ThemePriority
    extra = 0
    fields = ["theme"]

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "theme":
            kwargs["queryset"] = models.CrossCuttingTheme.objects.select_related(
                "agreement"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(models.Priority)
class PriorityAdmin(VersionRowAdmin):
    list_display = ["name", "agreement", "order", "primary_lead"]
    list_filter = ["agreement__status", "agreement"]
    list_select_related = ["agreement"]
    search_fields = ["name", "short_name", "slug", "description"]
    autocomplete_fields = ["agreement"]
    inlines = [
        LeadInline,
        ThemeLinkInline,
        PlanInline,
        DiscussionInline,
        PredecessorInline,
    ]
    fields = ["agreement", "name", "short_name", "slug", "order", "description"]
    actions = ["merge"]

    @admin.action(description="Merge the two selected priorities (in a draft)")
    def merge(
        self, request: HttpRequest, queryset: QuerySet[models.Priority]
    ) -> HttpResponse | None:
        return merge_action(
            self, request, queryset, services.priority_merge, "priorities"
        )

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("leads")

    @admin.display(description="Lead")
    def primary_lead(self, obj: models.Priority) -> str:
        lead, _ = lead_roles(obj)
        if lead is None:
            return "None given"
        return "TBC (a gap)" if lead.is_tbc else (lead.label or "Named")


class ThemePriorityInline(VisibleRows, admin.TabularInline):
    model = models.ThemePriority
    extra = 0
    autocomplete_fields = ["priority"]


class ThemePredecessorInline(LineageInline):
    model = models.ThemeLineage
    verbose_name = "continues the theme"
    verbose_name_plural = "continues these themes of earlier versions"


@admin.register(models.CrossCuttingTheme)
class ThemeAdmin(VersionRowAdmin):
    list_display = ["name", "agreement", "order"]
    list_filter = ["agreement__status", "agreement"]
    list_select_related = ["agreement"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["agreement"]
    inlines = [ThemePriorityInline, ThemePredecessorInline]
    fields = ["agreement", "name", "slug", "order", "description"]
    actions = ["merge"]

    @admin.action(description="Merge the two selected themes (in a draft)")
    def merge(
        self, request: HttpRequest, queryset: QuerySet[models.CrossCuttingTheme]
    ) -> HttpResponse | None:
        return merge_action(self, request, queryset, services.theme_merge, "themes")


class NewActionForm(forms.ModelForm):
    """Adds an action to a plan: the tracked action is created with it."""

    title = forms.CharField(max_length=500)
    description = forms.CharField(widget=forms.Textarea, required=False)
    owner_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.active(), label="Owner organisation"
    )
    owner_person = forms.ModelChoiceField(
        queryset=Person.objects.all(), required=False, label="Owner"
    )
    due_date = forms.DateField(required=False, help_text="For example 31/03/2023.")
    is_public = forms.BooleanField(
        required=False,
        initial=True,
        label="Shown to the public",
        help_text="While the version is approved (in a draft, from approval).",
    )

    class Meta:
        model = models.PriorityAction
        fields = ["priority", "lead", "order"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["priority"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = models.Priority.objects.exclude(
            agreement__status=Agreement.Status.SUPERSEDED
        ).select_related("agreement")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        lead, priority = cleaned.get("lead"), cleaned.get("priority")
        if (
            lead is not None
            and priority is not None
            and lead.priority_id != priority.pk
        ):
            self.add_error("lead", "Choose a lead of this priority.")
        return cleaned


@admin.register(models.PriorityAction)
class PriorityActionAdmin(VersionRowAdmin):
    agreement_path = "priority__agreement"
    list_display = ["action", "priority", "agreement", "status", "rag", "due_date"]
    list_filter = [
        "priority__agreement",
        "action__status",
        "action__rag",
        "is_public",
    ]
    list_select_related = ["action", "priority__agreement"]
    search_fields = ["action__title", "priority__name"]
    autocomplete_fields = ["priority"]
    raw_id_fields = ["lead"]

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = NewActionForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return [
                "priority",
                "title",
                "description",
                "owner_organisation",
                "owner_person",
                "lead",
                "due_date",
                "is_public",
                "order",
            ]
        return ["priority", "action", "lead", "order", "is_public"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["priority", "action"] if obj else []

    def save_model(
        self, request: HttpRequest, obj: models.PriorityAction, form: Any, change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        created = services.priority_action_add(
            priority=data["priority"],
            title=data["title"],
            description=data["description"],
            owner_organisation=data["owner_organisation"],
            owner_person=data["owner_person"],
            lead=data["lead"],
            due_date=data["due_date"],
            is_public=data["is_public"],
        )
        obj.pk = created.pk
        obj.action = created.action
        obj._state.adding = False

    @admin.display(description="Version")
    def agreement(self, obj: models.PriorityAction) -> Agreement:
        return obj.priority.agreement

    @admin.display(description="Status")
    def status(self, obj: models.PriorityAction) -> str:
        return obj.action.get_status_display()

    @admin.display(description="RAG rating")
    def rag(self, obj: models.PriorityAction) -> str:
        return obj.action.get_rag_display()

    @admin.display(description="Due")
    def due_date(self, obj: models.PriorityAction) -> Any:
        return obj.action.due_date


class ValueInline(VisibleRows, admin.TabularInline):
    model = models.MeasureValue
    extra = 1
    fields = ["period_end", "period_label", "value", "note"]


@admin.register(models.Measure)
class MeasureAdmin(VersionRowAdmin):
    agreement_path = "priority__agreement"
    list_display = ["name", "priority", "direction", "target", "is_public"]
    list_filter = ["priority__agreement", "direction", "is_public"]
    list_select_related = ["priority__agreement"]
    search_fields = ["name", "priority__name", "data_source"]
    autocomplete_fields = ["priority"]
    inlines = [ValueInline]
    fields = [
        "priority",
        "name",
        "unit",
        "direction",
        ("baseline", "baseline_label"),
        ("target", "target_label"),
        "data_source",
        "is_public",
        "order",
    ]
