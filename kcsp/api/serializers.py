"""Small serializer parts shared by the apps' collections."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def absolute_url(context: dict[str, Any], path: str) -> str:
    """`path` as a full address on the host the request came to (as given
    when there is no request, as in a task)."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


@extend_schema_field(OpenApiTypes.URI)
class WebUrlField(serializers.Field):
    """The absolute address of the record's public page (its
    `get_absolute_url`, or the method named by `source`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("source", "*")
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        path = value.get_absolute_url() if hasattr(value, "get_absolute_url") else value
        return absolute_url(self.context, path)


class ApiModelSerializer(serializers.ModelSerializer):
    """Every record says when it last changed as the public sees it."""

    updated_at = serializers.DateTimeField(source="api_modified", read_only=True)
