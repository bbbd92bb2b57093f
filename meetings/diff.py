"""Side-by-side comparison of two versions of a minute item.

Lines are the item's title, numbered paragraphs and resolution parts; within
a changed line, removed words are marked <del> and added words <ins>.
"""

import difflib
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from meetings.minutes_editor import join_resolution


def content_lines(content: dict[str, Any]) -> list[str]:
    lines = [f"Title: {content['title']}"]
    lines += [f"{n}. {text}" for n, text in enumerate(content["paragraphs"], start=1)]
    for resolution in content["resolutions"]:
        lines += join_resolution(resolution["text"], resolution["parts"]).split("\n")
    return lines


@dataclass
class DiffRow:
    left: SafeString
    right: SafeString
    change: str  # "same", "changed", "added" or "removed"


def _words(old: str, new: str) -> tuple[SafeString, SafeString]:
    a, b = old.split(" "), new.split(" ")
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b).get_opcodes():
        old_part = escape(" ".join(a[i1:i2]))
        new_part = escape(" ".join(b[j1:j2]))
        if op == "equal":
            left.append(old_part)
            right.append(new_part)
        else:
            if old_part:
                left.append(f"<del>{old_part}</del>")
            if new_part:
                right.append(f"<ins>{new_part}</ins>")
    # Every piece above is escaped text or a fixed tag.
    return mark_safe(" ".join(left)), mark_safe(" ".join(right))  # noqa: S308


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[DiffRow]:
    a, b = content_lines(old), content_lines(new)
    rows: list[DiffRow] = []
    blank = format_html("{}", "")
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b).get_opcodes():
        if op == "equal":
            rows += [DiffRow(escape(x), escape(x), "same") for x in a[i1:i2]]
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            if k < len(olds) and k < len(news):
                left, right = _words(olds[k], news[k])
                rows.append(DiffRow(left, right, "changed"))
            elif k < len(olds):
                rows.append(
                    DiffRow(
                        format_html("<del>{}</del>", olds[k]),
                        blank,
                        "removed",
                    )
                )
            else:
                rows.append(
                    DiffRow(
                        blank,
                        format_html("<ins>{}</ins>", news[k]),
                        "added",
                    )
                )
    return rows
