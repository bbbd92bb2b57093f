"""Additions to the generated OpenAPI description."""

from typing import Any

ERROR = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in words."},
        "errors": {
            "type": "object",
            "description": "For a query that is not valid: the messages per parameter.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail"],
}

ERROR_REF = "#/components/schemas/Error"

VALIDATORS = {
    "ETag": {"schema": {"type": "string"}},
    "Last-Modified": {"schema": {"type": "string"}},
}


def _error(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
        },
    }
    if headers:
        response["headers"] = headers
    return response


def add_common_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Every operation may answer 304 to a conditional request, 404, and 429
    when a client asks too often; lists also 400 for a query not valid."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            if "200" in responses:
                responses["200"].setdefault("headers", {}).update(VALIDATORS)
            responses["304"] = {
                "description": "Not modified since the ETag or date the request "
                "gave (If-None-Match or If-Modified-Since).",
                "headers": VALIDATORS,
            }
            responses["400"] = _error("A query parameter is not valid.")
            responses["404"] = _error("No such public record, or no such page.")
            responses["429"] = _error(
                "Too many requests from this address.",
                {
                    "Retry-After": {
                        "schema": {"type": "integer"},
                        "description": "Seconds to wait before asking again.",
                    }
                },
            )
            operation.setdefault("parameters", [])
            for name, description in (
                ("If-None-Match", "An ETag from an earlier response."),
                ("If-Modified-Since", "A Last-Modified from an earlier response."),
            ):
                operation["parameters"].append(
                    {
                        "in": "header",
                        "name": name,
                        "required": False,
                        "schema": {"type": "string"},
                        "description": description,
                    }
                )
    return result
