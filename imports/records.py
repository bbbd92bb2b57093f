"""Writing imported records: provenance, change detection and minute text.

Shared by the ModernGov and the minutes-text imports. Every record an import
creates carries its provenance (`source_system`, `source_id`, `source_url`,
`first_imported_at`, `last_imported_at`) so a clerk can trace it back; a
record whose imported fields already hold the imported values is left
unchanged apart from `last_imported_at`.
"""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import models

from imports.report import ImportReport
from kcsp.models import ProvenanceModel
from meetings.models import (
    MinuteItem,
    MinuteItemRevision,
    MinuteParagraph,
    Resolution,
    ResolutionPart,
)
from meetings.services import ResolutionInput, item_content

__all__ = [
    "MINUTES_SOURCE",
    "MODERNGOV_SOURCE",
    "ParagraphInput",
    "assign",
    "fit",
    "minute_text",
    "record_revision",
    "resolution_kind",
    "save_imported",
    "stamp",
    "write_minute_text",
]

MINUTES_SOURCE = "minutes"
MODERNGOV_SOURCE = "moderngov"


def fit(model: type[models.Model], field_name: str, value: str) -> str:
    """`value` cut to the field's length, so validation never fails on length."""
    field = model._meta.get_field(field_name)
    limit = getattr(field, "max_length", None)
    value = value.strip()
    return value[:limit].rstrip() if limit else value


def assign(obj: models.Model, values: dict[str, Any]) -> bool:
    """Set `values` on `obj`; True when any of them differed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


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


# Minute text ----------------------------------------------------------------


@dataclass(frozen=True)
class ParagraphInput:
    """A paragraph of a minute as imported; `numbered` as the source wrote it."""

    text: str
    numbered: bool = True


def minute_text(item: MinuteItem) -> dict[str, Any]:
    """An item's title, paragraphs and resolutions, for comparing with an import."""
    return {
        "title": item.title,
        "paragraphs": [(p.text, p.numbered) for p in item.paragraphs.all()],
        "resolutions": [
            (r.text, r.kind, [part.text for part in r.parts.all()])
            for r in item.resolutions.all()
        ],
    }


def imported_text(
    title: str, paragraphs: list[ParagraphInput], resolutions: list[ResolutionInput]
) -> dict[str, Any]:
    """The same shape as `minute_text`, for what an import would write."""
    return {
        "title": title,
        "paragraphs": [(p.text, p.numbered) for p in paragraphs],
        "resolutions": [(r.text, r.kind, list(r.parts)) for r in resolutions],
    }


def write_minute_text(
    item: MinuteItem,
    paragraphs: list[ParagraphInput],
    resolutions: list[ResolutionInput],
) -> None:
    """Make the item's paragraphs and resolutions exactly these, rows reused.

    Unlike the drafting screen's save this keeps whether each paragraph is
    numbered, and leaves the item's version alone: an imported item stays at
    version 1 until a clerk edits it.
    """
    existing = list(item.paragraphs.all())
    for order, paragraph in enumerate(paragraphs):
        if order < len(existing):
            row = existing[order]
            if assign(
                row,
                {
                    "text": paragraph.text,
                    "numbered": paragraph.numbered,
                    "order": order,
                },
            ):
                row.save()
        else:
            MinuteParagraph.objects.create(
                minute_item=item,
                order=order,
                text=paragraph.text,
                numbered=paragraph.numbered,
            )
    for unused in existing[len(paragraphs) :]:
        unused.delete()

    current = list(item.resolutions.all())
    for order, data in enumerate(resolutions):
        if order < len(current):
            resolution = current[order]
            if assign(
                resolution,
                {
                    "text": data.text,
                    "kind": data.kind,
                    "recommended_to": data.recommended_to,
                    "order": order,
                },
            ):
                resolution.save()
        else:
            resolution = Resolution.objects.create(
                minute_item=item,
                order=order,
                text=data.text,
                kind=data.kind,
                recommended_to=data.recommended_to,
            )
        old_parts = list(resolution.parts.all())
        for index, text in enumerate(data.parts):
            if index < len(old_parts):
                part = old_parts[index]
                if assign(part, {"text": text, "order": index}):
                    part.save()
            else:
                ResolutionPart.objects.create(
                    resolution=resolution, order=index, text=text
                )
        for unused_part in old_parts[len(data.parts) :]:
            unused_part.delete()
    for unused_resolution in current[len(resolutions) :]:
        unused_resolution.delete()


def record_revision(item: MinuteItem) -> None:
    """Keep the item's revision for its current version in step with its text.

    The drafting screen compares versions from these revisions, so an
    imported item has one for version 1 as an item started from the agenda
    does.
    """
    content = item_content(item)
    revision = MinuteItemRevision.objects.filter(
        minute_item=item, version=item.version
    ).first()
    if revision is None:
        MinuteItemRevision.objects.create(
            minute_item=item, version=item.version, content=content
        )
    elif revision.content != content:
        revision.content = content
        revision.save(update_fields=["content"])


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
