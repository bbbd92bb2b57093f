"""Redacting a passage from a published minute item or paper.

The passage is replaced by "[redacted: <reason>]" wherever it occurs in the
public version, and in every earlier wording a non-administrator can still
open: the minute item's saved revisions and staged change, recorded
corrections, the minutes' imported text, and the rows of their change
history. The original wording is kept on the `Redaction` record alone,
which only administrators read (`Content.REDACTED`).

A paper is redacted through its text layer: its public file becomes a PDF
built from that text with the passage replaced (tagged, titled, in the
site's language, through the PDF service), and the file as uploaded is kept
on the redaction. A paper without a text layer (a scan) cannot be redacted
here; replace its file instead.

Saving the changed rows moves the content version, so cached pages and
PDFs are made again, and re-indexes them for site search.
"""

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from kcsp.pdf import PdfError
from meetings.models import (
    Document,
    Meeting,
    MinuteItem,
    MinuteItemRevision,
    MinuteParagraph,
    Minutes,
    MinutesCorrection,
    Redaction,
    Resolution,
    ResolutionPart,
)
from meetings.models.attendance import PUBLISHED_MINUTES
from meetings.models.redaction import MARKER
from meetings.services.agendas import document_attach_file
from meetings.services.minutes import item_content

__all__ = [
    "Found",
    "redactable_documents",
    "redactable_minute_items",
    "redaction_apply",
    "redaction_preview",
]

# How much of the text around a passage a preview shows, each side.
CONTEXT = 60
REASON_MAX = 200


@dataclass(frozen=True)
class Found:
    """Where a passage occurs, and that text as it will read."""

    place: str
    times: int
    before: str
    after: str


def redactable_minute_items(meeting: Meeting) -> models.QuerySet[MinuteItem]:
    """The minute items of the meeting's published minutes."""
    return MinuteItem.objects.filter(
        minutes__meeting=meeting, minutes__status__in=PUBLISHED_MINUTES
    ).order_by("order", "number")


def redactable_documents(meeting: Meeting) -> models.QuerySet[Document]:
    """The meeting's published papers that have a text layer to redact."""
    return (
        Document.objects.filter(meeting=meeting, published_at__isnull=False)
        .exclude(text="")
        .exclude(file="")
    )


def _pattern(passage: str) -> re.Pattern[str]:
    """The passage with any run of white space matching any other (a line
    break in a paper's text layer, a double space), in any case."""
    words = passage.split()
    if not words:
        raise ValidationError({"passage": "Enter the passage to redact."})
    return re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)


def _reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Say why the passage is redacted."})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": f"Keep the reason to {REASON_MAX} characters or fewer."}
        )
    return reason


def _snippet(text: str, match: re.Match[str], marker: str) -> tuple[str, str]:
    start, end = max(0, match.start() - CONTEXT), match.end() + CONTEXT
    head = ("..." if start else "") + text[start : match.start()]
    tail = text[match.end() : end] + ("..." if end < len(text) else "")
    return (
        " ".join(f"{head}{match.group(0)}{tail}".split()),
        " ".join(f"{head}{marker}{tail}".split()),
    )


# The texts of a minute item a redaction reads: (place, row, field).
Texts = list[tuple[str, models.Model, str]]


def _minute_texts(item: MinuteItem) -> Texts:
    texts: Texts = []
    for n, paragraph in enumerate(item.paragraphs.order_by("order", "pk"), 1):
        texts.append((f"Paragraph {n}", paragraph, "text"))
    for n, resolution in enumerate(item.resolutions.order_by("order", "pk"), 1):
        texts.append((f"Resolution {n}", resolution, "text"))
        for part in resolution.parts.order_by("order", "pk"):
            texts.append((f"Resolution {n}, part {part.letter})", part, "text"))
    return texts


def _document_texts(document: Document) -> Texts:
    return [("The paper's text", document, "text")]


def _texts(target: MinuteItem | Document) -> Texts:
    if isinstance(target, MinuteItem):
        return _minute_texts(target)
    return _document_texts(target)


def redaction_preview(
    *, target: MinuteItem | Document, passage: str, reason: str
) -> list[Found]:
    """Where `passage` occurs in the target's public text, each place with
    its words before and after. Raises ValidationError when it occurs
    nowhere, or the reason is missing."""
    pattern, marker = _pattern(passage), MARKER.format(reason=_reason(reason))
    found = []
    for place, row, name in _texts(target):
        text = getattr(row, name)
        matches = list(pattern.finditer(text))
        if matches:
            before, after = _snippet(text, matches[0], marker)
            found.append(Found(place, len(matches), before, after))
    if not found:
        raise ValidationError(
            {
                "passage": "That passage is not in the text. Copy it from the "
                "published text exactly; capitals and line breaks do not matter."
            }
        )
    return found


# Scrubbing earlier wordings -------------------------------------------------------


def _scrub(value: Any, replace: Callable[[str], str]) -> Any:
    """`value` (text, or JSON made of lists and dicts) with every text in it
    passed through `replace`."""
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, list):
        return [_scrub(v, replace) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, replace) for k, v in value.items()}
    return value


def _scrub_rows(
    rows: Iterable[Any], fields: Iterable[str], replace: Callable[[str], str]
) -> None:
    """Rewrite these fields of these rows in place, without a history row or
    a signal: they are earlier wordings (history, revisions), not changes."""
    fields = list(fields)
    for row in rows:
        changed = {}
        for name in fields:
            value = getattr(row, name)
            scrubbed = _scrub(value, replace)
            if scrubbed != value:
                changed[name] = scrubbed
        if changed:
            type(row)._default_manager.filter(pk=row.pk).update(**changed)


def _scrub_history(
    model: type[Any],
    ids: Iterable[int],
    fields: Iterable[str],
    replace: Callable[[str], str],
) -> None:
    history = model.history.model
    _scrub_rows(history.objects.filter(id__in=list(ids)), fields, replace)


def _scrub_minutes(
    item: MinuteItem, replace: Callable[[str], str], texts: Texts
) -> None:
    for model in (MinuteParagraph, Resolution, ResolutionPart):
        ids = [row.pk for _, row, _ in texts if isinstance(row, model)]
        _scrub_history(model, ids, ["text"], replace)
    _scrub_rows(
        MinuteItemRevision.objects.filter(minute_item=item), ["content"], replace
    )
    _scrub_rows(MinuteItem.objects.filter(pk=item.pk), ["staged"], replace)
    _scrub_history(MinuteItem, [item.pk], ["staged"], replace)
    corrections = MinutesCorrection.objects.filter(minute_item=item)
    # A correction's reason is shown with the minutes.
    _scrub_rows(corrections, ["before", "after", "reason"], replace)
    _scrub_history(
        MinutesCorrection,
        [c.pk for c in corrections],
        ["before", "after", "reason"],
        replace,
    )
    _scrub_rows(Minutes.objects.filter(pk=item.minutes_id), ["source_text"], replace)
    _scrub_history(Minutes, [item.minutes_id], ["source_text"], replace)


# Applying -------------------------------------------------------------------------


def _redact_minute_item(
    item: MinuteItem, replace: Callable[[str], str], by: Any
) -> dict[str, str]:
    original: dict[str, str] = {}
    texts = _minute_texts(item)
    for place, row, name in texts:
        text = getattr(row, name)
        redacted = replace(text)
        if redacted != text:
            original[place] = text
            setattr(row, name, redacted)
            row.save(update_fields=[name, "updated_at"])
    _scrub_minutes(item, replace, texts)
    # The drafting screen refuses a save made against the old wording; the
    # new one is the latest revision.
    item.refresh_from_db()
    item.version += 1
    item.save(update_fields=["version", "updated_at"])
    MinuteItemRevision.objects.create(
        minute_item=item,
        version=item.version,
        content=item_content(item),
        saved_by=by if getattr(by, "pk", None) else None,
    )
    return original


def _redact_document(
    document: Document, redaction: Redaction, replace: Callable[[str], str]
) -> dict[str, str]:
    from meetings.printing.documents import redacted_paper_render

    original = {"The paper's text": document.text}
    try:
        content = redacted_paper_render(
            document=document, text=replace(document.text), on=redaction.made_at
        )
    except PdfError:
        raise ValidationError(
            "The redacted paper could not be made just now, so nothing was "
            "changed. Try again in a few minutes."
        ) from None
    old_name = document.file.name
    redaction.original_file.name = old_name
    document_attach_file(
        document=document, upload=io.BytesIO(content), name=document.filename
    )
    document.save()
    # The history names the file it had; none of it may lead to the original.
    Document.history.filter(id=document.pk, file=old_name).update(  # type: ignore[attr-defined]
        file=document.file.name
    )
    return original


@transaction.atomic
def redaction_apply(
    *, target: MinuteItem | Document, passage: str, reason: str, by: Any = None
) -> Redaction:
    """Replace `passage` in the target's public version with "[redacted:
    <reason>]" and keep the original for administrators on the returned
    Redaction. Raises ValidationError as `redaction_preview` does."""
    redaction_preview(target=target, passage=passage, reason=reason)
    pattern = _pattern(passage)
    redaction = Redaction(
        meeting=target.meeting
        if isinstance(target, Document)
        else target.minutes.meeting,
        passage=passage.strip(),
        reason=_reason(reason),
        made_by=by if getattr(by, "pk", None) else None,
        made_at=timezone.now(),
    )
    marker = redaction.marker

    def replace(text: str) -> str:
        return pattern.sub(marker, text)

    if isinstance(target, MinuteItem):
        locked = MinuteItem.objects.select_for_update().get(pk=target.pk)
        redaction.minute_item = locked
        redaction.original = _redact_minute_item(locked, replace, by)
    else:
        locked_document = Document.objects.select_for_update().get(pk=target.pk)
        redaction.document = locked_document
        redaction.original = _redact_document(locked_document, redaction, replace)
    redaction.full_clean()
    redaction.save()
    return redaction
