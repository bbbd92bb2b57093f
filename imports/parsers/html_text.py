"""Sanitised minutes HTML turned into the portal's light-markup text.

The portal stores a minute's paragraphs as plain text with light markup
("- " bullets, **bold**, [words](https://link)), rendered by
`kcsp.richtext.render_light`. `html_blocks` reads HTML that has already been
through `imports.parsers.moderngov.tidy_word_html` (so only the portal's
safe structure is left: p, br, lists, strong, em, links, h3-h4, tables) and
returns its blocks in order: paragraphs, headings, lists and flattened
tables, each as light markup. Emphasis other than bold has no light markup
and is kept as plain words. It never raises on any input.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["Block", "html_blocks"]

_BLOCKS = {"p", "h3", "h4", "li", "caption"}
_LISTS = {"ul", "ol"}
_LINK_SCHEMES = ("http://", "https://", "mailto:")


@dataclass(frozen=True)
class Block:
    """One block of the HTML, as light markup.

    `kind` is "paragraph", "heading", "list" (`items` holds the entries and
    `ordered` says whether the list was numbered) or "table" (each row one
    line of `text`, cells separated by " | ").
    """

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()
    ordered: bool = False


@dataclass
class _List:
    ordered: bool
    items: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.text: list[str] = []
        self.block_tag = ""
        self.lists: list[_List] = []
        self.bold = 0
        self.bold_start: list[int] = []
        self.link: tuple[str, int] | None = None
        self.rows: list[str] = []
        self.cells: list[str] = []
        self.in_table = 0

    # -- inline text --------------------------------------------------------

    def handle_data(self, data: str) -> None:
        self.text.append(data.replace("\u00a0", " "))

    def _take_text(self) -> str:
        lines = "".join(self.text).replace("\x01", "").split("\n")
        self.text = []
        return "\n".join(" ".join(line.split()) for line in lines).strip()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.text.append("\n")
        elif tag == "strong":
            self.bold_start.append(len(self.text))
            self.text.append("\x01")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.link = (href, len(self.text))
        elif tag in _LISTS:
            self._flush_paragraph()
            self.lists.append(_List(ordered=tag == "ol"))
        elif tag == "table":
            self._flush_paragraph()
            self.in_table += 1
        elif tag in {"td", "th"}:
            self.text = []
        elif tag in _BLOCKS:
            if tag == "li" and self.lists:
                self.text = []
            else:
                self._flush_paragraph()
            self.block_tag = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == "strong" and self.bold_start:
            start = self.bold_start.pop()
            if start >= len(self.text) or self.text[start] != "\x01":
                return  # the block it opened in has already ended
            inner = "".join(self.text[start + 1 :])
            del self.text[start:]
            words = " ".join(inner.split())
            if words:
                lead = " " if inner[:1].isspace() else ""
                tail = " " if inner[-1:].isspace() else ""
                self.text.append(f"{lead}**{words}**{tail}")
        elif tag == "a" and self.link is not None:
            href, start = self.link
            self.link = None
            if start > len(self.text):
                return
            inner = "".join(self.text[start:])
            del self.text[start:]
            words = " ".join(inner.split())
            if href.lower().startswith(_LINK_SCHEMES) and words and words != href:
                self.text.append(f"[{words.replace(']', ')')}]({href})")
            elif href.lower().startswith(_LINK_SCHEMES):
                self.text.append(f" {href} ")
            else:
                self.text.append(inner)
        elif tag in {"td", "th"}:
            self.cells.append(" ".join(self._take_text().split()))
        elif tag == "tr":
            if any(self.cells):
                self.rows.append(" | ".join(self.cells))
            self.cells = []
        elif tag == "table":
            self.in_table = max(self.in_table - 1, 0)
            if not self.in_table and self.rows:
                self.blocks.append(Block("table", text="\n".join(self.rows)))
                self.rows = []
        elif tag == "li" and self.lists:
            text = self._take_text()
            if text:
                self.lists[-1].items.append(text)
            self.block_tag = ""
        elif tag in _LISTS and self.lists:
            leftover = self._take_text()
            done = self.lists.pop()
            if leftover:
                done.items.append(leftover)
            if self.lists:
                # A nested list joins its parent as entries of its own.
                self.lists[-1].items.extend(done.items)
            elif done.items:
                self.blocks.append(
                    Block("list", items=tuple(done.items), ordered=done.ordered)
                )
        elif tag in _BLOCKS:
            self._flush_paragraph()

    def _flush_paragraph(self) -> None:
        if self.in_table or (self.lists and self.block_tag == "li"):
            return
        text = self._take_text()
        kind = "heading" if self.block_tag in {"h3", "h4"} else "paragraph"
        self.block_tag = ""
        if text:
            self.blocks.append(Block(kind, text=text))

    def finish(self) -> list[Block]:
        self.close()
        while self.lists:
            self.handle_endtag("ol" if self.lists[-1].ordered else "ul")
        if self.rows:
            self.blocks.append(Block("table", text="\n".join(self.rows)))
        self.in_table = 0
        self._flush_paragraph()
        return self.blocks


def html_blocks(html: str) -> list[Block]:
    """The blocks of sanitised HTML, in order, as light markup."""
    if not html or not html.strip():
        return []
    reader = _Reader()
    reader.feed(html)
    return reader.finish()
