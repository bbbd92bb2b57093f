"""Petitions from the public to a body, and their signatures.

A petition is held until its petitioner follows the signed link in the
confirmation e-mail; the clerk then checks it and publishes it (it is open
for signatures until its closing date) or rejects it with a reason. A
signature counts only once its signer has confirmed it by e-mail, and one
address signs a petition once. Signers' names, postcodes and addresses and
the petitioner's address are never public; the daily retention job deletes
them a set period after the petition closes, keeping the count.

Neither model keeps a history: the rows hold personal data the retention
job deletes, and a history would keep a copy.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from kcsp.models import TimeStampedModel, optional_link
from kcsp.visibility import Audience, VisibilityQuerySet
from meetings.models.agendas import AgendaItem
from meetings.models.bodies import Body

# The shapes of a UK postcode ("ME14 1XQ", "SW1A 2AA", "GIR 0AA").
POSTCODE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKPS-UW]? ?[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def normalise_postcode(value: str) -> str:
    """A postcode in capitals with one space before its last three
    characters; raises ValidationError if it is not a UK postcode."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not POSTCODE.match(compact):
        raise ValidationError("Enter a UK postcode, for example ME14 1XQ.")
    return f"{compact[:-3]} {compact[-3:]}"


class PetitionQuerySet(VisibilityQuerySet):
    """The public read published petitions (open, closed or responded to)
    of public bodies; never unconfirmed, unchecked or rejected ones."""

    partnership_path = "body__partnership"

    def published_q(self, audience: Audience) -> Q:
        return Q(status__in=Petition.PUBLISHED, body__is_public=True)

    def with_counts(self) -> "PetitionQuerySet":
        """Each petition with `signed`: its confirmed signatures only."""
        confirmed = Q(signatures__confirmed_at__isnull=False)
        return self.annotate(signed=models.Count("signatures", filter=confirmed))


class Petition(TimeStampedModel):
    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", "Awaiting confirmation by the petitioner"
        CHECKING = "checking", "Awaiting checking by the clerk"
        OPEN = "open", "Open for signatures"
        REJECTED = "rejected", "Rejected"
        CLOSED = "closed", "Closed"
        RESPONDED = "responded", "Responded to"

    PUBLISHED = (Status.OPEN, Status.CLOSED, Status.RESPONDED)

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="petitions")
    title = models.CharField(max_length=200)
    request = models.TextField("what the petition asks")
    reasons = models.TextField("why", blank=True)
    name = models.CharField("petitioner", max_length=200)
    email = models.EmailField(
        "petitioner's e-mail",
        blank=True,
        help_text="Deleted a set period after the petition closes.",
    )
    status = models.CharField(
        max_length=20, choices=Status, default=Status.UNCONFIRMED, db_index=True
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    opens_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField("closing date", null=True, blank=True)
    reject_reason = models.TextField("reason for rejecting", blank=True)
    response = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    agenda_item = optional_link(
        AgendaItem,
        related_name="petitions",
        help_text="The agenda item where the petition is debated.",
    )
    personal_data_deleted_at = models.DateTimeField(null=True, blank=True)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True)
                | Q(opens_on__isnull=False, closes_on__gte=models.F("opens_on")),
                name="petition_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return f"Petition: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:petition", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status in self.PUBLISHED

    def takes_signatures(self, today: dt.date | None = None) -> bool:
        """Open, and its closing date not yet passed."""
        today = today or timezone.localdate()
        return (
            self.status == self.Status.OPEN
            and self.closes_on is not None
            and self.closes_on >= today
        )


class PetitionSignature(TimeStampedModel):
    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="signatures"
    )
    name = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    email = models.EmailField("e-mail", blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["petition", "confirmed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "petition",
                condition=Q(confirmed_at__isnull=False) & ~Q(email=""),
                name="petition_signed_once_per_address",
                violation_error_message="This e-mail address has already signed "
                "the petition.",
            )
        ]

    def __str__(self) -> str:
        return f"Signature of {self.petition}"
