"""The meeting page's links to its PDFs."""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("meetings/includes/downloads.html", takes_context=True)
def meeting_downloads(context: template.Context) -> dict[str, Any]:
    """The "Documents to download" block of a meeting page.

    The agenda and the reports pack are offered once the agenda is published,
    the minutes once they are published (drafts never), and the pack for staff
    to clerks only. Costs no query: the page's data is already loaded.
    """
    meeting = context["meeting"]
    page = context["page"]
    minutes = page.minutes.minutes if page.minutes is not None else None
    return {
        "meeting": meeting,
        "agenda": meeting.agenda_is_published,
        "minutes": minutes if minutes is not None and minutes.is_published else None,
        "staff_pack": page.is_staff_view,
    }
