"""The clerks' back office for versions of the agreement.

Refreshing, approving and deleting a version go through
`agreement.services`, so the back office keeps the same rules as everything
else: an approved version is never changed by a refresh, and a superseded
one is read-only.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from agreement import services
from agreement.models import (
    Agreement,
    AgreementSection,
    AssessmentIssue,
    AssessmentRound,
    ChangeNote,
    LinkedStrategy,
    Signatory,
    StrategicAssessment,
)
from kcsp.admin import VisibleAdmin, VisibleRows, action_form_page
from kcsp.uploads import form_upload_checked
from kcsp.views import form_errors_add
from meetings.models import Meeting

# Inlines ----------------------------------------------------------------------


class SectionInline(VisibleRows, admin.StackedInline):
    model = AgreementSection
    extra = 0
    fields = ["order", "heading", "kind", "is_appendix", "body", "signature"]
    classes = ["collapse"]


class SignatoryInline(VisibleRows, admin.TabularInline):
    model = Signatory
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["order", "organisation", "name"]


class StrategyInline(VisibleRows, admin.TabularInline):
    model = LinkedStrategy
    extra = 0
    autocomplete_fields = ["owner"]
    fields = ["order", "title", "owner", "owner_name", "period", "url"]


class ChangeNoteInline(VisibleRows, admin.StackedInline):
    model = ChangeNote
    extra = 0
    fields = ["text", "recorded_by", "created_at"]
    readonly_fields = ["recorded_by", "created_at"]


class AssessmentRoundInline(VisibleRows, admin.TabularInline):
    model = AssessmentRound
    extra = 0
    fields = ["label", "year", "conducted"]
    show_change_link = True


# Forms for the two workflow steps ------------------------------------------------


class RefreshForm(forms.Form):
    slug = forms.SlugField(
        label="Period in the address",
        max_length=40,
        help_text="For example '2023-24'.",
    )
    period_start = forms.DateField(
        label="First month", help_text="For example 1 April 2023, as 01/04/2023."
    )
    period_end = forms.DateField(
        label="Last month", help_text="For example 31 March 2024, as 31/03/2024."
    )
    edition = forms.CharField(
        max_length=100,
        required=False,
        help_text="For example 'Annual refresh 2023/24'.",
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        # Offered: the year after the version being refreshed.
        start = agreement.period_start.replace(year=agreement.period_start.year + 1)
        end = dt.date(start.year + 1, start.month, 1) - dt.timedelta(days=1)
        kwargs.setdefault(
            "initial",
            {
                "slug": f"{start.year}-{str(end.year)[-2:]}",
                "period_start": start,
                "period_end": end,
                "edition": f"Annual refresh {start.year}/{str(end.year)[-2:]}",
            },
        )
        super().__init__(*args, **kwargs)


class ApproveForm(forms.Form):
    approved_on = forms.DateField(
        label="Approved on", help_text="For example 24/03/2022."
    )
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(),
        required=False,
        help_text="The meeting that approved it, if it is recorded here.",
    )
    minute_number = forms.IntegerField(
        min_value=1,
        required=False,
        help_text="The number of the minute that approved it, e.g. 52 (needs the "
        "meeting).",
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meetings = Meeting.objects.select_related("body").order_by("-start")
        if agreement.responsible_body_id:
            meetings = meetings.filter(body_id=agreement.responsible_body_id)
        field = self.fields["meeting"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = meetings


# Admins -----------------------------------------------------------------------

# Set by the refresh and approval steps, never typed in.
STATUS_FIELDS = (
    "status",
    "previous",
    "approved_on",
    "approved_at_meeting",
    "approved_by_resolution",
    "superseded_on",
)


@admin.register(Agreement)
class AgreementAdmin(VisibleAdmin):
    list_display = ["__str__", "period_start", "status", "approved_on"]
    list_filter = ["status"]
    search_fields = ["title", "slug", "edition"]
    readonly_fields = STATUS_FIELDS
    autocomplete_fields = ["responsible_body"]
    inlines = [
        SectionInline,
        SignatoryInline,
        StrategyInline,
        ChangeNoteInline,
        AssessmentRoundInline,
    ]
    actions = ["refresh", "approve"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "period_start",
                    "period_end",
                    "edition",
                    "responsible_body",
                ]
            },
        ),
        ("Status", {"fields": STATUS_FIELDS}),
        (
            "Contact",
            {
                "fields": [
                    "contact_name",
                    "contact_address",
                    "contact_email",
                    "contact_phone",
                ]
            },
        ),
        (
            "Where this record came from",
            {"classes": ["collapse"], "fields": ["source_system", "source_url"]},
        ),
    ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Superseded versions are the record of what was agreed.
        if obj is not None and obj.status == Agreement.Status.SUPERSEDED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.status != Agreement.Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(
        self,
        request: HttpRequest,
        action_location: admin.ActionLocation = admin.ActionLocation.CHANGE_LIST,
    ) -> dict[str, Any]:
        # Deleting goes through `delete_model`, one draft at a time.
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request: HttpRequest, obj: Agreement) -> None:
        services.agreement_discard(agreement=obj)

    def save_formset(
        self, request: HttpRequest, form: Any, formset: Any, change: bool
    ) -> None:
        if formset.model is ChangeNote:
            for note_form in formset.forms:
                note = note_form.instance
                if note_form.has_changed() and note.pk is None:
                    note.recorded_by = request.user
        super().save_formset(request, form, formset, change)

    def _one(
        self, request: HttpRequest, queryset: QuerySet[Agreement]
    ) -> Agreement | None:
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one version.", messages.ERROR)
            return None
        return queryset.get()

    def _step(
        self,
        request: HttpRequest,
        queryset: QuerySet[Agreement],
        *,
        action: str,
        title: str,
        form_class: type[RefreshForm | ApproveForm],
        sent_field: str,
        service: Callable[..., Agreement],
        done: Callable[[Agreement], HttpResponse | None],
    ) -> HttpResponse | None:
        """For one chosen version, ask for the step's details; once the form
        is sent (`sent_field` is posted) and valid, run `service` with them
        and hand what it returns to `done`. The service's objections are shown
        on the form."""
        agreement = self._one(request, queryset)
        if agreement is None:
            return None
        data = request.POST if sent_field in request.POST else None
        form = form_class(data, agreement=agreement)
        if form.is_valid():
            try:
                result = service(agreement=agreement, **form.cleaned_data)
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                return done(result)
        return action_form_page(
            request,
            self,
            template="admin/agreement/workflow_step.html",
            action=action,
            title=title,
            form=form,
            selected=[agreement],
            agreement=agreement,
        )

    @admin.action(description="Refresh the selected version into a new draft")
    def refresh(
        self, request: HttpRequest, queryset: QuerySet[Agreement]
    ) -> HttpResponse | None:
        def created(draft: Agreement) -> HttpResponse:
            self.message_user(
                request,
                f"Draft created: {draft}. Edit it, then approve it when the "
                "partnership has agreed it.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:agreement_agreement_change", args=[draft.pk])
            )

        return self._step(
            request,
            queryset,
            action="refresh",
            title="Refresh the agreement",
            form_class=RefreshForm,
            sent_field="slug",
            service=services.agreement_refresh,
            done=created,
        )

    @admin.action(description="Approve the selected draft")
    def approve(
        self, request: HttpRequest, queryset: QuerySet[Agreement]
    ) -> HttpResponse | None:
        def approved(version: Agreement) -> None:
            self.message_user(
                request,
                f"Approved: {version} is now the current agreement.",
                messages.SUCCESS,
            )

        return self._step(
            request,
            queryset,
            action="approve",
            title="Approve the draft",
            form_class=ApproveForm,
            sent_field="approved_on",
            service=services.agreement_approve,
            done=approved,
        )


class IssueInline(VisibleRows, admin.TabularInline):
    model = AssessmentIssue
    extra = 0
    fields = ["order", "name", "source", "highlighted", "note"]
    show_change_link = True


class VersionRowAdmin(VisibleAdmin):
    """Rows of a version of the agreement: shown, never changed, once the
    version is superseded. `agreement_path` leads from a row to its version."""

    agreement_path = "agreement"

    def _agreement(self, obj: Any) -> Agreement | None:
        for part in self.agreement_path.split("__"):
            obj = getattr(obj, part, None)
        return obj

    def _superseded(self, obj: Any) -> bool:
        agreement = self._agreement(obj) if obj is not None else None
        return agreement is not None and agreement.status == Agreement.Status.SUPERSEDED

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._superseded(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._superseded(obj) and super().has_delete_permission(request, obj)


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(VersionRowAdmin):
    list_display = ["__str__", "agreement", "year", "conducted"]
    list_filter = ["agreement"]
    list_select_related = ["agreement"]
    search_fields = ["label", "conducted"]
    inlines = [IssueInline]


@admin.register(AssessmentIssue)
class AssessmentIssueAdmin(VersionRowAdmin):
    agreement_path = "round__agreement"
    list_display = ["name", "round", "source", "highlighted"]
    list_filter = ["source", "highlighted", "round__agreement"]
    list_select_related = ["round__agreement"]
    search_fields = ["name", "note"]


class StrategicAssessmentForm(forms.ModelForm):
    """The document is checked by its contents, as every upload is."""

    class Meta:
        model = StrategicAssessment
        fields = ["partnership", "year", "priorities", "summary", "document"]

    def clean_document(self) -> Any:
        return form_upload_checked(self, "document")


@admin.register(StrategicAssessment)
class StrategicAssessmentAdmin(VisibleAdmin):
    """A district clerk records their own partnership's assessments only:
    the rows and the partnerships offered are scoped by the visibility rule."""

    form = StrategicAssessmentForm
    list_display = ["partnership", "year", "filename", "updated_at"]
    list_filter = ["year", "partnership"]
    list_select_related = ["partnership"]
    search_fields = ["partnership__name", "priorities", "summary"]
    readonly_fields = ["filename", "file_kind", "size_bytes", "uploaded_by"]

    def save_model(
        self, request: HttpRequest, obj: StrategicAssessment, form: Any, change: bool
    ) -> None:
        if "document" in form.changed_data and form.cleaned_data.get("document"):
            upload = form.cleaned_data["document"]
            services.strategic_assessment_attach(
                assessment=obj, upload=upload, name=upload.name, by=request.user
            )
        super().save_model(request, obj, form, change)
