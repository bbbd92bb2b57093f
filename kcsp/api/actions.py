"""The core's collection: public tracked actions.

Only actions of sources that offer them to open data are listed
(`registry.ActionSource.open_data`): the design keeps Domestic Homicide
Reviews out of the open data API.
"""

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kcsp import registry
from kcsp.api.base import (
    PublicFilterSet,
    PublicViewSet,
    SlugFilter,
    date_filters,
    partnership_filter,
)
from kcsp.api.serializers import ApiModelSerializer, absolute_url
from kcsp.models import Action, Organisation
from kcsp.registry import ApiEndpoint, register_api_endpoint


class OwnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "slug"]


class ActionSerializer(ApiModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:action-detail")
    owner = OwnerSerializer(source="owner_organisation", read_only=True)
    source_url = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "url",
            "title",
            "description",
            "owner",
            "due_date",
            "status",
            "rag",
            "source_kind",
            "source_label",
            "source_url",
            "reports_to",
            "completed_at",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_source_url(self, action: Action) -> str | None:
        if not action.source_url:
            return None
        return absolute_url(self.context, action.source_url)


class ActionFilter(PublicFilterSet):
    status = filters.ChoiceFilter(choices=Action.Status.choices)
    source_kind = filters.ChoiceFilter(
        # Read when the API is loaded, after every app registered its sources
        # (`registry.autodiscover`), so the API's description lists them.
        choices=[
            c
            for c in registry.action_kind_choices()
            if c[0] in registry.open_action_kinds()
        ]
    )
    owner = SlugFilter(
        field_name="owner_organisation__slug",
        label="The slug of the owning organisation.",
    )
    partnership = partnership_filter("partnership")
    date_from, date_to = date_filters("due_date", "actions due")

    class Meta:
        model = Action
        fields: list[str] = []


class ActionViewSet(PublicViewSet):
    """Public actions: what the partnership's bodies and its agreement asked
    partners to do, with owner, due date, status and RAG rating."""

    serializer_class = ActionSerializer
    filterset_class = ActionFilter

    def public_queryset(self) -> QuerySet[Any]:
        return (
            Action.objects.public()
            .filter(source_kind__in=registry.open_action_kinds())
            .select_related("owner_organisation")
            .order_by("due_date", "pk")
        )


register_api_endpoint(
    ApiEndpoint(prefix="actions", viewset=ActionViewSet, basename="action", order=90)
)
