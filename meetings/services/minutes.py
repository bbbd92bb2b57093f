"""State changes of minutes: drafting, numbering, publishing, approval and
corrections.

Text is stored as the clerk typed it (light markup) and rendered on output.
Every save of a minute item raises its version; a save made against an older
version is refused with both texts kept (`EditConflict`). Approved minutes
are frozen: the only way to change them is `minutes_correct`, which records
who changed what, when and why.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from kcsp.formatting import long_date
from kcsp.provenance import (
    Outcome,
    Saved,
    Source,
    assign,
    fit,
    imported_save,
    stamp,
)
from kcsp.workdays import municipal_year
from meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    Membership,
    MinuteItem,
    MinuteItemRevision,
    MinuteParagraph,
    Minutes,
    MinutesCorrection,
    Resolution,
    ResolutionPart,
    StandardItem,
)
from meetings.services.agendas import previous_meeting
from meetings.services.votes import decision_quorate_check

__all__ = [
    "EditConflict",
    "MinutesKept",
    "ParagraphInput",
    "ResolutionInput",
    "attendance_recorded_check",
    "item_content",
    "minute_item_add",
    "minute_item_delete",
    "minute_item_import",
    "minute_item_move",
    "minute_item_save",
    "minute_item_stage",
    "minutes_approve",
    "minutes_correct",
    "minutes_for",
    "minutes_import",
    "minutes_kept_reason",
    "minutes_publish_draft",
    "minutes_publish_staged",
    "minutes_renumber",
    "minutes_start_from_agenda",
    "next_minute_number",
    "previous_minutes_resolution_text",
]


@dataclass(frozen=True)
class ParagraphInput:
    """One paragraph as written; `numbered` None keeps the paragraph's own
    (a new paragraph is numbered)."""

    text: str
    numbered: bool | None = None


@dataclass
class ResolutionInput:
    """One RESOLVED block as typed: its text (or lead-in) and lettered parts."""

    text: str
    parts: list[str] = field(default_factory=list)
    kind: str = Resolution.Kind.NOTED
    recommended_to: str = ""
    # The stored resolution this one was loaded from, when an editor says.
    pk: int | None = None


class EditConflict(Exception):
    """Someone saved the minute item since this editor loaded it."""

    def __init__(self, item: MinuteItem, current: dict[str, Any]) -> None:
        super().__init__(
            f"Minute {item.number} was changed by someone else while you were "
            "editing it."
        )
        self.item = item
        self.current = current


def item_content(item: MinuteItem) -> dict[str, Any]:
    """The whole text of a minute item, for revisions, corrections and diffs."""
    return {
        "number": item.number,
        "title": item.title,
        "paragraphs": [p.text for p in item.paragraphs.all()],
        "resolutions": [
            {
                "text": r.text,
                "kind": r.kind,
                "recommended_to": r.recommended_to,
                "parts": [part.text for part in r.parts.all()],
            }
            for r in item.resolutions.all()
        ],
    }


def _revise(item: MinuteItem, by: Any) -> None:
    MinuteItemRevision.objects.create(
        minute_item=item,
        version=item.version,
        content=item_content(item),
        saved_by=by if getattr(by, "pk", None) else None,
    )


def _revision_keep(item: MinuteItem) -> None:
    """Keep the revision of the item's current version in step with its text.

    The drafting screen compares versions from these revisions, so an
    imported item has one for its version as an item a clerk saved does.
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


# Numbering ------------------------------------------------------------------

# Numbers are moved up by this much while items are renumbered, so the unique
# (minutes, number) pair never clashes mid-way.
PARKED = 1_000_000


def _earlier_minutes(meeting: Meeting) -> Any:
    earlier = Minutes.objects.filter(
        meeting__body=meeting.body, meeting__start__lt=meeting.start
    )
    if meeting.body.minute_numbering == meeting.body.Numbering.MUNICIPAL_YEAR:
        start, _ = municipal_year(meeting.date)
        earlier = earlier.filter(meeting__start__date__gte=start)
    return earlier


def next_minute_number(*, meeting: Meeting) -> int:
    """The first number for this meeting's minutes: after the last minute of
    the body's latest earlier minutes by date (a series restarted, or
    history imported with other numbers, does not carry an older, higher
    number forward)."""
    latest = (
        _earlier_minutes(meeting)
        .filter(items__isnull=False)
        .order_by("-meeting__start")
        .first()
    )
    if latest is None:
        return 1
    last = latest.items.aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def _held(meeting: Meeting, doing: str) -> None:
    """Refuse minutes of a meeting that has not begun yet."""
    if meeting.start > timezone.now():
        raise ValidationError(
            f"The meeting has not been held yet: {doing} once it has begun, on "
            f"{long_date(meeting.start)}."
        )


def _after_last(minutes: Minutes) -> int:
    """The number after these minutes' last item (their first if empty)."""
    last = minutes.items.filter(number__lt=PARKED).aggregate(n=Max("number"))["n"]
    return (last + 1) if last is not None else minutes.first_number


def _assign_numbers(minutes: Minutes, first: int) -> None:
    items = list(minutes.items.order_by("order", "number", "pk"))
    minutes.items.update(number=F("number") + PARKED)
    for position, item in enumerate(items):
        item.number = first + position
        item.order = position
        item.save(update_fields=["number", "order", "updated_at"])


@transaction.atomic
def minutes_renumber(*, minutes: Minutes) -> None:
    """Renumber these minutes, then any later draft minutes of the body.

    Published and approved minutes of later meetings keep their numbers: the
    public has seen them.
    """
    minutes.check_open()
    old_next = _after_last(minutes)
    _assign_numbers(minutes, minutes.first_number)
    later = Minutes.objects.filter(
        meeting__body=minutes.meeting.body,
        meeting__start__gt=minutes.meeting.start,
    ).order_by("meeting__start")
    for each in later.select_related("meeting__body"):
        # Follow on only where the series ran straight on from these minutes;
        # a gap means the later numbers were set on their own (imported
        # minutes keep the numbers they were published with).
        if each.status != Minutes.Status.DRAFT or each.first_number != old_next:
            break
        old_next = _after_last(each)
        each.first_number = next_minute_number(meeting=each.meeting)
        each.save(update_fields=["first_number", "updated_at"])
        _assign_numbers(each, each.first_number)


# Starting and editing ---------------------------------------------------------


def minutes_for(meeting: Meeting) -> Minutes | None:
    """The meeting's minutes, read afresh (a cached "none yet" could be stale)."""
    return Minutes.objects.filter(meeting=meeting).first()


def previous_minutes_resolution_text(meeting: Meeting) -> str:
    previous = previous_meeting(meeting)
    held = f"held on {long_date(previous.date)}" if previous else "of the last meeting"
    return (
        f"RESOLVED that the minutes of the meeting {held} were correctly recorded "
        f"and be signed by the {meeting.body.chair_title}."
    )


def _prefill_attendance(meeting: Meeting) -> None:
    if meeting.attendance.exists():
        return
    members = (
        Membership.objects.filter(body=meeting.body)
        .on(meeting.date)
        .select_related("person")
        .order_by("person")
    )
    rows = sorted(members, key=lambda m: m.rank)
    for order, membership in enumerate(rows):
        Attendance.objects.get_or_create(
            meeting=meeting,
            person=membership.person,
            defaults={"kind": Attendance.Kind.NOT_RECORDED, "order": order},
        )


def attendance_recorded_check(*, meeting: Meeting) -> None:
    """Refuse to publish minutes while anyone listed at the meeting has not
    been recorded as present, sending apologies or absent."""
    waiting = [
        row.person.formal_name
        for row in meeting.attendance.filter(
            kind=Attendance.Kind.NOT_RECORDED
        ).select_related("person")
    ]
    if waiting:
        raise ValidationError(
            f"Record the attendance first: {len(waiting)} "
            f"{'people are' if len(waiting) != 1 else 'person is'} not yet "
            f"recorded as present, sending apologies or absent ({', '.join(waiting)})."
        )


@transaction.atomic
def minutes_start_from_agenda(
    *, meeting: Meeting, by: Any = None, first_number: int | None = None
) -> Minutes:
    """Draft minutes with one numbered item per agenda item, in agenda order.

    Numbering continues the body's series (or starts at `first_number`, for
    a body whose earlier minutes are kept elsewhere). The previous minutes
    item gets its standard resolution with the right date, and attendance
    lists the members on the day, none of them marked present until the clerk
    records how each attended.
    """
    if first_number is not None and first_number < 1:
        raise ValidationError({"first_number": "Minute numbers start at 1."})
    _held(meeting, "its minutes can be started")
    minutes, _ = Minutes.objects.get_or_create(meeting=meeting)
    if minutes.items.exists():
        raise ValidationError("These minutes have already been started.")
    minutes.first_number = first_number or next_minute_number(meeting=meeting)
    minutes.save(update_fields=["first_number", "updated_at"])
    agenda = AgendaItem.objects.filter(meeting=meeting).order_by(
        "section__order", "section__letter", "number"
    )
    for position, agenda_item in enumerate(agenda):
        item = MinuteItem.objects.create(
            minutes=minutes,
            agenda_item=agenda_item,
            number=minutes.first_number + position,
            order=position,
            title=agenda_item.title,
            agenda_reference=agenda_item.reference,
            visibility=agenda_item.visibility,
            exempt_paragraph=agenda_item.exempt_paragraph,
        )
        if agenda_item.standard == StandardItem.PREVIOUS_MINUTES:
            Resolution.objects.create(
                minute_item=item,
                text=previous_minutes_resolution_text(meeting),
                kind=Resolution.Kind.APPROVED,
            )
        _revise(item, by)
    _prefill_attendance(meeting)
    return minutes


@transaction.atomic
def minute_item_add(
    *,
    minutes: Minutes,
    title: str,
    agenda_item: AgendaItem | None = None,
    by: Any = None,
) -> MinuteItem:
    """Add an item at the end (for business taken without an agenda item)."""
    minutes.check_open()
    if not title.strip():
        raise ValidationError({"title": "Give the minute item a title."})
    last = minutes.items.aggregate(n=Max("order"))["n"]
    item = MinuteItem.objects.create(
        minutes=minutes,
        title=title.strip(),
        agenda_item=agenda_item,
        agenda_reference=agenda_item.reference if agenda_item else "",
        # Above the numbers renumbering parks the others at (their number
        # plus PARKED), so it clashes with none of them on the way.
        number=2 * PARKED + (last or 0) + 1,
        order=(last if last is not None else -1) + 1,
    )
    minutes_renumber(minutes=minutes)
    item.refresh_from_db()
    _revise(item, by)
    return item


@transaction.atomic
def minute_item_delete(*, item: MinuteItem, renumber: bool = True) -> None:
    """Delete an item and renumber the series, unless `renumber` is False (an
    import keeps the numbers its source printed)."""
    minutes = item.minutes
    minutes.check_open()
    item.delete()
    if renumber:
        minutes_renumber(minutes=minutes)


@transaction.atomic
def minute_item_move(*, item: MinuteItem, position: int) -> None:
    """Move an item to `position` (1-based) and renumber the series."""
    minutes = item.minutes
    minutes.check_open()
    items = [i for i in minutes.items.order_by("order", "number") if i.pk != item.pk]
    position = max(1, min(position, len(items) + 1))
    items.insert(position - 1, item)
    for order, each in enumerate(items):
        if each.order != order:
            each.order = order
            each.save(update_fields=["order", "updated_at"])
    minutes_renumber(minutes=minutes)


def _write_text(
    item: MinuteItem,
    title: str,
    paragraphs: Sequence[str | ParagraphInput],
    resolutions: Sequence[ResolutionInput],
) -> bool:
    """Make the item's title, paragraphs and resolutions these, reusing rows.

    Text is stripped and blank paragraphs dropped. A row that already holds
    its text is not saved again, so writing the same text twice leaves no
    trace; returns True when anything changed. The item itself is not saved.
    """
    if not title.strip():
        raise ValidationError({"title": "Give the minute item a title."})
    if any(r.parts and not r.text.strip() for r in resolutions):
        raise ValidationError(
            {
                "resolutions": "A resolution with lettered parts needs its opening "
                "words, for example 'RESOLVED that the Partnership'."
            }
        )
    changed = assign(item, {"title": title.strip()})
    typed = [
        p if isinstance(p, ParagraphInput) else ParagraphInput(p) for p in paragraphs
    ]
    wanted = [
        ParagraphInput(p.text.strip(), p.numbered) for p in typed if p.text.strip()
    ]
    existing = list(item.paragraphs.all())
    for order, paragraph in enumerate(wanted):
        values: dict[str, Any] = {"text": paragraph.text, "order": order}
        if paragraph.numbered is not None:
            values["numbered"] = paragraph.numbered
        if order >= len(existing):
            MinuteParagraph.objects.create(minute_item=item, **values)
            changed = True
        elif assign(existing[order], values):
            existing[order].save(update_fields=[*values, "updated_at"])
            changed = True
    for extra in existing[len(wanted) :]:
        extra.delete()
        changed = True

    decided = [r for r in resolutions if r.text.strip() or r.parts]
    rows, leftover = _resolution_rows(item, decided)
    for order, (data, row) in enumerate(zip(decided, rows, strict=True)):
        values = {
            "text": data.text.strip(),
            "kind": data.kind,
            "recommended_to": data.recommended_to.strip(),
            "order": order,
        }
        if row is None:
            resolution = Resolution.objects.create(minute_item=item, **values)
            changed = True
        else:
            resolution = row
            if assign(resolution, values):
                resolution.save(update_fields=[*values, "updated_at"])
                changed = True
        parts = [p.strip() for p in data.parts if p.strip()]
        old_parts = list(resolution.parts.all())
        for index, text in enumerate(parts):
            if index >= len(old_parts):
                ResolutionPart.objects.create(
                    resolution=resolution, order=index, text=text
                )
                changed = True
            elif assign(old_parts[index], {"text": text, "order": index}):
                old_parts[index].save(update_fields=["text", "order", "updated_at"])
                changed = True
        for extra_part in old_parts[len(parts) :]:
            extra_part.delete()
            changed = True
    for extra_resolution in leftover:
        extra_resolution.delete()
        changed = True
    return changed


def _resolution_rows(
    item: MinuteItem, decided: Sequence[ResolutionInput]
) -> tuple[list[Resolution | None], list[Resolution]]:
    """The stored resolution each typed one is written to (None: a new one),
    and those left over. The editor says which row each came from, so a
    removed or reordered resolution takes its vote and actions with it;
    without that (an import), rows are reused in order."""
    current = list(item.resolutions.all())
    if not any(r.pk for r in decided):
        rows: list[Resolution | None] = [
            current[i] if i < len(current) else None for i in range(len(decided))
        ]
        return rows, current[len(decided) :]
    by_pk = {r.pk: r for r in current}
    rows = [by_pk.pop(r.pk, None) if r.pk else None for r in decided]
    return rows, list(by_pk.values())


@transaction.atomic
def minute_item_save(
    *,
    item: MinuteItem,
    version: int,
    title: str,
    paragraphs: Sequence[str | ParagraphInput],
    resolutions: Sequence[ResolutionInput],
    by: Any = None,
) -> MinuteItem:
    """Save a minute item's text if nobody else saved it since `version`.

    Raises EditConflict (carrying the text now stored) when the item has
    moved on, so the editor can show both texts and lose neither.
    """
    locked = MinuteItem.objects.select_for_update().get(pk=item.pk)
    minutes = Minutes.objects.get(pk=locked.minutes_id)
    minutes.check_open()
    if locked.version != version:
        raise EditConflict(locked, item_content(locked))
    if any(r.kind != Resolution.Kind.NOTED for r in resolutions):
        decision_quorate_check(
            meeting=minutes.meeting, what=f"a resolution of minute {locked.number}"
        )
    _write_text(locked, title, paragraphs, resolutions)
    locked.version += 1
    locked.staged = None
    locked.save()
    _revise(locked, by)
    return locked


def minute_item_stage(
    *,
    item: MinuteItem,
    version: int,
    title: str,
    paragraphs: Sequence[str],
    resolutions: Sequence[ResolutionInput],
) -> MinuteItem:
    """Keep a change to public draft minutes without publishing it: the
    public keeps reading the text as it was until the clerk publishes the
    saved changes (`minutes_publish_staged`)."""
    if item.minutes.status != Minutes.Status.PUBLISHED_DRAFT:
        raise ValidationError(
            "Only draft minutes the public can read keep changes unpublished."
        )
    item.staged = {
        "version": version,
        "title": title,
        "paragraphs": list(paragraphs),
        "resolutions": [asdict(r) for r in resolutions],
    }
    item.save(update_fields=["staged", "updated_at"])
    return item


@transaction.atomic
def minutes_publish_staged(*, minutes: Minutes, by: Any = None) -> list[MinuteItem]:
    """Publish every change saved without publishing, each as a new version
    of its item; a change written against an older version than the item now
    has is refused (EditConflict), and nothing is published."""
    published = []
    for item in minutes.items.filter(staged__isnull=False).order_by("order", "number"):
        staged: dict[str, Any] = item.staged or {}
        published.append(
            minute_item_save(
                item=item,
                version=staged["version"],
                title=staged["title"],
                paragraphs=staged["paragraphs"],
                resolutions=[ResolutionInput(**r) for r in staged["resolutions"]],
                by=by,
            )
        )
    return published


# Minutes from another system -------------------------------------------------


class MinutesKept(Exception):
    """Minutes an import must not replace; the message says why."""

    def __init__(self, reason: str, *, approved: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.approved = approved


def minutes_kept_reason(*, minutes: Minutes, source: Source) -> str:
    """Why these minutes are not `source`'s to overwrite, or "" when they are.

    Minutes that were published, came from elsewhere, or that a clerk has
    edited or added to are kept unless the import is asked to replace them
    (`minutes_import`); approved minutes are never replaced.
    """
    if minutes.status != Minutes.Status.DRAFT:
        return "have been published"
    ours = (source.system, fit(Minutes, "source_id", source.id))
    if (minutes.source_system, minutes.source_id) != ours:
        return "did not come from this source"
    edited = minutes.items.filter(version__gt=1).order_by("number").first()
    if edited is not None:
        return f"a clerk has edited (minute {edited.number} first)"
    if minutes.items.exclude(source_system=source.system).exists():
        return "a clerk has added to"
    return ""


@transaction.atomic
def minutes_import(
    *,
    meeting: Meeting,
    first_number: int,
    source: Source,
    source_text: str | None = "",
    replace: bool = False,
) -> Saved[Minutes]:
    """A meeting's minutes as another system recorded them, as a draft.

    New minutes are drafts with their provenance and the text they came
    from (`source_text` None keeps the text they hold). Approved minutes
    are never replaced; minutes `minutes_kept_reason` keeps are replaced
    only with `replace`. Either way MinutesKept says why nothing was
    written. Replaced minutes become the source's.
    """
    minutes = minutes_for(meeting)
    created = minutes is None
    if minutes is None:
        minutes = Minutes(meeting=meeting, status=Minutes.Status.DRAFT)
    elif minutes.is_frozen:
        raise MinutesKept("have been approved", approved=True)
    elif (reason := minutes_kept_reason(minutes=minutes, source=source)) and (
        not replace
    ):
        raise MinutesKept(reason)
    values: dict[str, Any] = {"first_number": first_number}
    if source_text is not None:
        values["source_text"] = source_text
    changed = assign(minutes, values)
    changed = stamp(minutes, source) or changed
    outcome = imported_save(minutes, created=created, changed=changed, at=source.at)
    return Saved(minutes, outcome)


@transaction.atomic
def minute_item_import(
    *,
    minutes: Minutes,
    number: int,
    title: str,
    paragraphs: Sequence[ParagraphInput],
    resolutions: Sequence[ResolutionInput],
    source: Source,
    item: MinuteItem | None = None,
    **values: Any,
) -> Saved[MinuteItem]:
    """A minute item as another system recorded it: fields, text, provenance.

    Without `item` one is added to `minutes`; `item` (one of these minutes)
    is brought up to date. An item of these minutes holding `number` gives
    way until it is numbered itself. The text is written as the drafting
    screen writes it (`minute_item_save`), keeping which paragraphs were
    numbered; unlike a clerk's save it leaves the version alone, so an
    imported item stays at version 1 until a clerk edits it. An item a clerk
    has edited gets changed text as its next version (theirs stays in its
    revisions). The revision of the item's version follows its text.
    """
    minutes.check_open()
    holders = minutes.items.filter(number=number)
    if item is not None:
        holders = holders.exclude(pk=item.pk)
    for holder in holders:
        holder.number = PARKED + holder.pk
        holder.save(update_fields=["number", "updated_at"])
    if item is None:
        item = MinuteItem(minutes=minutes, number=number, title=title.strip(), **values)
        stamp(item, source)
        imported_save(item, created=True, changed=True, at=source.at)
        _write_text(item, title, paragraphs, resolutions)
        _revision_keep(item)
        return Saved(item, Outcome.CREATED)
    changed = assign(item, {"number": number, **values})
    changed = stamp(item, source) or changed
    text_changed = _write_text(item, title, paragraphs, resolutions)
    if text_changed and item.version > 1:
        item.version += 1
    outcome = imported_save(
        item, created=False, changed=changed or text_changed, at=source.at
    )
    if text_changed:
        _revision_keep(item)
    return Saved(item, outcome)


# Publishing, approval and corrections ---------------------------------------------


def _decisions_quorate_check(minutes: Minutes) -> None:
    """Refuse minutes of a meeting that was not quorate which record a
    decision or a vote (attendance recorded after the text was written)."""
    decided = (
        Resolution.objects.filter(minute_item__minutes=minutes)
        .exclude(kind=Resolution.Kind.NOTED, vote=Resolution.Vote.NONE)
        .select_related("minute_item")
        .order_by("minute_item__number")
        .first()
    )
    if decided is not None:
        decision_quorate_check(
            meeting=minutes.meeting,
            what=f"the resolution of minute {decided.minute_item.number}",
        )


@transaction.atomic
def minutes_publish_draft(
    *, minutes: Minutes, at: dt.datetime | None = None
) -> Minutes:
    """Publish draft minutes for the public, labelled subject to approval."""
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError("These minutes are already published.")
    if not minutes.items.exists():
        raise ValidationError("Add at least one minute item before publishing.")
    _held(minutes.meeting, "its minutes can be published")
    attendance_recorded_check(meeting=minutes.meeting)
    _decisions_quorate_check(minutes)
    minutes.status = Minutes.Status.PUBLISHED_DRAFT
    minutes.published_at = at or timezone.now()
    minutes.save(update_fields=["status", "published_at", "updated_at"])
    meeting = minutes.meeting
    if meeting.status in {Meeting.Status.SCHEDULED, Meeting.Status.AGENDA_PUBLISHED}:
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status", "updated_at"])
    return minutes


@transaction.atomic
def minutes_approve(*, minutes: Minutes, resolution: Resolution) -> Minutes:
    """Mark minutes approved by a resolution of a later meeting of the body.

    From then on the text is frozen.
    """
    approving = resolution.minute_item.minutes.meeting
    meeting = minutes.meeting
    if minutes.status == Minutes.Status.APPROVED:
        raise ValidationError("These minutes are already approved.")
    if approving.body_id != meeting.body_id or approving.start <= meeting.start:
        raise ValidationError(
            "Minutes are approved by a resolution of a later meeting of the same body."
        )
    if getattr(resolution, "approved_minutes", None) is not None:
        raise ValidationError("That resolution already approved other minutes.")
    decision_quorate_check(meeting=approving, what="approving the minutes")
    attendance_recorded_check(meeting=meeting)
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_by = resolution
    minutes.approved_at = approving.start
    if minutes.published_at is None:
        minutes.published_at = timezone.now()
    minutes.save()
    return minutes


@transaction.atomic
def minutes_correct(
    *,
    item: MinuteItem,
    title: str,
    paragraphs: list[str],
    resolutions: list[ResolutionInput],
    reason: str,
    by: Any = None,
) -> MinutesCorrection:
    """Change approved minutes openly: the correction is recorded and shown."""
    locked = MinuteItem.objects.select_for_update().get(pk=item.pk)
    minutes = locked.minutes
    if not minutes.is_frozen:
        raise ValidationError(
            "Only approved minutes need a correction; edit the draft."
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why the approved minutes are corrected."})
    before = item_content(locked)
    _write_text(locked, title, paragraphs, resolutions)
    locked.version += 1
    locked.save()
    after = item_content(locked)
    if before == after:
        raise ValidationError(
            "Nothing was changed, so there is no correction to record."
        )
    _revise(locked, by)
    return MinutesCorrection.objects.create(
        minutes=minutes,
        minute_item=locked,
        reason=reason.strip(),
        before=before,
        after=after,
        made_by=by if getattr(by, "pk", None) else None,
    )
