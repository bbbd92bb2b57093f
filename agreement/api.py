"""The Community Safety Agreement's versions in the open data API.

Only approved and superseded versions (the agreement's own visibility rule);
drafts of a refresh never appear.
"""

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agreement.models import Agreement, StrategicAssessment
from kcsp.api.base import (
    PublicFilterSet,
    PublicViewSet,
    YearFilter,
    partnership_filter,
)
from kcsp.api.partnerships import PartnershipRefSerializer
from kcsp.api.serializers import ApiModelSerializer, WebUrlField, absolute_url
from kcsp.registry import ApiEndpoint, register_api_endpoint
from kcsp.visibility import Audience
from meetings.api import BodyRefSerializer


class AgreementContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    address = serializers.ListField(child=serializers.CharField())
    email = serializers.CharField()
    phone = serializers.CharField()


class AgreementSerializer(ApiModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:agreement-detail")
    web_url = WebUrlField()
    previous_id = serializers.IntegerField(allow_null=True)
    responsible_body = serializers.SerializerMethodField()
    approved_at_event_id = serializers.SerializerMethodField()
    contact = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "url",
            "web_url",
            "title",
            "slug",
            "edition",
            "period",
            "period_start",
            "period_end",
            "status",
            "previous_id",
            "responsible_body",
            "approved_on",
            "approved_at_event_id",
            "superseded_on",
            "contact",
            "updated_at",
        ]

    def _public_body(self, body: Any) -> bool:
        return body is not None and body.is_public

    @extend_schema_field(BodyRefSerializer(allow_null=True))
    def get_responsible_body(self, agreement: Agreement) -> dict[str, Any] | None:
        body = agreement.responsible_body
        return BodyRefSerializer(body).data if self._public_body(body) else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_approved_at_event_id(self, agreement: Agreement) -> int | None:
        meeting = agreement.approved_at_meeting
        return meeting.pk if meeting and self._public_body(meeting.body) else None

    @extend_schema_field(AgreementContactSerializer)
    def get_contact(self, agreement: Agreement) -> dict[str, Any]:
        return {
            "name": agreement.contact_name,
            "address": agreement.contact_lines,
            "email": agreement.contact_email,
            "phone": agreement.contact_phone,
        }


class AgreementFilter(PublicFilterSet):
    partnership = partnership_filter("partnership")
    status = filters.ChoiceFilter(
        choices=[
            (Agreement.Status.APPROVED.value, "Approved (the current agreement)"),
            (Agreement.Status.SUPERSEDED.value, "Superseded by a later version"),
        ]
    )

    class Meta:
        model = Agreement
        fields: list[str] = []


class AgreementViewSet(PublicViewSet):
    """Versions of the Community Safety Agreement: the current one and those
    it superseded, with their periods and approval."""

    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter

    def public_queryset(self) -> QuerySet[Any]:
        return (
            Agreement.objects.for_audience(Audience.PUBLIC)
            .select_related("responsible_body", "approved_at_meeting__body")
            .order_by("-period_start", "-pk")
        )


register_api_endpoint(
    ApiEndpoint("agreements", AgreementViewSet, "agreement", order=40)
)


class AssessmentDocumentSerializer(serializers.Serializer):
    url = serializers.URLField()
    filename = serializers.CharField()
    kind = serializers.CharField(help_text="For example 'PDF' or 'Word document'.")
    size_bytes = serializers.IntegerField(allow_null=True)


class StrategicAssessmentSerializer(ApiModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:strategic-assessment-detail"
    )
    web_url = WebUrlField()
    partnership = PartnershipRefSerializer()
    priorities = serializers.ListField(
        child=serializers.CharField(),
        source="priority_list",
        help_text="The priorities the assessment chose, highest first.",
    )
    document = serializers.SerializerMethodField()

    class Meta:
        model = StrategicAssessment
        fields = [
            "id",
            "url",
            "web_url",
            "partnership",
            "year",
            "priorities",
            "summary",
            "document",
            "updated_at",
        ]

    @extend_schema_field(AssessmentDocumentSerializer(allow_null=True))
    def get_document(self, assessment: StrategicAssessment) -> dict[str, Any] | None:
        if not assessment.document:
            return None
        return {
            "url": absolute_url(self.context, assessment.get_document_url()),
            "filename": assessment.filename,
            "kind": assessment.kind_label,
            "size_bytes": assessment.size_bytes,
        }


class StrategicAssessmentFilter(PublicFilterSet):
    partnership = partnership_filter("partnership")
    year = YearFilter(
        field_name="year",
        label="Only the assessments made in this year, for example 2010.",
    )

    class Meta:
        model = StrategicAssessment
        fields: list[str] = []


class StrategicAssessmentViewSet(PublicViewSet):
    """District and borough partnerships' annual strategic assessments: the
    priorities each chose, highest first, from which the agreement's matrix
    is computed, with a summary and the assessment's document."""

    serializer_class = StrategicAssessmentSerializer
    filterset_class = StrategicAssessmentFilter

    def public_queryset(self) -> QuerySet[Any]:
        return (
            StrategicAssessment.objects.for_audience(Audience.PUBLIC)
            .select_related("partnership")
            .order_by("-year", "partnership__name", "pk")
        )


register_api_endpoint(
    ApiEndpoint(
        "strategic-assessments",
        StrategicAssessmentViewSet,
        "strategic-assessment",
        order=45,
    )
)
