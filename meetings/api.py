"""The meetings app's collections in the open data API.

Shapes follow Popolo (organizations, memberships, people) and Open Civic
Data (events and their agenda items) where they fit; /api/ documents the
mapping. Every queryset starts from the model's own visibility rule for the
public (`for_audience(Audience.PUBLIC)`), and content the law keeps private
(exempt items' descriptions, papers and minutes) is never loaded.
"""

from typing import Any

from django.conf import settings
from django.db.models import (
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kcsp.api.base import (
    IdFilter,
    IsoDateFilter,
    PublicFilterSet,
    PublicViewSet,
    body_filter,
    date_filters,
    partnership_filter,
    updated_along,
)
from kcsp.api.serializers import ApiModelSerializer, WebUrlField, absolute_url
from kcsp.models import Organisation, Person
from kcsp.registry import ApiEndpoint, register_api_endpoint
from kcsp.richtext import light_to_plain
from kcsp.visibility import Audience, Visibility, exempt_reason
from meetings.models import (
    AgendaItem,
    Attendance,
    Body,
    Document,
    Meeting,
    Membership,
    MinuteItem,
    MinuteParagraph,
    Minutes,
    NamedVote,
    Resolution,
)

PUBLIC = Audience.PUBLIC


def public_bodies() -> QuerySet[Body]:
    return Body.objects.for_audience(PUBLIC)


# Shared parts ----------------------------------------------------------------------


class BodyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Body
        fields = ["id", "name", "slug"]


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name"]


class ContactDetailSerializer(serializers.Serializer):
    type = serializers.CharField()
    label = serializers.CharField()
    value = serializers.CharField()


class LocationSerializer(serializers.Serializer):
    name = serializers.CharField()
    online = serializers.BooleanField()


class ParticipantSerializer(serializers.Serializer):
    entity_type = serializers.CharField()
    entity_id = serializers.IntegerField()
    entity_name = serializers.CharField()
    note = serializers.CharField()


class MediaLinkSerializer(serializers.Serializer):
    url = serializers.URLField()


class MediaSerializer(serializers.Serializer):
    note = serializers.CharField()
    links = MediaLinkSerializer(many=True)


class SourceSerializer(serializers.Serializer):
    url = serializers.URLField()
    note = serializers.CharField()


def _sources(obj: Any) -> list[dict[str, str]]:
    if not obj.source_url:
        return []
    return [{"url": obj.source_url, "note": obj.source_system or "imported"}]


# Bodies: Popolo organizations -----------------------------------------------------


class BodySerializer(ApiModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:body-detail")
    web_url = WebUrlField()
    classification = serializers.CharField(source="kind")
    parent_id = serializers.IntegerField(allow_null=True)
    founding_date = serializers.DateField(source="active_from", allow_null=True)
    dissolution_date = serializers.DateField(source="active_until", allow_null=True)
    contact_details = serializers.SerializerMethodField()

    class Meta:
        model = Body
        fields = [
            "id",
            "url",
            "web_url",
            "name",
            "short_name",
            "slug",
            "classification",
            "parent_id",
            "founding_date",
            "dissolution_date",
            "purpose",
            "chair_title",
            "vice_chair_title",
            "contact_details",
            "updated_at",
        ]

    @extend_schema_field(ContactDetailSerializer(many=True))
    def get_contact_details(self, body: Body) -> list[dict[str, str]]:
        label = f"Clerk: {body.clerk_name}" if body.clerk_name else "Clerk"
        details = []
        if body.clerk_email:
            details.append({"type": "email", "label": label, "value": body.clerk_email})
        if body.clerk_phone:
            details.append({"type": "voice", "label": label, "value": body.clerk_phone})
        return details


class BodyFilter(PublicFilterSet):
    partnership = partnership_filter("partnership")
    classification = filters.ChoiceFilter(field_name="kind", choices=Body.Kind.choices)

    class Meta:
        model = Body
        fields: list[str] = []


class BodyViewSet(PublicViewSet):
    """Bodies (Popolo organizations): partnership boards, scrutiny
    committees and working groups whose meetings are published."""

    serializer_class = BodySerializer
    filterset_class = BodyFilter

    def public_queryset(self) -> QuerySet[Any]:
        return public_bodies().order_by("order", "name")


# People and memberships: Popolo ------------------------------------------------------


def public_memberships() -> QuerySet[Membership]:
    return Membership.objects.filter(body__in=public_bodies())


class PersonSerializer(ApiModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail")
    name = serializers.CharField(source="formal_name")
    sort_name = serializers.SerializerMethodField()
    family_name = serializers.CharField(source="surname")
    initials = serializers.CharField(source="derived_initials")
    honorific_prefix = serializers.CharField(source="title")
    honorific_suffix = serializers.CharField(source="honours")

    class Meta:
        model = Person
        fields = [
            "id",
            "url",
            "name",
            "sort_name",
            "family_name",
            "initials",
            "honorific_prefix",
            "honorific_suffix",
            "updated_at",
        ]

    def get_sort_name(self, person: Person) -> str:
        return ", ".join(p for p in (person.surname, person.derived_initials) if p)


class PersonFilter(PublicFilterSet):
    body = body_filter("body", public_bodies(), method="filter_body")

    class Meta:
        model = Person
        fields: list[str] = []

    def filter_body(self, queryset: QuerySet[Any], name: str, value: Body) -> Any:
        sits = public_memberships().filter(person=OuterRef("pk"), body=value)
        return queryset.filter(Exists(sits))


class PersonViewSet(PublicViewSet):
    """People who sit on a public body or attended a meeting whose minutes
    are published: their names as the minutes print them, nothing else."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    changed_paths = (
        "updated_at",
        Subquery(
            public_memberships()
            .filter(person=OuterRef("pk"))
            .order_by()
            .values("person")
            .annotate(latest=Max("updated_at"))
            .values("latest")[:1]
        ),
    )

    def public_queryset(self) -> QuerySet[Any]:
        sits = public_memberships().filter(person=OuterRef("pk"))
        attended = Attendance.objects.for_audience(PUBLIC).filter(person=OuterRef("pk"))
        return Person.objects.filter(
            Q(Exists(sits)) | Q(Exists(attended))
        ).alphabetical()


class MembershipSerializer(ApiModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:membership-detail")
    person_id = serializers.IntegerField()
    person_name = serializers.CharField(source="person.formal_name")
    organization_id = serializers.IntegerField(source="body_id")
    organization_name = serializers.CharField(source="body.name")
    role = serializers.CharField(source="role_label")
    role_code = serializers.CharField(source="role")
    on_behalf_of = OrganisationRefSerializer(
        source="representing", read_only=True, allow_null=True
    )
    start_date = serializers.DateField(source="start", allow_null=True)
    end_date = serializers.DateField(source="end", allow_null=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "url",
            "person_id",
            "person_name",
            "organization_id",
            "organization_name",
            "role",
            "role_code",
            "on_behalf_of",
            "political_group",
            "start_date",
            "end_date",
            "updated_at",
        ]


class MembershipFilter(PublicFilterSet):
    partnership = partnership_filter("body__partnership")
    body = body_filter("body", public_bodies())
    person = IdFilter(field_name="person_id", label="A person's id.")
    on = IsoDateFilter(
        method="filter_on", label="Only memberships in force on this date."
    )

    class Meta:
        model = Membership
        fields: list[str] = []

    def filter_on(self, queryset: Any, name: str, value: Any) -> Any:
        # Memberships' own queryset (`MembershipQuerySet.on`).
        return queryset.on(value)


class MembershipViewSet(PublicViewSet):
    """Memberships (Popolo): who sits on which body, in what role, when."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    changed_paths = updated_along("person", "body")

    def public_queryset(self) -> QuerySet[Any]:
        return public_memberships().select_related("person", "body", "representing")


# Meetings: Open Civic Data events --------------------------------------------------

OCD_STATUS = {
    Meeting.Status.SCHEDULED: "confirmed",
    Meeting.Status.AGENDA_PUBLISHED: "confirmed",
    Meeting.Status.HELD: "passed",
    Meeting.Status.CANCELLED: "cancelled",
    Meeting.Status.POSTPONED: "cancelled",
}


class MeetingSerializer(ApiModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:meeting-detail")
    web_url = WebUrlField()
    name = serializers.CharField(source="body.name")
    classification = serializers.SerializerMethodField()
    start_date = serializers.DateTimeField(source="start")
    end_date = serializers.DateTimeField(source="end", allow_null=True)
    timezone = serializers.SerializerMethodField()
    all_day = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    portal_status = serializers.ChoiceField(
        source="status", choices=Meeting.Status.choices
    )
    status_reason = serializers.SerializerMethodField()
    location = serializers.SerializerMethodField()
    body = BodyRefSerializer(read_only=True)
    participants = serializers.SerializerMethodField()
    media = serializers.SerializerMethodField()
    sources = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "url",
            "web_url",
            "name",
            "classification",
            "start_date",
            "end_date",
            "timezone",
            "all_day",
            "status",
            "portal_status",
            "status_reason",
            "location",
            "body",
            "participants",
            "agenda_published_at",
            "media",
            "sources",
            "updated_at",
        ]

    def get_classification(self, meeting: Meeting) -> str:
        return "committee-meeting"

    def get_timezone(self, meeting: Meeting) -> str:
        return settings.TIME_ZONE

    def get_all_day(self, meeting: Meeting) -> bool:
        return False

    @extend_schema_field(
        serializers.ChoiceField(choices=["confirmed", "passed", "cancelled"])
    )
    def get_status(self, meeting: Meeting) -> str:
        return OCD_STATUS.get(Meeting.Status(meeting.status), "confirmed")

    @extend_schema_field(OpenApiTypes.STR)
    def get_status_reason(self, meeting: Meeting) -> str:
        return meeting.status_reason if meeting.is_cancelled else ""

    @extend_schema_field(LocationSerializer)
    def get_location(self, meeting: Meeting) -> dict[str, Any]:
        return {"name": meeting.place, "online": meeting.online}

    @extend_schema_field(ParticipantSerializer(many=True))
    def get_participants(self, meeting: Meeting) -> list[dict[str, Any]]:
        return [
            {
                "entity_type": "organization",
                "entity_id": meeting.body_id,
                "entity_name": meeting.body.name,
                "note": "host",
            }
        ]

    @extend_schema_field(MediaSerializer(many=True))
    def get_media(self, meeting: Meeting) -> list[dict[str, Any]]:
        if not meeting.webcast_url:
            return []
        return [{"note": "Webcast", "links": [{"url": meeting.webcast_url}]}]

    @extend_schema_field(SourceSerializer(many=True))
    def get_sources(self, meeting: Meeting) -> list[dict[str, str]]:
        return _sources(meeting)


class MeetingFilter(PublicFilterSet):
    partnership = partnership_filter("body__partnership")
    body = body_filter("body", public_bodies())
    date_from, date_to = date_filters("start", "meetings")
    status = filters.ChoiceFilter(
        field_name="status",
        choices=Meeting.Status.choices,
        label="The portal's status of the meeting (portal_status).",
    )

    class Meta:
        model = Meeting
        fields: list[str] = []


class MeetingViewSet(PublicViewSet):
    """Meetings (Open Civic Data events) of public bodies, cancelled and
    postponed ones included."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    changed_paths = updated_along("body")

    def public_queryset(self) -> QuerySet[Any]:
        return (
            Meeting.objects.for_audience(PUBLIC)
            .select_related("body")
            .order_by("-start", "-pk")
        )


# Agenda items: Open Civic Data event agenda items ---------------------------------


class SectionSerializer(serializers.Serializer):
    letter = serializers.CharField()
    title = serializers.CharField()


def _public_text(field: str) -> Any:
    """A field shown only for a public item; an exempt one gives null."""

    def get(self: Any, obj: Any) -> Any:
        return getattr(obj, field) if obj.visibility == Visibility.PUBLIC else None

    return extend_schema_field(serializers.CharField(allow_null=True))(get)


class ExemptMixin(serializers.Serializer):
    is_exempt = serializers.BooleanField()
    exempt_reason = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_exempt_reason(self, obj: Any) -> str | None:
        return exempt_reason(obj.exempt_paragraph) if obj.is_exempt else None


def _meeting_fields(
    path: str,
) -> tuple[serializers.IntegerField, BodyRefSerializer, serializers.DateField]:
    """What a row of a meeting says of it, reached from the row by `path`: the
    meeting's id as the event's, its body and its date."""
    return (
        serializers.IntegerField(source=f"{path}_id"),
        BodyRefSerializer(source=f"{path}.body", read_only=True),
        serializers.DateField(source=f"{path}.date"),
    )


# The fields an agenda or minute item starts with.
_MEETING_ROW = ["id", "url", "web_url", "event_id", "body", "date"]


class AgendaItemSerializer(ExemptMixin, ApiModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:agenda-item-detail")
    web_url = WebUrlField()
    event_id, body, date = _meeting_fields("meeting")
    section = SectionSerializer(read_only=True)
    order = serializers.IntegerField(source="number")
    description = serializers.CharField(source="title")
    notes = serializers.SerializerMethodField()
    presenter = serializers.SerializerMethodField()
    classification = serializers.SerializerMethodField()
    urgency_reason = serializers.SerializerMethodField()

    get_notes = _public_text("description")
    get_presenter = _public_text("presenter")
    get_urgency_reason = _public_text("urgency_reason")

    class Meta:
        model = AgendaItem
        fields = [
            *_MEETING_ROW,
            "section",
            "order",
            "reference",
            "description",
            "notes",
            "presenter",
            "classification",
            "page_from",
            "page_to",
            "is_exempt",
            "exempt_reason",
            "is_urgent",
            "urgency_reason",
            "added_after_publication",
            "updated_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_classification(self, item: AgendaItem) -> list[str]:
        return [item.purpose] if item.purpose else []


def meeting_scoped_filter(
    model: Any, path: str, what: str, **extra: Any
) -> type[PublicFilterSet]:
    """A filter set for rows of a meeting (reached by `path`): body, meeting
    and the meeting's date, with `extra` filters."""
    date_from, date_to = date_filters(f"{path}__start", what)
    attrs = {
        "partnership": partnership_filter(f"{path}__body__partnership"),
        "body": body_filter(f"{path}__body", public_bodies()),
        "meeting": IdFilter(
            field_name=f"{path}__id", label="A meeting's id (its event id)."
        ),
        "date_from": date_from,
        "date_to": date_to,
        **extra,
        "Meta": type("Meta", (), {"model": model, "fields": []}),
    }
    return type(f"{model.__name__}Filter", (PublicFilterSet,), attrs)


class AgendaItemViewSet(PublicViewSet):
    """Items of published agendas. An exempt item shows its title and the
    Schedule 12A paragraph that makes it exempt, nothing more."""

    serializer_class = AgendaItemSerializer
    filterset_class = meeting_scoped_filter(
        AgendaItem, "meeting", "items of meetings held"
    )
    changed_paths = updated_along("meeting__body", "section")

    def public_queryset(self) -> QuerySet[Any]:
        return (
            AgendaItem.objects.for_audience(PUBLIC)
            .select_related("meeting__body", "section")
            .order_by(
                "-meeting__start",
                "meeting_id",
                "section__order",
                "section__letter",
                "number",
                "pk",
            )
        )


# Documents --------------------------------------------------------------------------


class DocumentSerializer(ApiModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:document-detail")
    event_id = serializers.IntegerField(source="meeting_id")
    agenda_item_id = serializers.IntegerField(source="item_id", allow_null=True)
    media_type = serializers.CharField(source="mime_type")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "url",
            "event_id",
            "agenda_item_id",
            "title",
            "kind",
            "version",
            "filename",
            "media_type",
            "size_bytes",
            "page_count",
            "sha256",
            "published_at",
            "download_url",
            "updated_at",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, document: Document) -> str | None:
        if document.file:
            return absolute_url(self.context, document.get_absolute_url())
        return document.external_url or None


class DocumentViewSet(PublicViewSet):
    """Published public papers: metadata and where to download them."""

    serializer_class = DocumentSerializer
    filterset_class = meeting_scoped_filter(
        Document,
        "meeting",
        "papers of meetings held",
        agenda_item=IdFilter(field_name="item_id", label="An agenda item's id."),
    )
    changed_paths = updated_along("meeting", "item")

    def public_queryset(self) -> QuerySet[Any]:
        return Document.objects.for_audience(PUBLIC).order_by(
            "-meeting__start", "meeting_id", "item_id", "order", "pk"
        )


# Minutes and decisions -------------------------------------------------------------


class PartSerializer(serializers.Serializer):
    letter = serializers.CharField()
    text = serializers.SerializerMethodField()

    def get_text(self, part: Any) -> str:
        return light_to_plain(part.text)


class NamedVoteSerializer(serializers.Serializer):
    person_id = serializers.IntegerField()
    name = serializers.CharField(source="person.formal_name")
    vote = serializers.CharField(source="choice")


class VoteSerializer(serializers.Serializer):
    """A resolution's recorded vote: counted, or named with each member's."""

    kind = serializers.CharField(source="vote")
    votes_for = serializers.IntegerField()
    votes_against = serializers.IntegerField()
    votes_abstained = serializers.IntegerField()
    named = NamedVoteSerializer(many=True, source="named_votes.all")


class RecordedVoteField(serializers.Field):
    """The vote, or null when none was recorded."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, resolution: Resolution) -> Any:
        return VoteSerializer(resolution).data if resolution.vote else None


def resolutions_with_votes(queryset: QuerySet[Resolution]) -> QuerySet[Resolution]:
    return queryset.prefetch_related(
        "parts",
        Prefetch("named_votes", queryset=NamedVote.objects.select_related("person")),
    )


class ParagraphSerializer(serializers.ModelSerializer):
    text = serializers.SerializerMethodField()

    class Meta:
        model = MinuteParagraph
        fields = ["numbered", "text"]

    def get_text(self, paragraph: MinuteParagraph) -> str:
        return light_to_plain(paragraph.text)


class ResolutionBriefSerializer(serializers.ModelSerializer):
    text = serializers.SerializerMethodField()
    parts = PartSerializer(many=True, source="parts.all")
    vote = extend_schema_field(VoteSerializer(allow_null=True))(RecordedVoteField)()

    class Meta:
        model = Resolution
        fields = ["id", "text", "kind", "recommended_to", "parts", "vote"]

    def get_text(self, resolution: Resolution) -> str:
        return light_to_plain(resolution.text)


class MinuteItemSerializer(ExemptMixin, ApiModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:minute-item-detail")
    web_url = WebUrlField()
    event_id, body, date = _meeting_fields("minutes.meeting")
    minutes_status = serializers.ChoiceField(
        source="minutes.status",
        choices=[
            (Minutes.Status.PUBLISHED_DRAFT.value, "Draft, subject to approval"),
            (Minutes.Status.APPROVED.value, "Approved"),
        ],
    )
    agenda_item_id = serializers.IntegerField(allow_null=True)
    paragraphs = ParagraphSerializer(many=True, source="public_paragraphs")
    resolutions = ResolutionBriefSerializer(many=True, source="public_resolutions")

    class Meta:
        model = MinuteItem
        fields = [
            *_MEETING_ROW,
            "minutes_status",
            "number",
            "title",
            "agenda_reference",
            "agenda_item_id",
            "is_exempt",
            "exempt_reason",
            "paragraphs",
            "resolutions",
            "updated_at",
        ]


class MinuteItemViewSet(PublicViewSet):
    """Items of published minutes (draft subject to approval, or approved):
    numbered paragraphs and resolutions. An exempt item shows its number,
    title and the reason only."""

    serializer_class = MinuteItemSerializer
    filterset_class = meeting_scoped_filter(
        MinuteItem, "minutes__meeting", "minutes of meetings held"
    )
    changed_paths = updated_along("minutes__meeting__body")

    def public_queryset(self) -> QuerySet[Any]:
        paragraphs: QuerySet[Any] = MinuteParagraph.objects.for_audience(
            PUBLIC
        ).order_by("order", "pk")
        resolutions: QuerySet[Any] = resolutions_with_votes(
            Resolution.objects.for_audience(PUBLIC)
        ).order_by("order", "pk")
        return (
            MinuteItem.objects.for_audience(PUBLIC)
            .select_related("minutes__meeting__body")
            .prefetch_related(
                Prefetch(
                    "paragraphs", queryset=paragraphs, to_attr="public_paragraphs"
                ),
                Prefetch(
                    "resolutions", queryset=resolutions, to_attr="public_resolutions"
                ),
            )
            .order_by("-minutes__meeting__start", "minutes_id", "order", "number")
        )


class ResolutionSerializer(ApiModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:resolution-detail")
    web_url = WebUrlField()
    minute_item_id = serializers.IntegerField()
    minute_number = serializers.IntegerField(source="minute_item.number")
    minute_title = serializers.CharField(source="minute_item.title")
    event_id, body, date = _meeting_fields("minute_item.minutes.meeting")
    minutes_status = serializers.CharField(source="minute_item.minutes.status")
    text = serializers.SerializerMethodField()
    parts = PartSerializer(many=True, source="parts.all")
    vote = extend_schema_field(VoteSerializer(allow_null=True))(RecordedVoteField)()

    class Meta:
        model = Resolution
        fields = [
            "id",
            "url",
            "web_url",
            "minute_item_id",
            "minute_number",
            "minute_title",
            "event_id",
            "body",
            "date",
            "minutes_status",
            "kind",
            "text",
            "parts",
            "recommended_to",
            "vote",
            "updated_at",
        ]

    def get_text(self, resolution: Resolution) -> str:
        return light_to_plain(resolution.text)


class ResolutionViewSet(PublicViewSet):
    """Decisions (RESOLVED blocks) of public items of published minutes."""

    serializer_class = ResolutionSerializer
    filterset_class = meeting_scoped_filter(
        Resolution,
        "minute_item__minutes__meeting",
        "decisions of meetings held",
        kind=filters.ChoiceFilter(choices=Resolution.Kind.choices),
    )
    changed_paths = updated_along("minute_item__minutes__meeting")

    def public_queryset(self) -> QuerySet[Any]:
        return (
            resolutions_with_votes(Resolution.objects.for_audience(PUBLIC))
            .select_related("minute_item__minutes__meeting__body")
            .order_by(
                "-minute_item__minutes__meeting__start",
                "minute_item__number",
                "order",
                "pk",
            )
        )


for endpoint in (
    ApiEndpoint("bodies", BodyViewSet, "body", order=10),
    ApiEndpoint("memberships", MembershipViewSet, "membership", order=11),
    ApiEndpoint("people", PersonViewSet, "person", order=12),
    ApiEndpoint("meetings", MeetingViewSet, "meeting", order=20),
    ApiEndpoint("agenda-items", AgendaItemViewSet, "agenda-item", order=21),
    ApiEndpoint("documents", DocumentViewSet, "document", order=22),
    ApiEndpoint("minute-items", MinuteItemViewSet, "minute-item", order=30),
    ApiEndpoint("resolutions", ResolutionViewSet, "resolution", order=31),
):
    register_api_endpoint(endpoint)
