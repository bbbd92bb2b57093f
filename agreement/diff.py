"""Readable differences between two texts, as data for a template.

Texts are clerk-typed light markup. They are compared paragraph by
paragraph (list items count as paragraphs), and within a changed paragraph
word by word. The result is segments marked equal, removed or added; the
template shows them with <del> and <ins>, so no HTML is built here.
"""

import difflib
import re
from dataclasses import dataclass, field
from typing import Literal

from kcsp.richtext import light_to_plain

Op = Literal["equal", "removed", "added"]


@dataclass(frozen=True)
class Segment:
    op: Op
    text: str


@dataclass
class DiffBlock:
    """One paragraph as it now reads, with what was removed and added."""

    change: Literal["changed", "added", "removed"]
    segments: list[Segment] = field(default_factory=list)


def paragraphs(text: str) -> list[str]:
    """The paragraphs and list items of light markup, as plain words."""
    plain = light_to_plain(text or "")
    out = []
    for line in re.split(r"\n\s*\n|\n", plain):
        words = " ".join(line.split())
        if words:
            out.append(words)
    return out


def _words(old: str, new: str) -> list[Segment]:
    a, b = old.split(" "), new.split(" ")
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("removed", " ".join(a[i1:i2])))
        if j2 > j1:
            segments.append(Segment("added", " ".join(b[j1:j2])))
    return segments


def diff_text(old: str, new: str) -> list[DiffBlock]:
    """The paragraphs that differ between `old` and `new` (empty if none)."""
    a, b = paragraphs(old), paragraphs(new)
    blocks: list[DiffBlock] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            if k < len(olds) and k < len(news):
                blocks.append(DiffBlock("changed", _words(olds[k], news[k])))
            elif k < len(olds):
                blocks.append(DiffBlock("removed", [Segment("removed", olds[k])]))
            else:
                blocks.append(DiffBlock("added", [Segment("added", news[k])]))
    return blocks
