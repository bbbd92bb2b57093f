"""Priorities of the published Community Safety Agreement versions."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agreement.models import Agreement
from kcsp.api.base import (
    PublicFilterSet,
    PublicViewSet,
    SlugFilter,
    latest_related,
    partnership_filter,
    updated_along,
)
from kcsp.api.serializers import ApiModelSerializer, WebUrlField
from kcsp.registry import ApiEndpoint, register_api_endpoint
from kcsp.richtext import light_to_plain
from kcsp.visibility import Audience
from priorities.models import Priority, PriorityAction, PriorityLead
from priorities.selectors import LEAD_JOINS

PUBLIC = Audience.PUBLIC


class LeadSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display")

    class Meta:
        model = PriorityLead
        fields = ["role", "name", "is_tbc", "responsibility"]


class PrioritySerializer(ApiModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:priority-detail")
    web_url = serializers.SerializerMethodField()
    agreement_id = serializers.IntegerField()
    agreement_slug = serializers.CharField(source="agreement.slug")
    description = serializers.SerializerMethodField()
    leads = LeadSerializer(many=True, source="leads.all")
    predecessor_ids = serializers.SerializerMethodField()
    action_ids = serializers.SerializerMethodField()

    class Meta:
        model = Priority
        fields = [
            "id",
            "url",
            "web_url",
            "agreement_id",
            "agreement_slug",
            "name",
            "short_name",
            "slug",
            "order",
            "description",
            "leads",
            "predecessor_ids",
            "action_ids",
            "updated_at",
        ]

    @extend_schema_field(WebUrlField())
    def get_web_url(self, priority: Priority) -> str:
        path = priority.get_absolute_url()
        return self.context["request"].build_absolute_uri(path)

    def get_description(self, priority: Priority) -> str:
        return light_to_plain(priority.description)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_predecessor_ids(self, priority: Any) -> list[int]:
        # Prefetched by the viewset as the public may see them.
        return [p.pk for p in priority.public_predecessors]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_action_ids(self, priority: Any) -> list[int]:
        return [link.action_id for link in priority.public_actions]


class PriorityFilter(PublicFilterSet):
    partnership = partnership_filter("agreement__partnership")
    agreement = SlugFilter(
        field_name="agreement__slug",
        label="The slug of an agreement version, e.g. 2022-23.",
    )
    current = filters.BooleanFilter(
        method="filter_current", label="Only the priorities of the current version."
    )

    class Meta:
        model = Priority
        fields: list[str] = []

    def filter_current(self, queryset: QuerySet[Any], name: str, value: bool) -> Any:
        current = Priority.objects.filter(agreement__status=Agreement.Status.APPROVED)
        if value is None:
            return queryset
        return (
            queryset.filter(pk__in=current)
            if value
            else queryset.exclude(pk__in=current)
        )


class PriorityViewSet(PublicViewSet):
    """Priorities of each published version of the Community Safety
    Agreement, with their leads ("TBC" where none), the priorities of the
    earlier version they continue, and their public actions."""

    serializer_class = PrioritySerializer
    filterset_class = PriorityFilter
    changed_paths = (
        *updated_along("agreement"),
        latest_related(PriorityLead, "priority"),
        latest_related(PriorityAction, "priority"),
    )

    def public_queryset(self) -> QuerySet[Any]:
        return (
            Priority.objects.for_audience(PUBLIC)
            .select_related("agreement")
            .prefetch_related(
                Prefetch(
                    "leads",
                    queryset=PriorityLead.objects.select_related(*LEAD_JOINS).order_by(
                        "role", "order", "pk"
                    ),
                ),
                Prefetch(
                    "predecessors",
                    queryset=Priority.objects.for_audience(PUBLIC).order_by("pk"),
                    to_attr="public_predecessors",
                ),
                Prefetch(
                    "action_links",
                    queryset=PriorityAction.objects.for_audience(PUBLIC).order_by(
                        "order", "pk"
                    ),
                    to_attr="public_actions",
                ),
            )
            .order_by("-agreement__period_start", "agreement_id", "order", "pk")
        )


register_api_endpoint(ApiEndpoint("priorities", PriorityViewSet, "priority", order=41))
