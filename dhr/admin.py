"""The DHR coordinator's back office.

Only the DHR coordinator role (and administrators) hold the dhr model
permissions. Every change view, history view and list of case data writes
an access-log row. Writes that carry rules go through `dhr.services`:
recommendations are numbered and published from the case page, documents
are uploaded there (checked by content), and the access log is read-only,
for administrators only.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html

from dhr import models, services
from dhr.models.funding import YearlyAmount
from kcsp.admin import ReadOnlyAdmin, ShownInline, VisibleAdmin, VisibleRows
from kcsp.visibility import Content, audience_of

What = models.AccessLog.What


class AuditedAdmin(VisibleAdmin):
    """Writes one access-log row for each list, change and history view."""

    def case_of(self, obj: Any) -> models.Case | None:
        """The case the row is part of, named in the access log."""
        return obj.case

    def _audit(self, request: HttpRequest, what: str, obj: Any = None) -> None:
        services.access_log_record(
            user=request.user,
            what=what,
            path=request.get_full_path(),
            case=self.case_of(obj) if obj is not None else None,
        )

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            self._audit(request, What.ADMIN_LIST)
        return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.has_view_or_change_permission(request, obj):
            self._audit(request, What.ADMIN_CHANGE, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.has_view_or_change_permission(request, obj):
            self._audit(request, What.ADMIN_HISTORY, obj)
        return super().history_view(request, object_id, extra_context)


class AllConstraintsForm(forms.ModelForm):
    """Checks every constraint, including those on fields the form does not
    show (publication is set from the case page), so a save never fails in
    the database instead."""

    def validate_constraints(self) -> None:
        try:
            self.instance.validate_constraints()
        except ValidationError as error:
            # As ModelForm reports its own constraint errors.
            self._update_errors(error)  # type: ignore[attr-defined]


@admin.display(description="Financial year", ordering="financial_year")
def year_label(obj: YearlyAmount) -> str:
    """A contribution's or a cost's financial year, as '2022/23'."""
    return obj.year_label


# Cases ------------------------------------------------------------------------


class CaseAgencyInline(VisibleRows, admin.TabularInline):
    model = models.CaseAgency
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = [
        "organisation",
        "on_panel",
        "imr_requested_on",
        "imr_due_on",
        "imr_received_on",
    ]


class RecommendationInline(ShownInline):
    """Shown here; added on the case page, where they are numbered."""

    model = models.Recommendation
    fields = readonly_fields = ("number", "text", "level")
    show_change_link = True
    can_delete = False


class PublishedDocumentInline(ShownInline):
    """Uploaded on the case page (checked by content); removable here."""

    model = models.PublishedDocument
    fields = readonly_fields = (
        "kind",
        "download",
        "size_bytes",
        "uploaded_by",
        "updated_at",
    )

    @admin.display(description="File")
    def download(self, obj: models.PublishedDocument) -> str:
        if not obj.pk:
            return ""
        return format_html('<a href="{}">{}</a>', obj.get_staff_url(), obj.filename)


class CaseCostInline(VisibleRows, admin.TabularInline):
    model = models.CaseCost
    extra = 0
    fields = ["financial_year", "kind", "amount", "description"]


@admin.register(models.Case)
class CaseAdmin(AuditedAdmin):
    form = AllConstraintsForm
    list_display = [
        "reference",
        "public_name",
        "area",
        "notified_on",
        "decision",
        "published_on",
        "closed_on",
    ]
    list_filter = ["decision", "qa_outcome", "kind", "area"]
    search_fields = ["reference", "pseudonym"]
    date_hierarchy = "notified_on"
    autocomplete_fields = ["chair", "local_csp"]
    readonly_fields = ["slug", "published_on"]
    inlines = [
        CaseAgencyInline,
        RecommendationInline,
        PublishedDocumentInline,
        CaseCostInline,
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "reference",
                    "pseudonym",
                    "year",
                    "area",
                    "local_csp",
                    "kind",
                    "recorded_from_publication",
                ]
            },
        ),
        (
            "Facts for the Home Office (no names)",
            {
                "fields": [
                    "date_of_death",
                    "victim_age",
                    "victim_sex",
                    "perpetrator_relationship",
                    "perpetrator_age",
                    "perpetrator_sex",
                ]
            },
        ),
        (
            "Notification and decision",
            {
                "fields": [
                    "notified_on",
                    "decision",
                    "decision_on",
                    "decision_reason",
                    "home_office_notified_on",
                ]
            },
        ),
        (
            "The review",
            {
                "fields": [
                    "chair",
                    "panel_appointed_on",
                    "terms_of_reference_agreed_on",
                    "overview_report_drafted_on",
                    "executive_summary_drafted_on",
                    "submitted_to_qa_on",
                    "qa_outcome",
                    "qa_outcome_on",
                ]
            },
        ),
        (
            "Publication and closure",
            {
                "description": "Publish from the case page; change the take-down "
                "date and whether the action plan is public here.",
                "fields": [
                    "published_on",
                    "slug",
                    "action_plan_public",
                    "published_url",
                    "takedown_on",
                    "closed_on",
                ],
            },
        ),
    ]

    def case_of(self, obj: Any) -> models.Case | None:
        return obj

    @admin.display(description="Published as", ordering="pseudonym")
    def public_name(self, obj: models.Case) -> str:
        return obj.public_name

    def view_on_site(self, obj: models.Case) -> str:
        return obj.get_staff_url()

    def save_model(
        self, request: HttpRequest, obj: models.Case, form: Any, change: bool
    ) -> None:
        services.case_save(case=obj)


# Recommendations --------------------------------------------------------------


class AgencyActionInline(ShownInline):
    """The actions answering a recommendation; each is worked on its own page."""

    model = models.AgencyAction
    fields = readonly_fields = (
        "tracked_action",
        "signed_off_on",
        "minute_item",
        "minute_reference",
    )
    can_delete = False

    @admin.display(description="Action")
    def tracked_action(self, obj: models.AgencyAction) -> str:
        action = obj.action
        return format_html(
            '<a href="{}">{}</a> ({}, {})',
            action.get_absolute_url(),
            action.title,
            action.owner_organisation.name,
            action.get_status_display(),
        )

    def get_queryset(self, request: HttpRequest) -> Any:
        return (
            super()
            .get_queryset(request)
            .select_related("action__owner_organisation", "minute_item")
        )


@admin.register(models.Recommendation)
class RecommendationAdmin(AuditedAdmin):
    list_display = ["__str__", "level", "addressee"]
    list_filter = ["level", "themes"]
    list_select_related = ["case", "addressed_to"]
    search_fields = ["case__reference", "text"]
    autocomplete_fields = ["addressed_to"]
    readonly_fields = ["case", "number"]
    fields = [
        "case",
        "number",
        "text",
        "level",
        "addressed_to",
        "addressed_to_other",
        "themes",
    ]
    filter_horizontal = ["themes"]
    inlines = [AgencyActionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Added from the case page, which numbers them.
        return False

    @admin.display(description="Addressed to")
    def addressee(self, obj: models.Recommendation) -> str:
        return obj.addressee


@admin.register(models.LearningTheme)
class LearningThemeAdmin(VisibleAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


# Timescales and configuration ----------------------------------------------------


@admin.register(models.StageTarget)
class StageTargetAdmin(VisibleAdmin):
    form = AllConstraintsForm
    list_display = ["stage", "after", "amount", "unit", "active", "basis"]
    list_editable = ["amount", "unit", "active"]
    list_filter = ["active"]


@admin.register(models.Configuration)
class ConfigurationAdmin(VisibleAdmin):
    fields = ["board", "takedown_after_months"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return (
            super().has_add_permission(request)
            and not models.Configuration.objects.exists()
        )

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False


# Funding ----------------------------------------------------------------------


@admin.register(models.FundingContribution)
class FundingContributionAdmin(VisibleAdmin):
    form = AllConstraintsForm
    list_display = ["organisation", year_label, "amount", "received_on", "note"]
    list_filter = ["financial_year"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    search_fields = ["organisation__name"]


@admin.register(models.CaseCost)
class CaseCostAdmin(AuditedAdmin):
    list_display = ["case", year_label, "kind", "amount", "description"]
    list_filter = ["financial_year", "kind"]
    list_select_related = ["case"]
    search_fields = ["case__reference", "description"]
    autocomplete_fields = ["case"]


# Access log -------------------------------------------------------------------


@admin.register(models.AccessLog)
class AccessLogAdmin(ReadOnlyAdmin, VisibleRows, admin.ModelAdmin):
    """Read-only, and for administrators only: not even the coordinator,
    whose reads it records, may see or change it."""

    list_display = ["at", "username", "what", "case_link", "path"]
    list_filter = ["what"]
    search_fields = ["username", "case_reference", "path"]
    date_hierarchy = "at"
    list_select_related = ["case"]
    fields = readonly_fields = (
        "at",
        "username",
        "user",
        "what",
        "case",
        "case_reference",
        "path",
    )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return audience_of(request.user).sees_all(Content.ACCESS_LOGS)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    @admin.display(description="Case", ordering="case_reference")
    def case_link(self, obj: models.AccessLog) -> str:
        if obj.case_id is None:
            return obj.case_reference
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:dhr_case_change", args=[obj.case_id]),
            obj.case_reference,
        )
