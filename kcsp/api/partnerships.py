"""The core's collection of partnerships: the county partnership and each
district or borough partnership, with links to their own records in the
other collections (each of which takes `?partnership=<slug>`)."""

from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kcsp.api.base import PublicFilterSet, PublicViewSet
from kcsp.api.serializers import ApiModelSerializer, WebUrlField, absolute_url
from kcsp.models import Partnership
from kcsp.registry import ApiEndpoint, register_api_endpoint

# The collections narrowed to one partnership, named as in `links`.
FILTERED = {"bodies": "api:body-list", "meetings": "api:meeting-list"}


class PartnershipLinksSerializer(serializers.Serializer[Any]):
    bodies = serializers.URLField()
    meetings = serializers.URLField()


class PartnershipRefSerializer(serializers.ModelSerializer[Partnership]):
    """A partnership as another record names it: by its slug, the value
    `?partnership=` takes."""

    class Meta:
        model = Partnership
        fields = ["id", "slug", "name"]


class PartnershipSerializer(ApiModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:partnership-detail")
    web_url = WebUrlField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = Partnership
        fields = [
            "id",
            "url",
            "web_url",
            "slug",
            "name",
            "short_name",
            "kind",
            "links",
            "updated_at",
        ]

    @extend_schema_field(PartnershipLinksSerializer)
    def get_links(self, partnership: Partnership) -> dict[str, str]:
        query = urlencode({"partnership": partnership.slug})
        return {
            name: absolute_url(self.context, f"{reverse(view)}?{query}")
            for name, view in FILTERED.items()
        }


class PartnershipFilter(PublicFilterSet):
    class Meta:
        model = Partnership
        fields: list[str] = []


class PartnershipViewSet(PublicViewSet):
    """Partnerships: the county partnership and the district and borough
    partnerships whose bodies meet on the portal. `links` leads to each
    one's bodies and meetings; every other collection takes
    `?partnership=<slug>` too."""

    serializer_class = PartnershipSerializer
    filterset_class = PartnershipFilter

    def public_queryset(self) -> QuerySet[Any]:
        return Partnership.objects.all()


register_api_endpoint(
    ApiEndpoint("partnerships", PartnershipViewSet, "partnership", order=5)
)
