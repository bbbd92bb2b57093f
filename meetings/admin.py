"""The clerks' back office for bodies, meetings, agendas and papers.

Writes that carry rules (publishing, the late-item rule, renumbering, file
checks) go through `meetings.services`, so the back office cannot bypass them.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from kcsp.admin import (
    ReadOnlyAdmin,
    ShownInline,
    SourceFilter,
    VisibleAdmin,
    VisibleRows,
)
from kcsp.locking import VersionCheckedForm
from kcsp.uploads import uploaded_file_response
from meetings import models, services

# Where an imported record came from (see the imports app), shown to
# clerks read-only so the trail cannot be edited away.
PROVENANCE_FIELDS = [
    "source_system",
    "source_id",
    "source_url",
    "first_imported_at",
    "last_imported_at",
]
PROVENANCE_FIELDSET = (
    "Where this record came from",
    {"classes": ["collapse"], "fields": PROVENANCE_FIELDS},
)

# A document's fields, but for the item it belongs to (on an item's own page,
# the item is the page).
DOCUMENT_FIELDS = (
    "title",
    "kind",
    "version",
    "file",
    "external_url",
    "visibility",
    "exempt_paragraph",
    "published_at",
    "order",
)

# Forms ------------------------------------------------------------------------


class DocumentForm(forms.ModelForm):
    """Checks an uploaded file by its content before anything is stored."""

    class Meta:
        model = models.Document
        fields = ["item", *DOCUMENT_FIELDS]

    def clean_file(self) -> Any:
        from kcsp.uploads import form_upload_checked

        return form_upload_checked(self, "file")


def _attach_new_upload(
    document: models.Document, form: forms.ModelForm, user: Any
) -> None:
    if "file" in form.changed_data and form.cleaned_data.get("file"):
        upload = form.cleaned_data["file"]
        services.document_attach_file(
            document=document, upload=upload, name=upload.name
        )
        if document.uploaded_by_id is None:
            document.uploaded_by = user


class AgendaItemForm(VersionCheckedForm):
    class Meta:
        model = models.AgendaItem
        fields = [
            "section",
            "number",
            "title",
            "description",
            "presenter",
            "purpose",
            "page_from",
            "page_to",
            "visibility",
            "exempt_paragraph",
            "public_interest_statement",
            "is_urgent",
            "urgency_reason",
            "standard",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        item = self.instance
        section = cleaned.get("section")
        if item._state.adding and section is not None:
            item.meeting = section.meeting
            item.urgency_reason = cleaned.get("urgency_reason") or ""
            try:
                services.agenda_item_late_rule(item=item)
            except ValidationError as error:
                self.add_error(None, error)
            else:
                cleaned["is_urgent"] = item.is_urgent or cleaned.get("is_urgent")
        return cleaned


# Inlines ----------------------------------------------------------------------


class MembershipInline(VisibleRows, admin.TabularInline):
    model = models.Membership
    extra = 0
    autocomplete_fields = ["person", "representing"]
    fields = ["person", "role", "political_group", "representing", "start", "end"]


class AgendaTemplateInline(VisibleRows, admin.TabularInline):
    model = models.AgendaTemplateItem
    extra = 0
    fields = ["section_letter", "section_title", "title", "standard", "order"]


class RecurringItemInline(VisibleRows, admin.TabularInline):
    model = models.RecurringItem
    extra = 0
    fields = ["title", "month", "every_years", "first_year", "presenter", "active"]


class AgendaSectionInline(VisibleRows, admin.TabularInline):
    model = models.AgendaSection
    extra = 0
    fields = ["letter", "title", "order"]


class AgendaItemInline(VisibleRows, admin.StackedInline):
    model = models.AgendaItem
    form = AgendaItemForm
    extra = 0
    show_change_link = True
    classes = ["collapse"]
    fk_name = "meeting"

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "section":
            match = request.resolver_match
            meeting_id = match.kwargs.get("object_id") if match else None
            kwargs["queryset"] = models.AgendaSection.objects.filter(
                meeting_id=meeting_id or 0
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AttendanceInline(VisibleRows, admin.TabularInline):
    model = models.Attendance
    extra = 0
    fk_name = "meeting"
    autocomplete_fields = ["person", "substitute_for"]
    fields = ["person", "kind", "substitute_for", "in_the_chair", "capacity", "order"]


class DocumentInline(VisibleRows, admin.StackedInline):
    model = models.Document
    form = DocumentForm
    extra = 0
    classes = ["collapse"]


class ItemDocumentInline(DocumentInline):
    fk_name = "item"
    fields = DOCUMENT_FIELDS


class DeclarationInline(VisibleRows, admin.TabularInline):
    model = models.Declaration
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "item", "kind", "details"]


# Admins -----------------------------------------------------------------------


@admin.register(models.Body)
class BodyAdmin(VisibleAdmin):
    list_display = [
        "name",
        "partnership",
        "kind",
        "is_public",
        "clerk_name",
        "minute_numbering",
    ]
    list_filter = ["partnership", "kind", "is_public"]
    list_select_related = ["partnership"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline, AgendaTemplateInline, RecurringItemInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "short_name",
                    "slug",
                    "partnership",
                    "kind",
                    "parent",
                    "purpose",
                ]
            },
        ),
        ("Clerk", {"fields": ["clerk_name", "clerk_phone", "clerk_email"]}),
        (
            "How it works",
            {
                "fields": [
                    "chair_title",
                    "vice_chair_title",
                    "meeting_minutes",
                    "minutes_target_days",
                    "minute_numbering",
                    "quorum",
                    "shows_political_groups",
                    "is_public",
                    "active_from",
                    "active_until",
                    "order",
                ]
            },
        ),
        (
            "Members",
            {
                "fields": ["agenda_to_members"],
                "description": "Members' e-mail addresses are those of the "
                "people in the partner directory.",
            },
        ),
        (
            "Public questions",
            {
                "fields": [
                    "accepts_questions",
                    "question_deadline_days",
                    "question_word_limit",
                ]
            },
        ),
        (
            "Petitions",
            {
                "fields": [
                    "accepts_petitions",
                    "petition_threshold",
                    "petition_days",
                ]
            },
        ),
        PROVENANCE_FIELDSET,
    ]
    readonly_fields = [*PROVENANCE_FIELDS]


@admin.register(models.Meeting)
class MeetingAdmin(VisibleAdmin):
    list_display = ["__str__", "start", "status", "agenda_published_at", "place"]
    list_filter = ["status", "body__partnership", "body"]
    list_select_related = ["body"]
    search_fields = ["body__name", "venue"]
    date_hierarchy = "start"
    autocomplete_fields = ["body"]
    readonly_fields = [
        "workspace",
        "agenda_published_at",
        "url_key",
        *PROVENANCE_FIELDS,
    ]
    inlines = [
        AgendaSectionInline,
        AgendaItemInline,
        DocumentInline,
        AttendanceInline,
        DeclarationInline,
    ]
    # Publishing, starting an agenda, moving and cancelling are the clerk's
    # workspace's, each confirmed after a summary; the list offers no bulk
    # shortcut round them.
    actions = None
    fieldsets = [
        (None, {"fields": ["body", "start", "end", "venue", "online", "webcast_url"]}),
        (
            "Status",
            {
                "fields": [
                    "workspace",
                    "status",
                    "status_reason",
                    "agenda_published_at",
                ]
            },
        ),
        PROVENANCE_FIELDSET,
    ]

    @admin.display(description="Venue")
    def place(self, obj: models.Meeting) -> str:
        return obj.place

    def save_model(
        self, request: HttpRequest, obj: models.Meeting, form: Any, change: bool
    ) -> None:
        services.meeting_save(meeting=obj)

    def save_formset(
        self, request: HttpRequest, form: Any, formset: Any, change: bool
    ) -> None:
        if formset.model is models.Document:
            for f in formset.forms:
                if f.has_changed() and not f.cleaned_data.get("DELETE"):
                    _attach_new_upload(f.instance, f, request.user)
        super().save_formset(request, form, formset, change)
        if formset.model is models.AgendaItem:
            for section in form.instance.sections.all():
                services.agenda_section_renumber(section=section)

    @admin.display(description="Clerk's workspace")
    def workspace(self, obj: models.Meeting) -> str:
        if obj.pk is None:
            return "-"
        url = reverse("manage:meeting", args=[obj.body.slug, obj.url_key])
        return format_html(
            '<a href="{}">Publish, move or cancel it in the clerk\'s workspace</a>', url
        )


@admin.register(models.AgendaItem)
class AgendaItemAdmin(VisibleAdmin):
    form = AgendaItemForm
    list_display = ["reference", "title", "meeting", "visibility", "is_urgent"]
    list_filter = ["visibility", "is_urgent", "meeting__body"]
    list_select_related = ["meeting__body"]
    search_fields = ["title", "description", "presenter"]
    inlines = [ItemDocumentInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fixed = ["reference", "meeting"] if obj else ["reference"]
        return [*fixed, *PROVENANCE_FIELDS]

    def save_model(
        self, request: HttpRequest, obj: models.AgendaItem, form: Any, change: bool
    ) -> None:
        obj.meeting = obj.section.meeting
        super().save_model(request, obj, form, change)
        services.agenda_section_renumber(section=obj.section)

    def save_formset(
        self, request: HttpRequest, form: Any, formset: Any, change: bool
    ) -> None:
        for f in formset.forms:
            if f.has_changed() and not f.cleaned_data.get("DELETE"):
                f.instance.meeting = form.instance.meeting
                _attach_new_upload(f.instance, f, request.user)
        super().save_formset(request, form, formset, change)


@admin.register(models.Document)
class DocumentAdmin(VisibleAdmin):
    form = DocumentForm
    list_display = [
        "title",
        "meeting",
        "kind",
        "visibility",
        "file_kind",
        "published_at",
    ]
    list_filter = ["visibility", "kind", "file_kind", "meeting__body"]
    list_select_related = ["meeting__body"]
    search_fields = ["title", "filename"]
    readonly_fields = [
        "filename",
        "file_kind",
        "size_bytes",
        "page_count",
        "sha256",
        *PROVENANCE_FIELDS,
    ]
    autocomplete_fields = ["meeting"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["meeting", *DocumentForm.Meta.fields, *self.readonly_fields]

    def save_model(
        self, request: HttpRequest, obj: models.Document, form: Any, change: bool
    ) -> None:
        _attach_new_upload(obj, form, request.user)
        super().save_model(request, obj, form, change)


@admin.register(models.Declaration)
class DeclarationAdmin(VisibleAdmin):
    list_display = ["person", "meeting", "item", "kind"]
    list_filter = ["kind", "meeting__body"]
    list_select_related = ["person", "meeting__body", "item"]
    search_fields = ["person__surname", "details"]
    autocomplete_fields = ["person", "meeting"]


@admin.register(models.ForwardPlanItem)
class ForwardPlanItemAdmin(VisibleAdmin):
    list_display = ["title", "body", "meeting", "source", "is_public"]
    list_filter = ["source", "body", "is_public"]
    list_select_related = ["body", "meeting__body"]
    search_fields = ["title"]
    autocomplete_fields = ["meeting", "partner_to_attend"]
    readonly_fields = ["recurring", "action"]


class MinuteItemProvenanceInline(ShownInline):
    """Each minute item and where it came from; the text is edited in the
    drafting screen."""

    model = models.MinuteItem
    can_delete = False
    show_change_link = False
    fields = readonly_fields = (
        "number",
        "title",
        "agenda_reference",
        "version",
        "source_system",
        "source_id",
        "last_imported_at",
    )


@admin.register(models.Minutes)
class MinutesAdmin(ReadOnlyAdmin, VisibleAdmin):
    """Read-only: where minutes came from and the text they were imported
    from. models.Minutes are written, published and approved in the drafting
    screen."""

    list_display = ["__str__", "status", "source_system", "source_id"]
    list_filter = ["status", SourceFilter, "meeting__body"]
    list_select_related = ["meeting__body"]
    search_fields = ["meeting__body__name", "source_id"]
    fields = readonly_fields = (
        "meeting",
        "status",
        "first_number",
        *PROVENANCE_FIELDS,
        "source_text",
    )
    inlines = [MinuteItemProvenanceInline]


@admin.register(models.CallForAction)
class CallForActionAdmin(ReadOnlyAdmin, VisibleAdmin):
    """Read-only, with its history: calls are recorded and moved through
    their stages on the clerk's screens under /manage/calls-for-action/."""

    list_display = ["title", "body", "status", "received_on"]
    list_filter = ["status", "body"]
    list_select_related = ["body"]
    search_fields = ["title", "area", "matter"]
    fields = readonly_fields = (
        "body",
        "member",
        "area",
        "title",
        "matter",
        "tried",
        "status",
        "received_on",
        "agenda_item",
        "outcome",
        "outcome_text",
        "outcome_on",
        "closed_reason",
        "closed_on",
    )


@admin.register(models.Redaction)
class RedactionAdmin(ReadOnlyAdmin, VisibleAdmin):
    """What each redaction took out of a published minute or paper, for
    administrators alone (`Content.REDACTED`); a redaction is made on the
    clerk's workspace screen and never changed."""

    list_display = ["made_at", "meeting", "what", "reason", "made_by"]
    list_select_related = ["meeting__body", "minute_item", "document", "made_by"]
    search_fields = ["reason", "passage", "meeting__body__name"]
    fields = readonly_fields = (
        "meeting",
        "what",
        "reason",
        "passage",
        "original_wording",
        "original_download",
        "made_by",
        "made_at",
    )

    @admin.display(description="Original wording")
    def original_wording(self, obj: models.Redaction) -> str:
        return format_html_join(
            "", "<p><strong>{}</strong></p><pre>{}</pre>", obj.original.items()
        )

    @admin.display(description="Original file")
    def original_download(self, obj: models.Redaction) -> str:
        if not obj.original_file:
            return "-"
        url = reverse("admin:meetings_redaction_original", args=[obj.pk])
        return format_html('<a href="{}">The paper as first published</a>', url)

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<int:pk>/original/",
                self.admin_site.admin_view(self.original_view),
                name="meetings_redaction_original",
            ),
            *super().get_urls(),
        ]

    def original_view(self, request: HttpRequest, pk: int) -> FileResponse:
        """The redacted paper's file as uploaded, to those the list shows it to."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        redaction = get_object_or_404(self.get_queryset(request), pk=pk)
        if not redaction.original_file:
            raise Http404("No such file.")
        response = uploaded_file_response(
            redaction.original_file,
            filename=(
                redaction.document.filename if redaction.document else "original.pdf"
            ),
            file_kind="pdf",
        )
        response["Cache-Control"] = "private, no-store"
        return response
