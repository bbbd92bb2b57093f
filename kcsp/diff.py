"""What changed between two versions of a text, as data for a template.

A text is compared as lines: the caller decides what a line is (a minute
item's title, paragraphs and resolution parts; the paragraphs and list items
of an agreement's light markup). `diff_lines` promises:

- every line of both versions appears once, in order: unchanged lines as
  they were, lines only in the old version as removed, lines only in the new
  one as added, and a line edited in place as changed;
- a changed line is compared word by word, its segments alternating runs of
  unchanged, removed and added words (removed before added where both);
- `Line.before` and `Line.after` are the segments that make up the old and
  the new line, for showing the two versions side by side;
- the text is returned as given: no HTML is built or escaped here. The
  template `includes/diff.html` shows it, escaping it as it does any text.
"""

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Op = Literal["unchanged", "removed", "added"]
Change = Literal["unchanged", "changed", "removed", "added"]


@dataclass(frozen=True)
class Segment:
    """A run of words that is in both versions, or only in one of them."""

    op: Op
    text: str


@dataclass(frozen=True)
class Line:
    """One line of the comparison and how it changed."""

    change: Change
    segments: tuple[Segment, ...]

    @property
    def before(self) -> tuple[Segment, ...]:
        """The segments of the old line (nothing for an added line)."""
        return tuple(s for s in self.segments if s.op != "added")

    @property
    def after(self) -> tuple[Segment, ...]:
        """The segments of the new line (nothing for a removed line)."""
        return tuple(s for s in self.segments if s.op != "removed")


def _opcodes(
    a: Sequence[str], b: Sequence[str]
) -> Sequence[tuple[str, int, int, int, int]]:
    # autojunk would treat common words of a long text as noise and report
    # whole paragraphs as rewritten.
    return difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()


def diff_words(old: str, new: str) -> tuple[Segment, ...]:
    """The segments of one line edited in place, compared word by word."""
    a, b = old.split(), new.split()
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in _opcodes(a, b):
        if op == "equal":
            segments.append(Segment("unchanged", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("removed", " ".join(a[i1:i2])))
        if j2 > j1:
            segments.append(Segment("added", " ".join(b[j1:j2])))
    return tuple(segments)


def diff_lines(old: Sequence[str], new: Sequence[str]) -> list[Line]:
    """Every line of `old` and `new`, marked as the module docstring says.

    Where a run of old lines gives way to a run of new ones, they are paired
    in order as changed lines; the longer run's remaining lines are removed
    or added.
    """
    lines: list[Line] = []
    for op, i1, i2, j1, j2 in _opcodes(old, new):
        if op == "equal":
            lines += [
                Line("unchanged", (Segment("unchanged", text),)) for text in old[i1:i2]
            ]
            continue
        olds, news = old[i1:i2], new[j1:j2]
        for k in range(max(len(olds), len(news))):
            if k < len(olds) and k < len(news):
                lines.append(Line("changed", diff_words(olds[k], news[k])))
            elif k < len(olds):
                lines.append(Line("removed", (Segment("removed", olds[k]),)))
            else:
                lines.append(Line("added", (Segment("added", news[k]),)))
    return lines


def changed_lines(old: Sequence[str], new: Sequence[str]) -> list[Line]:
    """Only the lines that differ: empty when the two versions are the same."""
    return [line for line in diff_lines(old, new) if line.change != "unchanged"]
