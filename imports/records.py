"""Writing imported records: provenance and change detection.

Shared by the ModernGov and the minutes-text imports; minute items are
written by the meetings service `minute_item_import`. Every record an import
creates carries its provenance (`source_system`, `source_id`, `source_url`,
`first_imported_at`, `last_imported_at`) so a clerk can trace it back; a
record whose imported fields already hold the imported values is left
unchanged apart from `last_imported_at`.
"""

import datetime as dt
import re

from django.db import models

from imports.report import ImportReport
from kcsp.models import ProvenanceModel
from kcsp.provenance import assign, fit
from meetings.models import Resolution

__all__ = [
    "MINUTES_SOURCE",
    "MODERNGOV_SOURCE",
    "assign",
    "fit",
    "resolution_kind",
    "save_imported",
    "stamp",
]

MINUTES_SOURCE = "minutes"
MODERNGOV_SOURCE = "moderngov"


def stamp(
    obj: ProvenanceModel,
    *,
    system: str,
    source_id: str,
    url: str = "",
    now: dt.datetime,
) -> None:
    """Record where a new record came from and when it was first imported."""
    obj.source_system = system
    obj.source_id = fit(type(obj), "source_id", source_id)
    if url:
        obj.source_url = fit(type(obj), "source_url", url)
    if obj.first_imported_at is None:
        obj.first_imported_at = now
    obj.last_imported_at = now


def save_imported(
    obj: models.Model,
    *,
    kind: str,
    created: bool,
    changed: bool,
    report: ImportReport,
    now: dt.datetime,
    exclude: list[str] | None = None,
) -> None:
    """Validate and save a created or changed record; count what happened.

    An unchanged record with provenance only has its `last_imported_at`
    moved on (saved through the model, so its history records it too).
    """
    tracked = isinstance(obj, ProvenanceModel) and bool(obj.source_system)
    if created or changed:
        if tracked:
            obj.last_imported_at = now  # type: ignore[attr-defined]
        obj.full_clean(exclude=exclude)
        obj.save()
        report.count(kind, "created" if created else "updated")
        return
    if tracked:
        obj.last_imported_at = now  # type: ignore[attr-defined]
        obj.save(update_fields=["last_imported_at"])
    report.count(kind, "unchanged")


# What a resolution decided ----------------------------------------------------

_ELECTED = re.compile(r"\b(?:elected|appointed)\b", re.IGNORECASE)
_MINUTES_APPROVED = re.compile(
    r"\bminutes\b.*\b(?:correct(?:ly)?\s+record(?:ed)?|accurate\s+record|"
    r"be\s+signed|approved)\b",
    re.IGNORECASE | re.DOTALL,
)
_VERBS = (
    (re.compile(r"\bnot(?:e|ed|es|ing)\b", re.IGNORECASE), Resolution.Kind.NOTED),
    (re.compile(r"\bagree(?:s|d)?\b", re.IGNORECASE), Resolution.Kind.AGREED),
    (re.compile(r"\bendorse(?:s|d)?\b", re.IGNORECASE), Resolution.Kind.AGREED),
    (re.compile(r"\bsupport(?:s|ed)?\b", re.IGNORECASE), Resolution.Kind.AGREED),
    (re.compile(r"\badopt(?:s|ed)?\b", re.IGNORECASE), Resolution.Kind.AGREED),
    (re.compile(r"\bapprove(?:s|d)?\b", re.IGNORECASE), Resolution.Kind.APPROVED),
    (
        re.compile(r"\brecommend(?:s|ed)?\b", re.IGNORECASE),
        Resolution.Kind.RECOMMENDED,
    ),
    (re.compile(r"\brequest(?:s|ed)?\b", re.IGNORECASE), Resolution.Kind.REQUESTED),
)


def resolution_kind(text: str) -> str:
    """What a resolution decided, read from its words.

    An election or appointment is "elected"; approving the minutes of a
    meeting is "approved"; otherwise the first deciding verb counts ("note
    the report and request an update" is "noted"), and a resolution with
    none of them is "other". The clerk can change it in the drafting screen.
    """
    if _ELECTED.search(text):
        return Resolution.Kind.ELECTED
    if _MINUTES_APPROVED.search(text):
        return Resolution.Kind.APPROVED
    found = [
        (match.start(), kind)
        for pattern, kind in _VERBS
        if (match := pattern.search(text))
    ]
    return min(found)[1] if found else Resolution.Kind.OTHER
