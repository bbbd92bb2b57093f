"""Meetings and their agendas: lettered sections of numbered items."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kcsp.formatting import long_date, meeting_when
from kcsp.models import (
    AuditedModel,
    ProvenanceModel,
    optional_link,
    unique_within,
)
from kcsp.visibility import Audience, Visibility, VisibilityQuerySet
from kcsp.workdays import local_datetime
from meetings.models.bodies import Body
from meetings.models.choices import StandardItem
from meetings.models.exemption import ExemptableItem, exempt_needs_paragraph


def published_agenda_q(meeting: str) -> Q:
    """What `meeting` leads to is a meeting of a public body whose agenda is
    published."""
    return Q(
        **{
            f"{meeting}__agenda_published_at__isnull": False,
            f"{meeting}__body__is_public": True,
        }
    )


def _start_of_today() -> dt.datetime:
    """Midnight at the start of today, local time: today's meetings are
    upcoming all day."""
    return local_datetime(timezone.localdate())


class MeetingQuerySet(VisibilityQuerySet):
    partnership_path = "body__partnership"

    def published_q(self, audience: Audience) -> Q:
        return Q(body__is_public=True)

    def upcoming(self) -> "MeetingQuerySet":
        return self.filter(start__gte=_start_of_today()).order_by("start")

    def past(self) -> "MeetingQuerySet":
        return self.filter(start__lt=_start_of_today()).order_by("-start")

    def going_ahead(self) -> "MeetingQuerySet":
        """Meetings neither cancelled nor postponed (`Meeting.is_cancelled`)."""
        return self.exclude(status__in=Meeting.CALLED_OFF)


class Meeting(AuditedModel, ProvenanceModel):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        AGENDA_PUBLISHED = "agenda_published", "Agenda published"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"
        POSTPONED = "postponed", "Postponed"

    # The statuses of a meeting that does not go ahead on its date.
    CALLED_OFF = frozenset({Status.CANCELLED, Status.POSTPONED})

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    start = models.DateTimeField(db_index=True)
    end = models.DateTimeField(null=True, blank=True)
    venue = models.CharField(
        max_length=300,
        blank=True,
        help_text="For example 'Darent Room, Sessions House, County Hall, Maidstone'.",
    )
    online = models.BooleanField(default=False, help_text="Held online.")
    status = models.CharField(
        max_length=20, choices=Status, default=Status.SCHEDULED, db_index=True
    )
    status_reason = models.TextField(
        blank=True,
        help_text="Why the meeting was cancelled, postponed or moved (shown publicly).",
    )
    moved_from = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the meeting was to be held before it was last moved.",
    )
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    agenda_withdrawn_at = models.DateTimeField(null=True, blank=True)
    agenda_withdrawn_reason = models.TextField(
        blank=True,
        help_text="Why a published agenda was withdrawn, shown on the meeting page.",
    )
    webcast_url = models.URLField("webcast or recording", blank=True)
    url_key = models.SlugField(
        max_length=20, editable=False, help_text="The date in the page address."
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        constraints = [
            unique_within("body", "url_key", name="meeting_unique_url_per_body"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="meeting_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["body", "start"])]

    def __str__(self) -> str:
        return f"{self.body.name}, {long_date(self.start)}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.body.slug, self.url_key])

    @property
    def date(self) -> dt.date:
        return timezone.localtime(self.start).date()

    @property
    def when(self) -> str:
        return meeting_when(self.start)

    @property
    def place(self) -> str:
        """ "Online", the venue, or the venue "and online" for a hybrid
        meeting (a venue that only says "online", as imports give it, is
        online alone)."""
        venue = self.venue.strip()
        if self.online and (not venue or venue.lower() == "online"):
            return "Online"
        if self.online:
            return f"{venue} and online"
        return venue or "Venue to be confirmed"

    @property
    def expected_end(self) -> dt.datetime:
        """The end the meeting gives, else its start plus its body's usual
        length."""
        return self.end or self.start + dt.timedelta(minutes=self.body.meeting_minutes)

    @property
    def has_begun(self) -> bool:
        return self.start <= timezone.now()

    @property
    def is_cancelled(self) -> bool:
        return self.status in self.CALLED_OFF

    @property
    def agenda_is_published(self) -> bool:
        return self.agenda_published_at is not None

    @property
    def is_moved(self) -> bool:
        return self.moved_from is not None and not self.is_cancelled

    def clean(self) -> None:
        if (self.is_cancelled or self.is_moved) and not self.status_reason.strip():
            raise ValidationError(
                {
                    "status_reason": "Say why the meeting was cancelled, "
                    "postponed or moved."
                }
            )


class AgendaSection(AuditedModel):
    """A lettered part of an agenda: "B. Items for consideration"."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="sections"
    )
    letter = models.CharField(max_length=2)
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["meeting", "order", "letter"]
        constraints = [unique_within("meeting", "letter", name="section_unique_letter")]

    def __str__(self) -> str:
        return f"{self.letter}. {self.title}"


class AgendaItemQuerySet(VisibilityQuerySet):
    """Agenda items, listed once the agenda is published.

    Exempt items are listed to everyone (the law requires their title and
    reason to be public); templates show their content only when
    `shows_content` allows it.
    """

    partnership_path = "meeting__body__partnership"

    def published_q(self, audience: Audience) -> Q:
        return published_agenda_q("meeting")


class AgendaItem(AuditedModel, ProvenanceModel, ExemptableItem):
    class Purpose(models.TextChoices):
        DECISION = "decision", "For decision"
        INFORMATION = "information", "For information"
        NOTING = "noting", "For noting"
        DISCUSSION = "discussion", "For discussion"

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="items",
        help_text="Always the meeting of the item's section.",
    )
    section = models.ForeignKey(
        AgendaSection, on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Position within the section; leave blank to add at the end. "
        "References are renumbered to match.",
    )
    reference = models.CharField(max_length=10, editable=False)
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    presenter = models.CharField(max_length=300, blank=True)
    purpose = models.CharField(max_length=20, choices=Purpose, blank=True)
    page_from = models.PositiveIntegerField(null=True, blank=True)
    page_to = models.PositiveIntegerField(null=True, blank=True)
    public_interest_statement = models.TextField(
        blank=True,
        help_text="Why the public interest in keeping it private outweighs "
        "the interest in disclosure.",
    )
    is_urgent = models.BooleanField(default=False)
    urgency_reason = models.TextField(blank=True)
    added_after_publication = models.BooleanField(default=False, editable=False)
    standard = models.CharField(max_length=30, choices=StandardItem, blank=True)
    action = optional_link(
        "kcsp.Action",
        related_name="agenda_items",
        help_text="The action this item reports on (a matter arising).",
    )
    forward_plan_item = optional_link(
        "meetings.ForwardPlanItem",
        related_name="agenda_items",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "section__order", "section__letter", "number"]
        constraints = [
            unique_within("section", "number", name="item_unique_number_in_section"),
            exempt_needs_paragraph("item_exempt_needs_paragraph"),
            models.CheckConstraint(
                condition=Q(is_urgent=False) | ~Q(urgency_reason=""),
                name="item_urgent_needs_reason",
            ),
            models.CheckConstraint(
                condition=Q(page_to__isnull=True)
                | Q(page_from__isnull=True)
                | Q(page_to__gte=models.F("page_from")),
                name="item_page_range_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return f"{self.meeting.get_absolute_url()}#item-{self.reference}"

    @property
    def page_range(self) -> str:
        if self.page_from and self.page_to and self.page_to != self.page_from:
            return f"Pages {self.page_from} - {self.page_to}"
        if self.page_from:
            return f"Page {self.page_from}"
        return ""

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.section_id and self.meeting_id != self.section.meeting_id:
            if self.meeting_id is None:
                self.meeting_id = self.section.meeting_id
            else:
                errors["section"] = "Choose a section of this item's own meeting."
        if self.visibility == Visibility.EXEMPT and not self.exempt_paragraph:
            errors["exempt_paragraph"] = (
                "Choose the paragraph of Schedule 12A that makes this item exempt."
            )
        if self.is_urgent and not self.urgency_reason.strip():
            errors["urgency_reason"] = "Give the reason this item is urgent."
        if self.page_from and self.page_to and self.page_to < self.page_from:
            errors["page_to"] = "The last page must come after the first page."
        if errors:
            raise ValidationError(errors)
