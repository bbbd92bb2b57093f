"""Minutes for tests: a body with two meetings, the later approving the earlier."""

from typing import Any

from meetings import services
from meetings.models import Resolution
from tests import factories


def agenda(meeting: Any, titles: list[str]) -> list[Any]:
    section = factories.section(meeting)
    return [factories.item(section, t) for t in titles]


def write(
    item: Any,
    paragraphs: list[str],
    resolution: str = "",
    parts: list[str] | None = None,
    kind: str = Resolution.Kind.NOTED,
) -> Any:
    item.refresh_from_db()
    resolutions = (
        [services.ResolutionInput(text=resolution, parts=parts or [], kind=kind)]
        if resolution or parts
        else []
    )
    return services.minute_item_save(
        item=item,
        version=item.version,
        title=item.title,
        paragraphs=paragraphs,
        resolutions=resolutions,
    )
