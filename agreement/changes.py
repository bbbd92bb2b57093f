"""What changed between two versions, described as data for the changes page.

Each part of a version (its sections, strategies and signatories here; its
priorities, themes and leads in the priorities app) reports a `ChangeGroup`.
Items carried into a refresh remember where they came from, so "renamed",
"merged" and "split" are read from that lineage rather than guessed from
names.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from kcsp.diff import Line, changed_lines
from kcsp.richtext import light_to_lines


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    RENAMED = "renamed"
    MERGED = "merged"
    SPLIT = "split"
    CHANGED = "changed"


@dataclass(frozen=True)
class Change:
    """One change: names as they were (`before`) and as they are (`after`).

    `subject` says what changed for a CHANGED entry, for example the
    priority whose lead changed.
    """

    kind: ChangeKind
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    subject: str = ""


@dataclass(frozen=True)
class TextChange:
    """A text of the version (a priority's context ...): its changed lines."""

    label: str
    lines: list[Line]


@dataclass
class ChangeGroup:
    title: str
    changes: list[Change] = field(default_factory=list)
    texts: list[TextChange] = field(default_factory=list)
    order: int = 100
    # What a change in `changes` is about, for the sentences of the page:
    # "priority", "theme", "lead", "strategy" ...
    noun: str = "item"

    @property
    def empty(self) -> bool:
        return not (self.changes or self.texts)


@dataclass(frozen=True)
class Named:
    """An item of one version, by its id, name and position."""

    pk: int
    name: str


def lineage_changes(
    *,
    earlier: Iterable[Named],
    later: Iterable[Named],
    links: Iterable[tuple[int, int]],
) -> list[Change]:
    """Added, removed, renamed, merged and split items between two versions.

    `links` are (earlier pk, later pk) pairs: the later item continues the
    earlier one. A later item with no link was added; an earlier item with
    none was removed; two or more earlier items continued by one later item
    were merged into it; one earlier item continued by several was split.
    """
    earlier = list(earlier)
    later = list(later)
    old = {item.pk: item for item in earlier}
    new = {item.pk: item for item in later}
    successors: dict[int, list[int]] = defaultdict(list)
    predecessors: dict[int, list[int]] = defaultdict(list)
    for e, lt in links:
        if e in old and lt in new:
            successors[e].append(lt)
            predecessors[lt].append(e)
    position = {item.pk: i for i, item in enumerate(earlier)}
    changes: list[Change] = []
    for item in later:
        preds = sorted(predecessors[item.pk], key=position.__getitem__)
        if not preds:
            changes.append(Change(ChangeKind.ADDED, after=(item.name,)))
        elif len(preds) > 1:
            changes.append(
                Change(
                    ChangeKind.MERGED,
                    before=tuple(old[p].name for p in preds),
                    after=(item.name,),
                )
            )
        elif len(successors[preds[0]]) == 1 and old[preds[0]].name != item.name:
            changes.append(
                Change(
                    ChangeKind.RENAMED, before=(old[preds[0]].name,), after=(item.name,)
                )
            )
    for item in earlier:
        succ = successors[item.pk]
        if not succ:
            changes.append(Change(ChangeKind.REMOVED, before=(item.name,)))
        elif len(succ) > 1:
            changes.append(
                Change(
                    ChangeKind.SPLIT,
                    before=(item.name,),
                    after=tuple(new[s].name for s in succ),
                )
            )
    return changes


def set_changes(*, earlier: Iterable[str], later: Iterable[str]) -> list[Change]:
    """Added and removed entries of a list compared by name (strategies ...)."""
    before, after = list(earlier), list(later)
    gone, came = set(before) - set(after), set(after) - set(before)
    return [Change(ChangeKind.ADDED, after=(n,)) for n in after if n in came] + [
        Change(ChangeKind.REMOVED, before=(n,)) for n in before if n in gone
    ]


def text_change(label: str, old: str, new: str) -> TextChange | None:
    """The paragraphs of light markup that differ, or None if none do."""
    lines = changed_lines(light_to_lines(old), light_to_lines(new))
    return TextChange(label, lines) if lines else None
