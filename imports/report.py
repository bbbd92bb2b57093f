"""What an import did, and what it could not do, in words a clerk can act on.

Both import commands return an `ImportReport`: how many records of each kind
were created, updated or left unchanged, every line of the source that could
not be placed, every warning, and, when the import could not run at all, why.
The commands print it line by line; tests read it field by field.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from imports.record import LineReport

__all__ = ["KINDS", "OUTCOMES", "ImportReport", "ReportLine"]

# Record kinds in the order a summary lists them, singular and plural.
KINDS: dict[str, tuple[str, str]] = {
    "body": ("body", "bodies"),
    "meeting": ("meeting", "meetings"),
    "agenda section": ("agenda section", "agenda sections"),
    "agenda item": ("agenda item", "agenda items"),
    "document": ("document", "documents"),
    "document file": ("document file", "document files"),
    "person": ("person", "people"),
    "membership": ("membership", "memberships"),
    "attendance": ("attendance record", "attendance records"),
    "minutes": ("set of minutes", "sets of minutes"),
    "minute item": ("minute item", "minute items"),
}
# What can happen to a record, in the order a summary lists them. "matched"
# is an existing record the import found and used without changing it (a
# person already in the directory, a body a clerk created by hand);
# "skipped" one it left alone on purpose; "deleted" one a new version of the
# source no longer has.
OUTCOMES = ("created", "updated", "unchanged", "matched", "skipped", "deleted")


@dataclass(frozen=True)
class ReportLine:
    """One reported line: `line` is the source line (0 when not about one)."""

    kind: str
    text: str
    line: int = 0
    source: str = ""

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        quoted = f' "{_shorten(self.source)}"' if self.source else ""
        return f"{where}{self.text}{quoted}"


def _shorten(text: str, limit: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3].rstrip() + "..."


@dataclass
class ImportReport:
    """Counts per record kind and outcome, unplaced lines, warnings, failure.

    `failure` is empty unless the import could not run at all (no date in
    the minutes, minutes a clerk has already edited ...); then nothing was
    saved and `failure` says why in plain English.
    """

    title: str = ""
    dry_run: bool = False
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    unplaced: list[ReportLine] = field(default_factory=list)
    warnings: list[ReportLine] = field(default_factory=list)
    failure: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.failure)

    def count(self, kind: str, outcome: str, number: int = 1) -> None:
        if kind not in KINDS:
            raise KeyError(f"unknown record kind {kind!r}")
        if outcome not in OUTCOMES:
            raise KeyError(f"unknown outcome {outcome!r}")
        self.counts.setdefault(kind, Counter())[outcome] += number

    def total(self, kind: str, outcome: str) -> int:
        return self.counts.get(kind, Counter())[outcome]

    def warn(self, text: str, *, line: int = 0, source: str = "") -> None:
        self.warnings.append(ReportLine("warning", text, line, source))

    def not_placed(self, text: str, *, line: int = 0, source: str = "") -> None:
        self.unplaced.append(ReportLine("unplaced", text, line, source))

    def add_lines(
        self, *, unplaced: Iterable[LineReport], warnings: Iterable[LineReport]
    ) -> None:
        """Report what reading a source could not place, and its warnings."""
        for entry in unplaced:
            self.not_placed(entry.reason, line=entry.line, source=entry.text)
        for entry in warnings:
            self.warn(entry.reason, line=entry.line, source=entry.text)

    def fail(self, reason: str) -> "ImportReport":
        self.failure = reason
        return self

    def changed_anything(self) -> bool:
        return any(
            counter["created"] or counter["updated"] for counter in self.counts.values()
        )

    def summary(self) -> list[str]:
        """Lines ready to print: the counts, then unplaced lines and warnings."""
        lines: list[str] = []
        if self.title:
            lines.append(self.title)
        if self.dry_run:
            lines.append(
                "Dry run: nothing was saved; these are the changes it would make."
            )
        if self.failure:
            lines.append(f"Not imported: {self.failure}")
        for kind, (singular, plural) in KINDS.items():
            counter = self.counts.get(kind)
            if not counter:
                continue
            parts = [
                f"{counter[outcome]} {outcome}"
                for outcome in OUTCOMES
                if counter[outcome]
            ]
            total = sum(counter.values())
            lines.append(f"  {plural if total != 1 else singular}: {', '.join(parts)}")
        if not self.failure and not self.counts:
            lines.append("  Nothing to import.")
        if self.unplaced:
            lines.append(f"Lines not placed ({len(self.unplaced)}):")
            lines.extend(f"  {entry}" for entry in self.unplaced)
        if self.warnings:
            lines.append(f"Warnings ({len(self.warnings)}):")
            lines.extend(f"  {entry}" for entry in self.warnings)
        return lines
