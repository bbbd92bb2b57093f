"""State changes of the agreement: refresh, approve, record changes, discard.

A refresh copies the current version into a new draft, with everything the
other apps keep for it (priorities, themes, leads, open actions); the
version it came from is not changed. Approving the draft makes it the
current agreement and marks the one before it superseded.
"""

import datetime as dt
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models, transaction

from agreement import registry
from agreement.models import (
    Agreement,
    AgreementSection,
    AssessmentRound,
    ChangeNote,
    Signatory,
    StrategicAssessment,
)
from kcsp.models import Organisation, Partnership
from kcsp.services import validated_save
from kcsp.uploads import check_upload
from meetings.models import Meeting, MinuteItem, Resolution

# What a refresh copies of each row into the new draft.
AGREEMENT_FIELDS = (
    "title",
    "responsible_body",
    "contact_name",
    "contact_address",
    "contact_email",
    "contact_phone",
)
SECTION_FIELDS = ("kind", "heading", "body", "signature", "is_appendix", "order")
SIGNATORY_FIELDS = ("organisation_id", "name", "order")
STRATEGY_FIELDS = ("title", "owner_id", "owner_name", "period", "url", "order")
ROUND_FIELDS = (
    "label",
    "conducted",
    "year",
    "method",
    "footnote",
    "workshop_held",
    "workshop_text",
)
ISSUE_FIELDS = ("name", "source", "highlighted", "note", "order")


def copied[M: models.Model](row: M, fields: tuple[str, ...], **changes: Any) -> M:
    """A new, unsaved row of `row`'s model: `fields` copied, `changes` set.

    How a refresh carries each row into the draft; the parts copy theirs
    the same way.
    """
    return type(row)(**{name: getattr(row, name) for name in fields}, **changes)


@transaction.atomic
def agreement_refresh(
    *,
    agreement: Agreement,
    slug: str,
    period_start: dt.date,
    period_end: dt.date,
    edition: str = "",
) -> Agreement:
    """A new draft version derived from the current `agreement`.

    Sections, signatories, contact, linked strategies, the strategic
    assessment matrix and every registered
    part (priorities, themes, leads, measures and open actions) are copied;
    each copy remembers what it was copied from, so the changes page can say
    what was renamed or merged. `agreement` itself is left as it was.
    """
    agreement.refresh_from_db()
    if agreement.status != Agreement.Status.APPROVED:
        raise ValidationError("Only the current, approved agreement can be refreshed.")
    if Agreement.objects.filter(status=Agreement.Status.DRAFT).exists():
        raise ValidationError(
            "A draft version already exists. Approve or delete it before starting "
            "another refresh."
        )
    draft = validated_save(
        copied(
            agreement,
            AGREEMENT_FIELDS,
            slug=slug,
            period_start=period_start,
            period_end=period_end,
            edition=edition.strip(),
            status=Agreement.Status.DRAFT,
            previous=agreement,
        )
    )
    for section in agreement.sections.all():
        validated_save(
            copied(section, SECTION_FIELDS, agreement=draft, carried_from=section)
        )
    for signatory in agreement.signatories.all():
        validated_save(copied(signatory, SIGNATORY_FIELDS, agreement=draft))
    for strategy in agreement.strategies.all():
        validated_save(copied(strategy, STRATEGY_FIELDS, agreement=draft))
    for round_ in agreement.assessment_rounds.prefetch_related("issues"):
        _copy_round(round_, draft)
    for part in registry.parts():
        part.copy(source=agreement, draft=draft)
    return draft


def _copy_round(round_: AssessmentRound, draft: Agreement) -> None:
    """The strategic assessments stay the evidence of a refresh until a new
    round replaces them."""
    copy = validated_save(copied(round_, ROUND_FIELDS, agreement=draft))
    for issue in round_.issues.all():
        validated_save(copied(issue, ISSUE_FIELDS, round=copy))


def _resolution_of(meeting: Meeting, minute_number: int) -> Resolution:
    item = (
        MinuteItem.objects.filter(minutes__meeting=meeting, number=minute_number)
        .prefetch_related("resolutions")
        .first()
    )
    if item is None:
        raise ValidationError(
            {
                "minute_number": (
                    f"The minutes of {meeting} have no minute {minute_number}."
                )
            }
        )
    resolution = next(iter(item.resolutions.all()), None)
    if resolution is None:
        raise ValidationError(
            {"minute_number": f"Minute {minute_number} records no resolution."}
        )
    return resolution


@transaction.atomic
def agreement_approve(
    *,
    agreement: Agreement,
    approved_on: dt.date,
    meeting: Meeting | None = None,
    resolution: Resolution | None = None,
    minute_number: int | None = None,
) -> Agreement:
    """Approve a draft: it becomes the current agreement.

    The meeting (and, when its minutes record it, the resolution, given
    directly or by minute number) that approved it is linked. The version
    that was current is marked superseded on the same date, and every part
    is told (the action plan's actions are published).
    """
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != Agreement.Status.DRAFT:
        raise ValidationError("Only a draft version can be approved.")
    if minute_number is not None:
        if meeting is None:
            raise ValidationError(
                {"meeting": "Choose the meeting whose minute approved it."}
            )
        resolution = _resolution_of(meeting, minute_number)
    if resolution is not None:
        resolved_at = resolution.minute_item.minutes.meeting
        if meeting is not None and meeting.pk != resolved_at.pk:
            raise ValidationError(
                {"meeting": "That resolution was made at a different meeting."}
            )
        meeting = resolved_at
    if meeting is not None and meeting.date > approved_on:
        raise ValidationError(
            {"approved_on": "The approval date cannot be before the meeting."}
        )
    problems = [
        p for part in registry.parts() for p in part.problems(agreement=agreement)
    ]
    if problems:
        raise ValidationError(problems)
    current = Agreement.objects.select_for_update().filter(
        status=Agreement.Status.APPROVED
    )
    for earlier in current:
        earlier.status = Agreement.Status.SUPERSEDED
        earlier.superseded_on = approved_on
        validated_save(earlier)
    agreement.status = Agreement.Status.APPROVED
    agreement.approved_on = approved_on
    agreement.approved_at_meeting = meeting
    agreement.approved_by_resolution = resolution
    validated_save(agreement)
    for part in registry.parts():
        part.approve(agreement=agreement)
    return agreement


def status_now(agreement: Agreement) -> str:
    """The version's status as stored now, for a write that depends on it:
    the caller's copy may predate an approval. The copy is brought up to
    date."""
    agreement.refresh_from_db(fields=["status"])
    return agreement.status


def _drafting(agreement: Agreement) -> None:
    if status_now(agreement) != Agreement.Status.DRAFT:
        raise ValidationError(
            "Only a draft version is rewritten: approved and earlier versions "
            "are kept as they were agreed."
        )


@transaction.atomic
def section_rewrite(
    *,
    section: AgreementSection,
    body: str,
    heading: str | None = None,
    signature: str | None = None,
) -> AgreementSection:
    """Give a draft version's section the words of its own year (a refresh
    starts from the previous version's)."""
    _drafting(section.agreement)
    section.body = body.strip()
    if heading is not None:
        section.heading = heading.strip()
    if signature is not None:
        section.signature = signature.strip()
    return validated_save(section)


@transaction.atomic
def signatories_replace(
    *, agreement: Agreement, signatories: list[Organisation | str]
) -> list[Signatory]:
    """The partners who sign a draft version, in order: an organisation of
    the directory, or the words for partners it does not hold as one."""
    _drafting(agreement)
    agreement.signatories.all().delete()
    return [
        validated_save(
            Signatory(
                agreement=agreement,
                organisation=s if isinstance(s, Organisation) else None,
                name="" if isinstance(s, Organisation) else s,
                order=order,
            )
        )
        for order, s in enumerate(signatories)
    ]


@transaction.atomic
def agreement_discard(*, agreement: Agreement) -> None:
    """Delete a draft version and everything copied into it.

    Approved and superseded versions are the record of what the partnership
    agreed and are never deleted.
    """
    if agreement.status != Agreement.Status.DRAFT:
        raise ValidationError("Only a draft version can be deleted.")
    for part in registry.parts():
        part.discard(draft=agreement)
    agreement.delete()


@transaction.atomic
def change_note_record(
    *, agreement: Agreement, text: str, by: Any = None
) -> ChangeNote:
    """Record why something changed in a version (shown on its changes page).

    Superseded versions are kept as they were and take no more notes.
    """
    if status_now(agreement) == Agreement.Status.SUPERSEDED:
        raise ValidationError("Earlier versions are kept as they were.")
    if not text.strip():
        raise ValidationError({"text": "Say what changed and why."})
    return validated_save(
        ChangeNote(
            agreement=agreement,
            text=text.strip(),
            recorded_by=by if getattr(by, "is_authenticated", False) else None,
        )
    )


def strategic_assessment_record(
    *,
    partnership: Partnership,
    year: int,
    priorities: list[str],
    summary: str = "",
    document: IO[bytes] | None = None,
    document_name: str = "",
    by: Any = None,
) -> StrategicAssessment:
    """Record (or replace) a district partnership's assessment for a year;
    its document, if any, is checked by its contents first."""
    assessment = StrategicAssessment.objects.filter(
        partnership=partnership, year=year
    ).first() or StrategicAssessment(partnership=partnership, year=year)
    assessment.priorities = "\n".join(p.strip() for p in priorities if p.strip())
    assessment.summary = summary.strip()
    if document is not None:
        strategic_assessment_attach(
            assessment=assessment, upload=document, name=document_name, by=by
        )
    return validated_save(assessment)


def strategic_assessment_attach(
    *,
    assessment: StrategicAssessment,
    upload: IO[bytes],
    name: str,
    by: Any = None,
) -> None:
    """Check the document by its contents and set it on the (unsaved)
    assessment with what the check found."""
    checked = check_upload(upload, name or "assessment")
    assessment.document.save(checked.filename, File(upload), save=False)
    assessment.filename = checked.filename
    assessment.file_kind = checked.kind.key
    assessment.size_bytes = checked.size
    assessment.sha256 = checked.sha256
    if getattr(by, "is_authenticated", False):
        assessment.uploaded_by = by
