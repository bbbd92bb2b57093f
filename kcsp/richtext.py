"""Rich text that is safe to show: one sanitiser for every stored fragment.

Clerks type paragraphs with light formatting (lists, bold, links); importers
bring Word-generated HTML, which their parser tidies and passes through
`sanitise_html` before it is stored. Templates pass stored HTML through it
again on output (the `|rich` filter), so nothing unsafe reaches a page or a
PDF even if a write path forgot. Nothing else in the portal decides which
tags and attributes are safe.
"""

import functools
import re
from itertools import groupby

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "ul",
    "ol",
    "li",
    "strong",
    "b",
    "em",
    "i",
    "a",
    "blockquote",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "sub",
    "sup",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}

# A paragraph with nothing in it but spaces, non-breaking spaces and breaks.
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|\u00a0|<br>)*</p>")


def sanitise_html(html: str) -> str:
    """Keep structure and links; drop scripts, styles, classes and handlers."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return _EMPTY_PARAGRAPH.sub("", cleaned).strip()


def rich(html: str) -> SafeString:
    """Stored rich text ready for a template."""
    return mark_safe(sanitise_html(html))  # noqa: S308 - sanitised just above


def plain_to_html(text: str) -> str:
    """Plain text to safe HTML paragraphs, for fields typed without markup."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    return "".join("<p>" + escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)


# Light markup: what clerks type in the minutes editor --------------------------

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+|mailto:[^\s)]+)\)")
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u00b7])\s+", re.MULTILINE)

# On escaped text: an address, optionally in <angle brackets> as e-mails write.
_BARE_URL = re.compile(
    r"(?:&lt;)?(?<![\"'=\w/])(https?://(?:(?!&gt;|&lt;)[^\s<>\"])*"
    r"(?:(?!&gt;|&lt;)[^\s<>\".,;:!?)])+)(?:&gt;)?"
)


def _inline(text: str) -> str:
    html: str = escape(text)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    links: list[str] = []

    def keep(match: re.Match[str]) -> str:
        links.append(f'<a href="{match.group(2)}">{match.group(1)}</a>')
        return f"\x00{len(links) - 1}\x00"

    html = _LINK.sub(keep, html)
    html = _BARE_URL.sub(r'<a href="\1">\1</a>', html)
    return re.sub(r"\x00(\d+)\x00", lambda m: links[int(m.group(1))], html)


@functools.lru_cache(maxsize=4096)
def render_light(text: str) -> SafeString:
    """Clerk-typed text to safe HTML (kept for the texts rendered most
    recently: lists and minutes show the same texts to every reader).

    Blank lines separate blocks; lines starting "- " (or "* ", "•") form a
    bulleted list; **bold**, [words](https://link) and bare web addresses
    become formatting and links. Everything else is escaped, and the result
    is sanitised once more.
    """
    html: list[str] = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        for is_bullet, run in groupby(
            lines, key=lambda line: bool(_BULLET.match(line))
        ):
            if is_bullet:
                items = "".join(
                    f"<li>{_inline(_BULLET.sub('', line))}</li>" for line in run
                )
                html.append(f"<ul>{items}</ul>")
            else:
                html.append("<p>" + "<br>".join(_inline(line) for line in run) + "</p>")
    return mark_safe(sanitise_html("".join(html)))  # noqa: S308


def light_to_plain(text: str) -> str:
    """The words of light markup without the markup, for search and feeds."""
    plain = _LINK.sub(r"\1", text or "")
    plain = _BOLD.sub(r"\1", plain)
    return _BULLET.sub("", plain.replace("\r", ""))


def light_to_lines(text: str) -> list[str]:
    """The paragraphs, list items and lines of light markup as plain words,
    one entry each, with blank lines left out: what a comparison of two
    versions of the text reads line by line."""
    lines = (" ".join(line.split()) for line in light_to_plain(text).split("\n"))
    return [line for line in lines if line]
