"""What site search can find in meetings: minutes, agenda items and papers.

The index holds only words that may ever be public: an exempt agenda item
is indexed as its title and Schedule 12A reason, an exempt minute item's
paragraphs and decisions are not indexed at all, and a paper's text layer is
indexed only while the paper itself is public and not under an exempt item.
Who may find an entry today (published agenda, published minutes, a public
body) is decided at search time by each model's `for_audience`.
"""

import html
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.html import strip_tags

from kcsp.formatting import long_date
from kcsp.models import SearchEntry
from kcsp.registry import (
    SearchBodies,
    SearchLink,
    SearchSource,
    SearchText,
    register_search_bodies,
    register_search_source,
)
from kcsp.richtext import light_to_plain, sanitise_html
from kcsp.visibility import Audience, Visibility, exempt_reason
from meetings.models import (
    AgendaItem,
    Body,
    Document,
    Meeting,
    MinuteItem,
    MinuteParagraph,
    Minutes,
    Resolution,
    ResolutionPart,
)

if TYPE_CHECKING:
    from kcsp.search.query import Dated

MEETING_JOINS = "meeting__body"
MINUTE_JOINS = "minute_item__minutes__meeting__body"
# What a meeting's address and context line are made from.
MEETING_LINK = ("start", "url_key", "body__name", "body__slug")


def _link_fields(path: str, *fields: str) -> tuple[str, ...]:
    return tuple(f"{path}__{name}" for name in fields)


def _meeting_context(meeting: Meeting) -> str:
    return f"{meeting.body.name}, {long_date(meeting.start)}"


def _minutes_context(minutes: Minutes) -> str:
    context = _meeting_context(minutes.meeting)
    if minutes.status == Minutes.Status.PUBLISHED_DRAFT:
        return f"{context} (draft minutes, subject to approval)"
    if minutes.status == Minutes.Status.DRAFT:
        return f"{context} (draft minutes, not published)"
    return context


def _html_words(value: str) -> str:
    """The words of stored rich text (scripts and styles dropped whole)."""
    blocks = sanitise_html(value).replace("</p>", "</p>\n").replace("<br>", "\n")
    return html.unescape(strip_tags(blocks))


def _minute_title(item: MinuteItem) -> str:
    return f"Minute {item.number}: {item.title}"


def _register_meeting_source(
    *,
    meeting: str,
    link_fields: tuple[str, ...],
    follows: tuple[tuple[type[Any], str], ...] = (),
    **source: Any,
) -> None:
    """Offer rows of a meeting, reached from a row by the lookup `meeting`, to
    site search: each found under the meeting's body, its link made from
    `link_fields` and the meeting's, and indexed again when the meeting
    changes, or what `follows`."""
    register_search_source(
        SearchSource(
            link_fields=(*link_fields, *_link_fields(meeting, *MEETING_LINK)),
            body_path=f"{meeting}__body__slug",
            follows=(*follows, (Meeting, meeting)),
            **source,
        )
    )


# Minute paragraphs ----------------------------------------------------------------


def _paragraph_rows() -> QuerySet[MinuteParagraph]:
    return MinuteParagraph.objects.select_related(MINUTE_JOINS).filter(
        minute_item__visibility=Visibility.PUBLIC
    )


def _paragraph_text(row: MinuteParagraph) -> SearchText:
    item = row.minute_item
    return SearchText(
        title=_minute_title(item),
        text=light_to_plain(row.text),
        date=item.minutes.meeting.date,
    )


def _minute_link(row: MinuteParagraph | Resolution) -> SearchLink:
    return SearchLink(
        title=_minute_title(row.minute_item),
        url=row.minute_item.get_absolute_url(),
        context=_minutes_context(row.minute_item.minutes),
    )


def _register_minute_source(
    *, follows: tuple[tuple[type[Any], str], ...] = (), **source: Any
) -> None:
    """Offer rows of a minute item (its paragraphs, its decisions) to site
    search: each found as its minute item, and indexed again when the item
    changes too."""
    _register_meeting_source(
        meeting="minute_item__minutes__meeting",
        link_fields=_link_fields("minute_item", "number", "title", "minutes__status"),
        link=_minute_link,
        follows=(*follows, (MinuteItem, "minute_item")),
        **source,
    )


_register_minute_source(
    key="meetings.paragraph",
    kind="minutes",
    kind_label="Minutes",
    model=MinuteParagraph,
    rows=_paragraph_rows,
    text=_paragraph_text,
)


# Resolutions ----------------------------------------------------------------------


def _resolution_rows() -> QuerySet[Resolution]:
    return (
        Resolution.objects.select_related(MINUTE_JOINS)
        .prefetch_related("parts")
        .filter(minute_item__visibility=Visibility.PUBLIC)
    )


def _resolution_text(row: Resolution) -> SearchText:
    parts = [f"{part.letter}) {part.text}" for part in row.parts.all()]
    return SearchText(
        title=_minute_title(row.minute_item),
        text="\n".join([light_to_plain(row.text), *parts]),
        date=row.minute_item.minutes.meeting.date,
    )


RESOLUTIONS = "meetings.resolution"


def resolutions_matching(words: str) -> "QuerySet[SearchEntry, int] | list[Dated]":
    """The ids of resolutions whose minute's title, text or lettered parts
    match `words` (site search's syntax), read from the search index, for
    the decisions register's filter. Resolutions of exempt minutes are not
    in the index.

    On PostgreSQL the ids are read first, in a query of their own: nested as
    a subquery, the planner guesses how many rows match from each word
    alone (words that go together, like "domestic abuse", are guessed rare)
    and walks every decision of the archive in order to join them. Each
    comes with its meeting's day (`dated_matches`), so that a page of the
    register is looked up among the newest alone (`MatchesNewestFirst`).
    """
    from kcsp.search.query import dated_matches, full_text, matching

    found = matching(SearchEntry.objects.filter(source=RESOLUTIONS), words)
    if full_text():
        return dated_matches(found)
    return found.values_list("object_id", flat=True)


_register_minute_source(
    key=RESOLUTIONS,
    kind="decisions",
    kind_label="Decisions",
    model=Resolution,
    rows=_resolution_rows,
    text=_resolution_text,
    follows=((ResolutionPart, "parts"),),
)


# Agenda items ---------------------------------------------------------------------


def _item_text(row: AgendaItem) -> SearchText:
    title = f"Item {row.reference}: {row.title}"
    if row.is_exempt:
        # The law makes the title and reason public, and nothing else.
        text = exempt_reason(row.exempt_paragraph)
    else:
        text = "\n".join(
            part
            for part in (_html_words(row.description), row.presenter)
            if part.strip()
        )
    return SearchText(title=title, text=text, date=row.meeting.date)


def _item_link(row: AgendaItem) -> SearchLink:
    return SearchLink(
        title=f"Item {row.reference}: {row.title}",
        url=row.get_absolute_url(),
        context=_meeting_context(row.meeting)
        + (f". {exempt_reason(row.exempt_paragraph)}" if row.is_exempt else ""),
    )


_register_meeting_source(
    meeting="meeting",
    key="meetings.agenda_item",
    kind="agenda",
    kind_label="Agenda items",
    model=AgendaItem,
    rows=lambda: AgendaItem.objects.select_related(MEETING_JOINS),
    text=_item_text,
    link_fields=("reference", "title", "visibility", "exempt_paragraph"),
    link=_item_link,
)


# Papers ---------------------------------------------------------------------------


def _document_rows() -> QuerySet[Document]:
    """Public papers only: a restricted or exempt paper's words never reach
    the index, whoever searches."""
    return (
        Document.objects.select_related(MEETING_JOINS, "item")
        .filter(visibility=Visibility.PUBLIC)
        .exclude(item__visibility=Visibility.EXEMPT)
    )


def _document_text(row: Document) -> SearchText:
    return SearchText(title=row.title, text=row.text, date=row.meeting.date)


def _document_link(row: Document) -> SearchLink:
    context = _meeting_context(row.meeting)
    if row.item is not None:
        context = f"{context}, item {row.item.reference}: {row.item.title}"
    return SearchLink(
        title=f"{row.title} ({row.kind_label})",
        url=row.get_absolute_url(),
        context=context,
    )


_register_meeting_source(
    meeting="meeting",
    key="meetings.document",
    kind="papers",
    kind_label="Papers",
    model=Document,
    rows=_document_rows,
    text=_document_text,
    link_fields=("title", "file_kind", "filename", "item__reference", "item__title"),
    link=_document_link,
    follows=((AgendaItem, "item"),),
)


# Bodies to narrow by --------------------------------------------------------------


def _body_choices(audience: Audience) -> list[tuple[str, str]]:
    return list(Body.objects.for_audience(audience).values_list("slug", "name"))


register_search_bodies(SearchBodies(choices=_body_choices))
