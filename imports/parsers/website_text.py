"""A committee website's meeting page, copied as text, read into plain data.

`parse_website_text` reads ModernGov's "Agenda and minutes" page as a
browser copies it (see `imports.parsers.website` for the layout) into a
`WebPage`; `page_record` turns that into the meeting's record. The
variations councils' pages show all read the same:

- the heading "Kent Community Safety Partnership - Thursday, 14th July,
  2022 10.00 am" (ordinal or plain day, comma before the year or not, the
  time after), then "Venue:" (a room, "Online", or no line at all) and
  "Contact:" lines; "Items" and "No. Item" table headings are the page's;
- items unnumbered, numbered "46." (on a line of its own or before the
  title) or "77/21" (number/year: minute 77); a title line followed by
  its paper ("pdf icon PDF 108 KB"), "Additional documents:" and their
  papers, "Share this item", the agenda's words, then "Minutes:" and
  "Decision:" blocks (read by `minute_body`).

An item is recognised by what follows its title: a paper, "Additional
documents:", or a "Minutes:" or "Decision:" label the item before already
had (a label it lacks is its own). A numbered title is also an item when
its number cannot be the next paragraph's. An unnumbered item with no
paper and no label cannot be told from the text before it.

Every non-blank line is placed (heading, page, venue, contact, item,
paper, description, minutes, decision) or reported in `unplaced` with its
line number and the reason; nothing is dropped silently.
"""

import re
from dataclasses import replace

from imports.parsers.website import (
    PageItem,
    SourceLine,
    WebPage,
    block_label,
    clean,
    paper_link,
    read_heading,
    read_venue,
)
from imports.record import LineReport

__all__ = ["is_website_text", "parse_website_text"]

_PAGE = re.compile(
    r"Share this item|pdf icon|Items|No\.?|Item|No\.? Item|Agenda and minutes"
    r"|Agenda and decisions|Agenda|Media|Attendance details|Printed minutes"
    r"|View the (?:decision|background|reasons?) (?:for|to|why) .*"
    r"|Watch the (?:webcast|recording).*|Skip to (?:main )?content",
    re.IGNORECASE,
)
_VENUE = re.compile(r"Venue\s*:\s*(?P<rest>.*)", re.IGNORECASE)
_CONTACT = re.compile(r"Contact\s*:\s*(?P<rest>.*)", re.IGNORECASE)
_ITEM_YEAR = re.compile(r"(?P<n>\d{1,4})/(?P<y>\d{2,4})(?:\s+(?P<title>\S.*))?")
_ITEM_ALONE = re.compile(r"(?P<n>\d{1,4})[a-z]?\.")
_ITEM_INLINE = re.compile(r"(?P<n>\d{1,4})[a-z]?\.\s+(?P<title>\S.*)")
_NOT_A_TITLE = re.compile(
    r"RESOLVED\b|\(?\d{1,3}[.)](?:\s|$)|\(?[a-z]\)\s|[o\u00b7\u2022\u25aa\u25cf\u2013*-]\s",
)
_PARAGRAPH_NUMBER = re.compile(r"\(?(?P<n>\d{1,3})[.)](?:\s|$)")
# A minute title is short; a longer line is a paragraph.
_LONGEST_TITLE = 200


def is_website_text(text: str) -> bool:
    """Whether the text is a committee website page: it has the page's
    heading ("Kent Community Safety Partnership - Thursday, 14th July, 2022
    10.00 am") on a line of its own."""
    return any(
        read_heading(line)
        for line in text.splitlines()
        if " - " in line or "\u2013" in line
    )


class _Reader:
    def __init__(self, text: str) -> None:
        self.lines = [
            SourceLine(number, clean(raw))
            for number, raw in enumerate(text.splitlines(), start=1)
        ]
        self.page = WebPage()
        self.mode = ""
        self.labels: set[str] = set()
        self.last_paragraph = 0

    # -- bookkeeping ---------------------------------------------------------

    def reject(self, line: SourceLine, reason: str) -> None:
        self.page.unplaced.append(LineReport(line.line, line.text, reason))

    def warn(self, line: SourceLine, reason: str) -> None:
        self.page.warnings.append(LineReport(line.line, line.text, reason))

    def following(self, index: int) -> int | None:
        """The next line after `index` that says something (not page controls)."""
        for later in range(index + 1, len(self.lines)):
            text = self.lines[later].text
            if text and not _PAGE.fullmatch(text):
                return later
        return None

    # -- items ---------------------------------------------------------------

    def item_start(self, index: int) -> tuple[str, int | None, int] | None:
        """(label, number, index of the title line) when an item starts here."""
        text = self.lines[index].text
        number: int | None = None
        title_index = index
        sure = False
        if match := _ITEM_YEAR.fullmatch(text):
            number, sure = int(match["n"]), True
            label = f"{match['n']}/{match['y']}"
            if not match["title"]:
                title_index = self.following(index) or index
        elif match := _ITEM_ALONE.fullmatch(text):
            number, label = int(match["n"]), text
            found = self.following(index)
            if found is None:
                return None
            title_index = found
        elif match := _ITEM_INLINE.fullmatch(text):
            number, label = int(match["n"]), f"{match['n']}."
        else:
            label = ""
        title = self.title_text(index, title_index, label)
        if title_index == index and not label and _NOT_A_TITLE.match(title):
            return None
        if title_index != index and (
            block_label(title)
            or _ITEM_ALONE.fullmatch(title)
            or _ITEM_YEAR.fullmatch(title)
        ):
            return None
        if not title or len(title) > _LONGEST_TITLE:
            return None
        if sure:
            return label, number, title_index
        after = self.following(title_index)
        then = block_label(self.lines[after].text) if after is not None else None
        kind = then[0] if then else ""
        item = self.page.item
        if item is not None and self.mode == "papers" and not label:
            return None
        if paper_link(title) is not None or kind == "papers":
            return label, number, title_index
        if item is None:
            return (label, number, title_index) if kind or number is not None else None
        if kind:
            if kind in self.labels:
                return label, number, title_index
            if number is not None and number != self.last_paragraph + 1:
                return label, number, title_index
            return None
        previous = [i.number for i in self.page.items if i.number is not None]
        if (
            number is not None
            and previous
            and number == previous[-1] + 1
            and number != self.last_paragraph + 1
            and (after is None or self.item_number_at(after))
            and not title.endswith(".")
        ):
            # An agenda item with no minutes, before the next item or the end.
            return label, number, title_index
        return None

    def title_text(self, index: int, title_index: int, label: str) -> str:
        text = self.lines[title_index].text
        if title_index != index:
            return text
        if match := _ITEM_YEAR.fullmatch(text):
            return match["title"] or ""
        if label and (match := _ITEM_INLINE.fullmatch(text)):
            return match["title"]
        return text

    def item_number_at(self, index: int) -> bool:
        text = self.lines[index].text
        return bool(
            _ITEM_ALONE.fullmatch(text)
            or _ITEM_INLINE.fullmatch(text)
            or _ITEM_YEAR.fullmatch(text)
        )

    def new_item(self, index: int, start: tuple[str, int | None, int]) -> int:
        label, number, title_index = start
        line = self.lines[index]
        title = self.title_text(index, title_index, label)
        item = PageItem(label=label, number=number, title=title, line=line.line)
        if paper := paper_link(title):
            item.papers.append(replace(paper, line=self.lines[title_index].line))
            item.title = paper.title
        self.page.items.append(item)
        self.mode = "description"
        self.labels = set()
        self.last_paragraph = 0
        return title_index + 1

    # -- the page ------------------------------------------------------------

    def parse(self) -> WebPage:
        index = 0
        while index < len(self.lines):
            line = self.lines[index]
            if not line.text:
                index += 1
                continue
            index = self.read(index, line)
        return self.page.finish()

    def read(self, index: int, line: SourceLine) -> int:
        text = line.text
        page = self.page
        if page.heading is None:
            heading = read_heading(text)
            if heading is not None:
                page.heading, page.heading_line = heading, line.line
                if heading.time is None and heading.time_text:
                    self.warn(line, f"the time {heading.time_text!r} was not read")
            elif not _PAGE.fullmatch(text):
                self.reject(line, "before the page's heading: not part of the meeting")
            return index + 1
        if found := block_label(text):
            return self.read_label(index, line, *found)
        if _PAGE.fullmatch(text):
            return index + 1
        if not page.items and (match := _VENUE.fullmatch(text)):
            page.venue, page.online = read_venue(match["rest"])
            return index + 1
        if not page.items and _CONTACT.fullmatch(text):
            return index + 1
        start = self.item_start(index)
        if start is not None:
            return self.new_item(index, start)
        item = page.item
        if self.mode == "papers" and item is not None:
            if paper := paper_link(text):
                item.papers.append(replace(paper, line=line.line))
                return index + 1
            self.mode = "description"
        if item is None:
            if paper := paper_link(text):
                page.papers.append(replace(paper, line=line.line))
            else:
                self.reject(line, "before the first item: not part of one")
            return index + 1
        self.add(line)
        return index + 1

    def read_label(self, index: int, line: SourceLine, kind: str, rest: str) -> int:
        if self.page.item is None:
            self.reject(line, f"{kind.capitalize()} with no item before it")
            return index + 1
        self.mode = kind
        if kind in self.labels and kind != "papers":
            self.warn(line, f"a second '{kind.capitalize()}:' block in this item")
        self.labels.add(kind)
        self.last_paragraph = 0
        if rest:
            self.add(SourceLine(line.line, rest))
        return index + 1

    def add(self, line: SourceLine) -> None:
        item = self.page.item
        if item is None:  # the caller checked; kept for typing
            return
        if match := _PARAGRAPH_NUMBER.match(line.text):
            self.last_paragraph = int(match["n"])
        item.block(self.mode).append(line)


def parse_website_text(text: str) -> WebPage:
    """Read a committee website's meeting page, copied as text.

    Never raises on any text. A page without its heading has
    `heading` None and a warning; the caller decides what that means.
    """
    return _Reader(text).parse()
