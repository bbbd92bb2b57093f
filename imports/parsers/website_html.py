"""A committee website's meeting page, saved as HTML, read into plain data.

`parse_website_html` reads ModernGov's "Agenda and minutes" page
(ieListDocuments.aspx) from its DOM, parsed with lxml, into the same
`WebPage` the copied text gives (see `imports.parsers.website`), so both
end in the same record. From the markup it also takes what copied text
does not carry:

- the heading (`mgSubTitleTxt`), "Venue:" and "Contact:";
- each row of the items table (`mgItemTable`): the number cell
  (`mgItemNumberCell`: "46.", "77/21" or empty), the title
  (`mgAiTitleTxt`), "Additional documents:" and "Minutes:"/"Decision:"
  labels (`mgSubItemTitleTxt`), the agenda's words and the minutes
  (`mgWordPara`, tidied by `moderngov.tidy_word_html` and read into light
  markup by `html_text.html_blocks`, one line per block);
- papers: every link whose words state a file type and size ("PDF 108
  KB"), of an item or of the whole meeting, with its address made absolute
  against the page's own (the address it was fetched from, else its
  `<base>`, canonical link or the browser's "saved from" note); a paper
  whose address cannot be made absolute is reported, not imported;
- attendance, from a table headed "Attendee", "Role", "Attendance" when
  the page has one ("Expected" is the state before the meeting: recorded
  as not recorded yet when the page has minutes, for the clerk to set
  from them; else left out; reported either way).

Line numbers in reports are the lines of the HTML source. Markup is only
ever read through the DOM.
"""

import urllib.parse
from dataclasses import replace

import lxml.etree
import lxml.html

from imports.parsers.html_text import html_blocks
from imports.parsers.moderngov import tidy_word_html
from imports.parsers.moderngov_record import attendance_kind, membership_role
from imports.parsers.names import parse_name
from imports.parsers.website import (
    PageItem,
    Paper,
    SourceLine,
    WebPage,
    block_label,
    clean,
    paper_link,
    read_heading,
    read_venue,
)
from imports.record import AttendanceKind, AttendanceRecord, LineReport

__all__ = ["MAX_PAGE_BYTES", "WebPageError", "parse_website_html"]

MAX_PAGE_BYTES = 20 * 1024 * 1024
_HAS_CLASS = "contains(concat(' ', normalize-space(@class), ' '), ' {} ')"
_SKIPPED = {"mgActionList", "mgActionsContainer", "mgShareBtn", "mgNoPrint"}


class WebPageError(ValueError):
    """A page that cannot or must not be read."""


def _classes(element: lxml.html.HtmlElement) -> set[str]:
    return set((element.get("class") or "").split())


def _text(element: lxml.html.HtmlElement) -> str:
    return clean(element.text_content())


def _line(element: lxml.html.HtmlElement) -> int:
    return element.sourceline or 0


class _Reader:
    def __init__(self, root: lxml.html.HtmlElement, url: str) -> None:
        self.root = root
        self.page = WebPage()
        self.base = self.page_address(url)
        self.mode = ""
        self.seen: set[lxml.html.HtmlElement] = set()

    def warn(self, line: int, text: str, reason: str) -> None:
        self.page.warnings.append(LineReport(line, text, reason))

    def reject(self, line: int, text: str, reason: str) -> None:
        self.page.unplaced.append(LineReport(line, text, reason))

    # -- where the page came from -------------------------------------------

    def page_address(self, url: str) -> str:
        if url:
            return url
        for found in (
            self.root.xpath("//base/@href"),
            self.root.xpath("//link[@rel='canonical']/@href"),
            self.root.xpath("//meta[@property='og:url']/@content"),
        ):
            if found:
                return str(found[0]).strip()
        for comment in self.root.iter(lxml.etree.Comment):
            words = (comment.text or "").split("saved from url=", 1)
            if len(words) == 2:
                # "(0077)https://..." : the length, then the address.
                return words[1].split(")", 1)[-1].strip()
        return ""

    def address(self, href: str) -> str:
        target = urllib.parse.urljoin(self.base, href.strip())
        parts = urllib.parse.urlsplit(target)
        return target if parts.scheme in {"http", "https"} and parts.netloc else ""

    def paper(self, anchor: lxml.html.HtmlElement) -> Paper | None:
        paper = paper_link(_text(anchor))
        if paper is None:
            return None
        self.seen.add(anchor)
        url = self.address(anchor.get("href") or "")
        if not url:
            self.warn(
                _line(anchor),
                _text(anchor),
                "the page's own address is unknown, so this paper's link cannot "
                "be followed: not imported (fetch the page with --url)",
            )
        return replace(paper, url=url, line=_line(anchor))

    # -- the page --------------------------------------------------------------

    def parse(self) -> WebPage:
        self.heading()
        for row in self.root.xpath(
            f"//table[{_HAS_CLASS.format('mgItemTable')}]//tr[td]"
        ):
            self.item(row)
        for anchor in self.root.iter("a"):
            if anchor not in self.seen and (paper := self.paper(anchor)):
                self.page.papers.append(paper)
        self.attendance()
        return self.page.finish()

    def heading(self) -> None:
        candidates = self.root.xpath(
            f"//*[{_HAS_CLASS.format('mgSubTitleTxt')}] | //h1 | //h2 | //h3"
        )
        for element in candidates:
            heading = read_heading(_text(element))
            if heading is not None:
                self.page.heading, self.page.heading_line = heading, _line(element)
                break
        for element in self.root.xpath("//p | //div[not(.//p)]"):
            text = _text(element)
            label = text.split(":", 1)[0].lower()
            if label == "venue" and ":" in text:
                self.page.venue, self.page.online = read_venue(text.split(":", 1)[1])
                break

    def item(self, row: lxml.html.HtmlElement) -> None:
        cells = row.xpath("td")
        numbers = [c for c in cells if "mgItemNumberCell" in _classes(c)]
        label = _text(numbers[0]) if numbers else ""
        digits = label.split("/", 1)[0].rstrip(".")
        content = cells[-1]
        titles = content.xpath(f".//*[{_HAS_CLASS.format('mgAiTitleTxt')}]")
        title_element = titles[0] if titles else None
        title = _text(title_element) if title_element is not None else ""
        papers: list[Paper] = []
        for anchor in title_element.iter("a") if title_element is not None else ():
            if (paper := self.paper(anchor)) is not None:
                papers.append(paper)
                title = clean(title.replace(_text(anchor), ""))
        item = PageItem(
            label=label,
            number=int(digits) if digits.isdigit() else None,
            title=title,
            line=_line(row),
            papers=papers,
        )
        self.page.items.append(item)
        self.mode = "description"
        for child in content:
            if child is title_element or not isinstance(child.tag, str):
                continue
            self.content(item, child)

    def content(self, item: PageItem, element: lxml.html.HtmlElement) -> None:
        classes = _classes(element)
        if classes & _SKIPPED or element.tag in {"button", "script", "style", "img"}:
            return
        text = _text(element)
        if found := block_label(text):
            self.mode = found[0]
            if found[1]:
                item.block(self.mode).append(SourceLine(_line(element), found[1]))
            return
        anchors = list(element.iter("a"))
        papers = [p for a in anchors if (p := self.paper(a)) is not None]
        if papers and (self.mode == "papers" or len(papers) == len(anchors)):
            item.papers.extend(papers)
            return
        if self.mode == "papers":
            self.mode = "description"
        if text:
            item.block(self.mode).extend(self.lines(element))

    def lines(self, element: lxml.html.HtmlElement) -> list[SourceLine]:
        """The element's blocks, one line each, as light markup."""
        parts = [child for child in element if isinstance(child.tag, str)]
        if element.tag not in {"div", "td", "section"} or not parts:
            parts = [element]
        lines: list[SourceLine] = []
        for part in parts:
            html = lxml.html.tostring(part, encoding="unicode", with_tail=False)
            for block in html_blocks(tidy_word_html(html)):
                line = _line(part)
                if block.kind == "list":
                    lines.extend(
                        SourceLine(line, text)
                        for text in self.list_lines(block.items, block.ordered, lines)
                    )
                else:
                    lines.extend(
                        SourceLine(line, text) for text in block.text.splitlines()
                    )
            if part is not element and part.tail and part.tail.strip():
                lines.append(SourceLine(_line(part), part.tail))
        if parts != [element] and element.text and element.text.strip():
            lines.insert(0, SourceLine(_line(element), element.text))
        return lines

    @staticmethod
    def list_lines(
        items: tuple[str, ...], ordered: bool, before: list[SourceLine]
    ) -> list[str]:
        if not ordered:
            return [f"- {text}" for text in items]
        last = clean(before[-1].text).lstrip("*") if before else ""
        if last.upper().startswith("RESOLVED") or last[:2].endswith(")"):
            # An ordered list after RESOLVED holds its lettered parts.
            return [f"{chr(ord('a') + n)}) {text}" for n, text in enumerate(items)]
        return [f"{n}. {text}" for n, text in enumerate(items, start=1)]

    # -- attendance ------------------------------------------------------------

    def attendance(self) -> None:
        for table in self.root.iter("table"):
            headers = [_text(cell).lower() for cell in table.iter("th")]
            if "attendee" not in headers:
                continue
            column = {name: headers.index(name) for name in headers}
            has_minutes = any(item.minutes or item.decision for item in self.page.items)
            for order, row in enumerate(table.xpath(".//tr[td]"), start=1):
                self.attendee(row, column, order, has_minutes)

    def attendee(
        self,
        row: lxml.html.HtmlElement,
        column: dict[str, int],
        order: int,
        has_minutes: bool,
    ) -> None:
        cells = [_text(cell) for cell in row.xpath("td")]

        def cell(name: str) -> str:
            index = column.get(name)
            return cells[index] if index is not None and index < len(cells) else ""

        name, role, said = cell("attendee"), cell("role"), cell("attendance")
        notes = cell("notes") or cell("attendance notes")
        line = _line(row)
        if not name:
            self.reject(line, " | ".join(cells), "an attendance row with no name")
            return
        kind = attendance_kind(said)
        if kind is None and said.lower() == "expected":
            if not has_minutes:
                self.warn(
                    line,
                    name,
                    "attendance 'Expected' says nothing about the day: not imported",
                )
                return
            self.warn(
                line,
                name,
                "attendance 'Expected' on a page with minutes does not say they "
                "came: recorded as not recorded yet; set it from the minutes",
            )
            kind = AttendanceKind.NOT_RECORDED
        elif kind is None:
            self.warn(
                line, name, f"attendance {said!r} is not one the import knows: skipped"
            )
            return
        if kind == AttendanceKind.PRESENT and membership_role(role) is None:
            kind = AttendanceKind.IN_ATTENDANCE
        substitute_for = None
        if kind == AttendanceKind.SUBSTITUTE and notes.lower().startswith(
            ("substitute for", "for ")
        ):
            substitute_for = parse_name(notes.split("for", 1)[1])
        anchors = row.xpath("td[1]//a/@href")
        url = self.address(str(anchors[0])) if anchors else ""
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
        member = (query.get("UID") or query.get("uid") or [""])[0]
        self.page.attendance.append(
            AttendanceRecord(
                name=parse_name(name),
                kind=kind,
                capacity=role if membership_role(role) is None else "",
                in_the_chair=None,
                substitute_for=substitute_for,
                source_id=f"attendee {member}" if member else f"attendee {order}",
                url=url,
                line=line,
            )
        )


def parse_website_html(content: bytes, *, url: str = "") -> WebPage:
    """Read a committee website's meeting page, saved as HTML.

    `url` is the address the page was fetched from, against which its links
    are made absolute. Raises WebPageError for a page too large to be a
    meeting's or that is not HTML; otherwise never raises, and a page
    without its heading has `heading` None and a warning.
    """
    if len(content) > MAX_PAGE_BYTES:
        raise WebPageError(f"the page is larger than {MAX_PAGE_BYTES} bytes")
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=False)
    try:
        root = lxml.html.document_fromstring(content, parser=parser)
    except (lxml.etree.ParserError, ValueError) as error:
        raise WebPageError(f"the file is not a web page ({error})") from error
    return _Reader(root, url).parse()
