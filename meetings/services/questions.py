"""Questions from the public: asking (held until the asker confirms by a
signed link, the same signing the e-mail alerts use), the clerk's decisions
and answers, and the deletion of askers' addresses after the meeting.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kcsp.alerts.subscribing import (
    ConfirmationLink,
    normalise_email,
    sender_tell,
)
from kcsp.formatting import long_date
from kcsp.models import RetentionDeletion
from kcsp.workdays import latest_publication_date
from meetings.models import (
    AgendaItem,
    AgendaSection,
    Meeting,
    Petition,
    PublicQuestion,
    StandardItem,
)
from meetings.services.agendas import agenda_item_add, agenda_section_add

__all__ = [
    "QUESTION_EMAIL_RULE",
    "QUESTION_LINK",
    "question_accept",
    "question_answer",
    "question_ask",
    "question_confirm",
    "question_deadline",
    "question_emails_expire",
    "question_group",
    "question_reject",
    "question_words",
    "questions_open",
]

QUESTION_EMAIL_RULE = (
    "A questioner's e-mail address is kept until the meeting has closed plus "
    "the period the portal is configured with (QUESTION_EMAIL_RETENTION_DAYS)."
)
Status = PublicQuestion.Status
QUESTION_LINK = ConfirmationLink(
    url_name="meetings:question_confirm",
    salt="meetings.questions.confirm",
    hours_setting="QUESTION_CONFIRM_HOURS",
    records=PublicQuestion.objects.select_related("meeting__body"),
)


def question_deadline(meeting: Meeting) -> dt.date:
    """The last day a question can be asked: the body's number of clear
    working days still lie between it and the meeting."""
    return latest_publication_date(meeting.date, meeting.body.question_deadline_days)


def questions_open(body_meetings: list[Meeting], today: dt.date) -> list[Meeting]:
    """Of these meetings, those still taking questions on `today`."""
    return [
        m for m in body_meetings if not m.is_cancelled and question_deadline(m) >= today
    ]


def question_words(text: str) -> int:
    return len(text.split())


@transaction.atomic
def question_ask(
    *,
    meeting: Meeting,
    name: str,
    email: str,
    question: str,
    name_published: bool,
    today: dt.date | None = None,
) -> PublicQuestion:
    """Hold a question unconfirmed and e-mail its asker the link that
    confirms it (SMTP errors are the caller's to tell; the row then goes)."""
    today = today or timezone.localdate()
    body = meeting.body
    if not body.accepts_questions:
        raise ValidationError("This body does not take questions from the public.")
    if meeting.is_cancelled or question_deadline(meeting) < today:
        raise ValidationError("Questions for this meeting have closed.")
    if question_words(question) > body.question_word_limit:
        raise ValidationError(
            f"A question can be at most {body.question_word_limit} words long."
        )
    asked = PublicQuestion(
        meeting=meeting,
        name=name.strip(),
        email=normalise_email(email),
        question=question.strip(),
        name_published=name_published,
    )
    return QUESTION_LINK.hold(
        asked,
        subject=f"Confirm your question to {body.name}",
        template="meetings/email/question_confirm",
        context={
            "question": asked,
            "meeting": meeting,
            "deadline": long_date(question_deadline(meeting)),
        },
    )


def held_confirm[H: (PublicQuestion, Petition)](
    record: H, *, status: str, at: dt.datetime | None = None
) -> H:
    """Move a question or petition its sender has now confirmed from
    unconfirmed to `status`; a second confirmation changes nothing."""
    if record.status == record.Status.UNCONFIRMED:
        record.status = status
        record.confirmed_at = at or timezone.now()
        record.save(update_fields=["status", "confirmed_at", "updated_at"])
    return record


def held_reject[H: (PublicQuestion, Petition)](
    record: H,
    *,
    reason: str,
    sender: str,
    subject: str,
    template: str,
    context: dict[str, Any],
) -> H:
    """Reject a question or petition with `reason`, which its sender (the
    `sender`: asker, petitioner) is told by e-mail."""
    if not reason.strip():
        raise ValidationError(f"Give the reason the {sender} will be told.")
    record.status = record.Status.REJECTED
    record.reject_reason = reason.strip()
    record.save()
    sender_tell(record, subject=subject, template=template, context=context)
    return record


@transaction.atomic
def question_confirm(*, token: str, at: dt.datetime | None = None) -> PublicQuestion:
    """Confirm the question a link names; a second visit changes nothing."""
    return held_confirm(QUESTION_LINK.record(token), status=Status.CONFIRMED, at=at)


def _decided(question: PublicQuestion) -> None:
    if question.status == Status.UNCONFIRMED:
        raise ValidationError("The asker has not confirmed this question.")


def _questions_item(meeting: Meeting) -> None:
    """Give an unpublished agenda its "Public questions" item if it has none
    (on a published one, adding an item is the clerk's late-item decision)."""
    if (
        meeting.agenda_is_published
        or AgendaItem.objects.filter(
            meeting=meeting, standard=StandardItem.PUBLIC_QUESTIONS
        ).exists()
    ):
        return
    section = AgendaSection.objects.filter(meeting=meeting).order_by(
        "order", "letter"
    ).first() or agenda_section_add(
        meeting=meeting, letter="A", title="Committee business"
    )
    agenda_item_add(
        section=section,
        title="Public questions",
        standard=StandardItem.PUBLIC_QUESTIONS,
    )


@transaction.atomic
def question_accept(*, question: PublicQuestion) -> PublicQuestion:
    _decided(question)
    _questions_item(question.meeting)
    question.status = Status.ACCEPTED
    question.decided_at = timezone.now()
    question.reject_reason = ""
    question.save()
    return question


@transaction.atomic
def question_reject(*, question: PublicQuestion, reason: str) -> PublicQuestion:
    """Reject with a reason, which the asker is told by e-mail."""
    _decided(question)
    question.decided_at = timezone.now()
    question.grouped_with = None
    return held_reject(
        question,
        reason=reason,
        sender="asker",
        subject=f"Your question to {question.meeting.body.name}",
        template="meetings/email/question_rejected",
        context={"question": question, "meeting": question.meeting},
    )


@transaction.atomic
def question_group(
    *, question: PublicQuestion, lead: PublicQuestion | None
) -> PublicQuestion:
    """Answer `question` with `lead` (one answer for several), or on its own."""
    if lead is not None:
        if lead.pk == question.pk or lead.meeting_id != question.meeting_id:
            raise ValidationError("Group a question with another of the meeting's.")
        lead = lead.answered_by
        if lead.pk == question.pk:
            raise ValidationError("Group a question with another of the meeting's.")
        question.grouped.update(grouped_with=lead)
    question.grouped_with = lead
    question.save(update_fields=["grouped_with", "updated_at"])
    return question


@transaction.atomic
def question_answer(*, question: PublicQuestion, answer: str) -> PublicQuestion:
    """Record the answer (for a grouped question, on the one it is grouped with)."""
    target = question.answered_by
    if target.status != Status.ACCEPTED:
        raise ValidationError("Only an accepted question is answered.")
    target.answer = answer.strip()
    target.save(update_fields=["answer", "updated_at"])
    return target


@transaction.atomic
def question_emails_expire(*, today: dt.date) -> int:
    """Delete askers' e-mail addresses once the meeting closed more than the
    configured period before `today`, logging each; returns how many."""
    days = settings.QUESTION_EMAIL_RETENTION_DAYS
    earliest_kept = today - dt.timedelta(days=days)
    due = (
        PublicQuestion.objects.exclude(email="")
        .filter(meeting__start__date__lt=earliest_kept)
        .select_related("meeting__body")
        .order_by("pk")
    )
    count = 0
    now = timezone.now()
    for question in due:
        RetentionDeletion.objects.create(
            rule=QUESTION_EMAIL_RULE,
            kind=f"{PublicQuestion._meta.label_lower}.email",
            record_id=question.pk,
            description=f"E-mail address of a public question, {question.meeting}",
            kept_until=question.meeting.date + dt.timedelta(days=days),
        )
        question.email = ""
        question.email_deleted_at = now
        question.save(update_fields=["email", "email_deleted_at", "updated_at"])
        count += 1
    return count
