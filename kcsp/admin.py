from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from kcsp import account_admin  # noqa: F401 - registers the sign-in screens
from kcsp.locking import VersionCheckedForm
from kcsp.models import Action, ActionUpdate, Organisation, Person, Post, PostHolding


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "parent", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


class PostHoldingInline(admin.TabularInline):
    model = PostHolding
    extra = 0
    autocomplete_fields = ["person", "post"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
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
class PostAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organisation", "active"]
    list_filter = ["active", "organisation"]
    search_fields = ["title", "organisation__name", "organisation__short_name"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]
    inlines = [PostHoldingInline]


@admin.register(PostHolding)
class PostHoldingAdmin(SimpleHistoryAdmin):
    list_display = ["person", "post", "start", "end"]
    list_filter = ["post__organisation"]
    search_fields = ["person__surname", "post__title"]
    autocomplete_fields = ["person", "post"]
    list_select_related = ["person", "post__organisation"]
    date_hierarchy = "start"


class ActionUpdateInline(admin.TabularInline):
    """Updates are immutable: shown, never edited here."""

    model = ActionUpdate
    extra = 0
    can_delete = False
    fields = ["posted_at", "posted_by", "status", "rag", "text", "evidence_name"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
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
    list_filter = ["status", "rag", "source_kind", "reports_to", "is_public"]
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
        # Each source publishes its actions by its own rule (minutes
        # published, agreement approved, review published).
        "is_public",
    ]
    inlines = [ActionUpdateInline]

    def get_queryset(self, request: HttpRequest) -> Any:
        # The same rule as the portal's pages: clerks never see DHR actions.
        return Action.objects.visible_to(request.user).select_related(
            "owner_organisation"
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Closing goes through sign-off on the action's page, which records
        # who and when; the back office cannot set "closed" directly.
        return [*self.readonly_fields, "status"] if obj else self.readonly_fields
