"""Template filters shared by every app: British dates and times."""

import datetime as dt

from django import template
from django.utils.safestring import SafeString

from kcsp import formatting, richtext

register = template.Library()


@register.filter
def long_date(value: dt.date | dt.datetime | None) -> str:
    return formatting.long_date(value)


@register.filter
def weekday_date(value: dt.date | dt.datetime | None) -> str:
    return formatting.weekday_date(value)


@register.filter
def clock(value: dt.time | dt.datetime | None) -> str:
    return formatting.clock(value)


@register.filter
def meeting_when(value: dt.datetime | None) -> str:
    return formatting.meeting_when(value)


@register.filter
def month_year(value: dt.date | None) -> str:
    return formatting.month_year(value)


@register.filter
def file_size(value: int | None) -> str:
    return formatting.file_size(value)


@register.filter
def rich(value: str | None) -> SafeString:
    """Stored rich text, sanitised again on the way out."""
    return richtext.rich(value or "")


@register.filter
def light(value: str | None) -> SafeString:
    """Clerk-typed text (lists, **bold**, links) as safe HTML."""
    return richtext.render_light(value or "")


@register.filter
def get_item(mapping: dict[str, object] | None, key: str) -> object:
    """A dictionary value by a variable key (0 for a missing count)."""
    return (mapping or {}).get(key, 0)
