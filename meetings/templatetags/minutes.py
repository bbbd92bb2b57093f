from django import template
from django.utils.safestring import SafeString, mark_safe

from kcsp.richtext import render_light

register = template.Library()


@register.filter
def resolved(value: str | None) -> SafeString:
    """A resolution's text with its opening word in bold, as minutes print it."""
    html = str(render_light(value or ""))
    if html.startswith("<p>RESOLVED"):
        html = "<p><strong>RESOLVED</strong>" + html[len("<p>RESOLVED") :]
    return mark_safe(html)  # noqa: S308 - built from sanitised output
