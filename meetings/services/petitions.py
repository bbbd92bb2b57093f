"""Petitions: starting one and signing one (each held until confirmed by
a signed link e-mailed to the sender, as public questions are), the clerk's
checking, agenda and response, closing on the closing date, and the
deletion of signers' and petitioners' details after it closes.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.template.defaultfilters import pluralize
from django.utils import timezone

from kcsp.alerts.subscribing import (
    ConfirmationLink,
    absolute,
    normalise_email,
    sender_tell,
)
from kcsp.formatting import long_date
from kcsp.models import RetentionDeletion
from meetings.models import (
    AgendaItem,
    AgendaSection,
    Body,
    Meeting,
    Petition,
    PetitionSignature,
)
from meetings.models.petitions import normalise_postcode
from meetings.services.agendas import agenda_item_add, agenda_section_add
from meetings.services.questions import held_confirm, held_reject

__all__ = [
    "PETITION_DATA_RULE",
    "PETITION_LINK",
    "SIGNATURE_LINK",
    "petition_confirm",
    "petition_personal_data_expire",
    "petition_publish",
    "petition_reject",
    "petition_respond",
    "petition_start",
    "petition_to_agenda",
    "petitions_close",
    "signature_add",
    "signature_confirm",
]

PETITION_DATA_RULE = (
    "Signers' names, postcodes and e-mail addresses and the petitioner's "
    "e-mail address are kept until the petition has closed plus the period the "
    "portal is configured with (PETITION_DATA_RETENTION_DAYS); the number of "
    "signatures is kept."
)
Status = Petition.Status
PETITION_LINK = ConfirmationLink(
    url_name="meetings:petition_confirm",
    salt="meetings.petitions.confirm",
    hours_setting="PETITION_CONFIRM_HOURS",
    records=Petition.objects.select_related("body"),
)
SIGNATURE_LINK = ConfirmationLink(
    url_name="meetings:signature_confirm",
    salt="meetings.petitions.sign",
    hours_setting="PETITION_CONFIRM_HOURS",
    records=PetitionSignature.objects.select_related("petition__body"),
)


@transaction.atomic
def petition_start(
    *, body: Body, title: str, request: str, reasons: str, name: str, email: str
) -> Petition:
    """Hold a petition unconfirmed and e-mail its petitioner the link that
    confirms it (SMTP errors are the caller's to tell; the row then goes)."""
    if not body.accepts_petitions:
        raise ValidationError("This body does not take petitions.")
    petition = Petition(
        body=body,
        title=title.strip(),
        request=request.strip(),
        reasons=reasons.strip(),
        name=name.strip(),
        email=normalise_email(email),
    )
    return PETITION_LINK.hold(
        petition,
        subject=f"Confirm your petition to {body.name}",
        template="meetings/email/petition_confirm",
        context={"petition": petition},
    )


@transaction.atomic
def petition_confirm(*, token: str, at: dt.datetime | None = None) -> Petition:
    """Send the petition a link names to the clerk's checking; a second
    visit changes nothing."""
    return held_confirm(PETITION_LINK.record(token), status=Status.CHECKING, at=at)


def _checking(petition: Petition) -> None:
    if petition.status != Status.CHECKING:
        raise ValidationError("Only a petition awaiting checking can be decided.")


@transaction.atomic
def petition_publish(
    *,
    petition: Petition,
    closes_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Petition:
    """Open a checked petition for signatures from `today` until `closes_on`
    (by default the body's number of days), and tell the petitioner."""
    _checking(petition)
    today = today or timezone.localdate()
    closes_on = closes_on or today + dt.timedelta(days=petition.body.petition_days)
    if closes_on <= today:
        raise ValidationError("The closing date must be after today.")
    petition.status = Status.OPEN
    petition.opens_on = today
    petition.closes_on = closes_on
    petition.reject_reason = ""
    petition.save()
    sender_tell(
        petition,
        subject=f"Your petition is open: {petition.title}",
        template="meetings/email/petition_published",
        context={
            "petition": petition,
            "url": absolute(petition.get_absolute_url()),
            "closes": long_date(closes_on),
        },
    )
    return petition


@transaction.atomic
def petition_reject(*, petition: Petition, reason: str) -> Petition:
    """Reject with a reason, which the petitioner is told by e-mail."""
    _checking(petition)
    return held_reject(
        petition,
        reason=reason,
        sender="petitioner",
        subject=f"Your petition to {petition.body.name}",
        template="meetings/email/petition_rejected",
        context={"petition": petition},
    )


@transaction.atomic
def signature_add(
    *,
    petition: Petition,
    name: str,
    postcode: str,
    email: str,
    today: dt.date | None = None,
) -> PetitionSignature:
    """Hold a signature unconfirmed and e-mail the signer the link that
    confirms it; refused when the petition is closed or the address has
    signed it already."""
    if not petition.takes_signatures(today):
        raise ValidationError("This petition is not taking signatures.")
    email = normalise_email(email)
    if _signed(petition, email).exists():
        raise ValidationError("This e-mail address has already signed the petition.")
    signature = PetitionSignature(
        petition=petition,
        name=name.strip(),
        postcode=normalise_postcode(postcode),
        email=email,
    )
    return SIGNATURE_LINK.hold(
        signature,
        subject=f"Confirm your signature: {petition.title}",
        template="meetings/email/signature_confirm",
        context={"petition": petition, "closes": long_date(petition.closes_on)},
    )


def _signed(petition: Petition, email: str) -> QuerySet[PetitionSignature]:
    return PetitionSignature.objects.annotate(address=Lower("email")).filter(
        petition=petition, address=email.lower(), confirmed_at__isnull=False
    )


def signature_confirm(
    *, token: str, at: dt.datetime | None = None
) -> PetitionSignature:
    """Count the signature a link names; a second visit changes nothing.
    Refused once the petition has closed, or when the address has signed
    it by another link."""
    signature = SIGNATURE_LINK.record(token)
    if signature.confirmed_at is not None:
        return signature
    petition = signature.petition
    if not petition.takes_signatures():
        raise ValidationError("This petition has closed; it takes no more signatures.")
    if _signed(petition, signature.email).exists():
        raise ValidationError("This e-mail address has already signed the petition.")
    signature.confirmed_at = at or timezone.now()
    try:
        with transaction.atomic():
            signature.save(update_fields=["confirmed_at", "updated_at"])
    except IntegrityError:
        raise ValidationError(
            "This e-mail address has already signed the petition."
        ) from None
    return signature


def _petition_section(meeting: Meeting) -> AgendaSection:
    """The section a petition joins: "Items for consideration" (B) if the
    agenda has it, else its last section, else a new B section."""
    sections = AgendaSection.objects.filter(meeting=meeting).order_by("order", "letter")
    found = sections.filter(letter="B").first() or sections.last()
    return found or agenda_section_add(
        meeting=meeting, letter="B", title="Items for consideration"
    )


@transaction.atomic
def petition_to_agenda(
    *, petition: Petition, meeting: Meeting, urgency_reason: str = ""
) -> AgendaItem:
    """Put a published petition on a coming meeting of its body as an
    agenda item (as urgent business, with its reason, once that agenda is
    published) and link the two."""
    if not petition.is_published:
        raise ValidationError("Only a published petition can go on an agenda.")
    if meeting.body_id != petition.body_id:
        raise ValidationError("Choose a meeting of the body petitioned.")
    if meeting.is_cancelled:
        raise ValidationError("That meeting is cancelled.")
    item = agenda_item_add(
        section=_petition_section(meeting),
        title=f"Petition: {petition.title}",
        urgency_reason=urgency_reason,
    )
    petition.agenda_item = item
    petition.save(update_fields=["agenda_item", "updated_at"])
    return item


@transaction.atomic
def petition_respond(
    *, petition: Petition, response: str, on: dt.date | None = None
) -> Petition:
    """Publish the body's response with the petition, which then takes no
    more signatures."""
    if not petition.is_published:
        raise ValidationError("Only a published petition can be responded to.")
    if not response.strip():
        raise ValidationError("Write the response to publish.")
    on = on or timezone.localdate()
    petition.response = response.strip()
    petition.responded_on = on
    petition.status = Status.RESPONDED
    if petition.closes_on is not None and petition.closes_on > on:
        petition.closes_on = on
    petition.save()
    return petition


@transaction.atomic
def petitions_close(*, today: dt.date) -> int:
    """Close the open petitions whose closing date has passed."""
    due = Petition.objects.filter(status=Status.OPEN, closes_on__lt=today)
    count = 0
    for petition in due:
        petition.status = Status.CLOSED
        petition.save(update_fields=["status", "updated_at"])
        count += 1
    return count


@transaction.atomic
def petition_personal_data_expire(*, today: dt.date) -> int:
    """Once a petition closed (or was rejected) more than the configured
    period before `today`, delete its signers' names, postcodes and
    addresses (the count stays: confirmed signatures are kept empty,
    unconfirmed ones go) and the petitioner's address, logging each
    petition's; a petition its petitioner never confirmed goes whole after
    the same period. Returns how many petitions."""
    days = settings.PETITION_DATA_RETENTION_DAYS
    earliest_kept = today - dt.timedelta(days=days)
    never_confirmed = Petition.objects.filter(
        status=Status.UNCONFIRMED, created_at__date__lt=earliest_kept
    )
    count = 0
    for petition in never_confirmed.order_by("pk"):
        _log(petition, "petition.unconfirmed", "Unconfirmed petition", days)
        petition.delete()
        count += 1
    due = (
        Petition.objects.filter(personal_data_deleted_at__isnull=True)
        .filter(
            Q(status__in=Petition.PUBLISHED, closes_on__lt=earliest_kept)
            | Q(status=Status.REJECTED, updated_at__date__lt=earliest_kept)
        )
        .order_by("pk")
    )
    now = timezone.now()
    for petition in due:
        signatures = PetitionSignature.objects.filter(petition=petition)
        signatures.filter(confirmed_at__isnull=True).delete()
        emptied = signatures.exclude(name="", postcode="", email="").update(
            name="", postcode="", email=""
        )
        if emptied:
            _log(
                petition,
                "petitionsignature",
                f"Names, postcodes and e-mail addresses of {emptied} "
                f"signature{pluralize(emptied)} of",
                days,
            )
        if petition.email:
            _log(
                petition, "petition.email", "E-mail address of the petitioner of", days
            )
        petition.email = ""
        petition.personal_data_deleted_at = now
        petition.save(update_fields=["email", "personal_data_deleted_at", "updated_at"])
        count += 1
    return count


def _log(petition: Petition, kind: str, what: str, days: int) -> None:
    ended = petition.closes_on or petition.updated_at.date()
    if petition.status == Status.UNCONFIRMED:
        ended = petition.created_at.date()
    RetentionDeletion.objects.create(
        rule=PETITION_DATA_RULE,
        kind=f"meetings.{kind}",
        record_id=petition.pk,
        description=f"{what} '{petition.title}' ({petition.body.name})"[:600],
        kept_until=ended + dt.timedelta(days=days),
    )
