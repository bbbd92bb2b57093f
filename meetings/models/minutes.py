"""Minutes: numbered items, their paragraphs and resolutions, and corrections.

A meeting has one set of minutes. Its items are numbered in the body's
running series (51, 52, ... continuing from the previous meeting). Once the
minutes are approved the text is frozen; a change after that is a recorded
correction, shown publicly as such.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from kcsp.formatting import letter_label
from kcsp.models import (
    AuditedModel,
    Person,
    ProvenanceModel,
    acting_user,
    optional_link,
    unique_within,
)
from kcsp.visibility import Audience, Visibility, VisibilityQuerySet
from meetings.models.agendas import AgendaItem, Meeting
from meetings.models.attendance import PUBLISHED_MINUTES as PUBLISHED_STATUSES
from meetings.models.attendance import published_minutes_q
from meetings.models.exemption import ExemptableItem, exempt_needs_paragraph


class MinutesQuerySet(VisibilityQuerySet):
    partnership_path = "meeting__body__partnership"

    def published_q(self, audience: Audience) -> Q:
        return published_minutes_q(minutes="", meeting="meeting")


class Minutes(AuditedModel, ProvenanceModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (staff only)"
        PUBLISHED_DRAFT = "published_draft", "Published as draft, subject to approval"
        APPROVED = "approved", "Approved"

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="minutes"
    )
    status = models.CharField(
        max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.OneToOneField(
        "Resolution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes",
        help_text="The resolution of a later meeting that approved these minutes.",
    )
    first_number = models.PositiveIntegerField(
        default=1,
        help_text="The number of the first minute item, continuing the body's series.",
    )
    source_text = models.TextField(
        blank=True, help_text="The text these minutes were imported from, if any."
    )

    objects = MinutesQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "minutes"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_by__isnull=False),
                name="minutes_approved_needs_resolution",
            )
        ]

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}"

    def get_absolute_url(self) -> str:
        return f"{self.meeting.get_absolute_url()}#minutes"

    @property
    def is_published(self) -> bool:
        return self.status in PUBLISHED_STATUSES

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.APPROVED

    def check_open(self) -> None:
        """Refuse any change to approved minutes: from then on they change
        only by a recorded correction, which the public sees beside them."""
        if self.is_frozen:
            raise ValidationError(
                "These minutes are approved, so they cannot be changed; record "
                "a correction instead."
            )

    @property
    def status_label(self) -> str:
        if self.status == self.Status.PUBLISHED_DRAFT:
            return "Draft minutes - subject to approval"
        if self.status == self.Status.APPROVED:
            return "Approved minutes"
        return "Draft minutes - not published"


class MinuteItemQuerySet(VisibilityQuerySet):
    """Minute items of published minutes; exempt ones are listed by number and
    title only, like exempt agenda items."""

    partnership_path = "minutes__meeting__body__partnership"

    def published_q(self, audience: Audience) -> Q:
        return published_minutes_q(minutes="minutes", meeting="minutes__meeting")


class MinuteItem(AuditedModel, ProvenanceModel, ExemptableItem):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="items")
    agenda_item = optional_link(AgendaItem, related_name="minute_items")
    number = models.PositiveIntegerField(
        help_text="In the body's running series, e.g. 51."
    )
    title = models.CharField(max_length=500)
    agenda_reference = models.CharField(
        max_length=10, blank=True, help_text="Shown as '(Item B1)'."
    )
    order = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised on every save; a stale save is refused."
    )
    staged = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="A change to public draft minutes saved without publishing: "
        "the text, and the version it was written against.",
    )

    objects = MinuteItemQuerySet.as_manager()

    class Meta:
        ordering = ["minutes", "order", "number"]
        constraints = [
            unique_within("minutes", "number", name="minute_item_unique_number"),
            exempt_needs_paragraph("minute_item_exempt_needs_paragraph"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return f"{self.minutes.meeting.get_absolute_url()}#minute-{self.number}"

    @property
    def reference_label(self) -> str:
        return f"(Item {self.agenda_reference})" if self.agenda_reference else ""


def public_minute_q(path: str) -> Q:
    """What `path` leads to is a public minute item of published minutes."""
    return published_minutes_q(
        minutes=f"{path}__minutes", meeting=f"{path}__minutes__meeting"
    ) & Q(**{f"{path}__visibility": Visibility.PUBLIC})


class MinuteItemContentQuerySet(VisibilityQuerySet):
    """What is written under a minute item (paragraphs, resolutions): public
    once the minutes are published, never for an exempt item (its minute
    shows only the number, title and reason)."""

    partnership_path = "minute_item__minutes__meeting__body__partnership"

    def published_q(self, audience: Audience) -> Q:
        return public_minute_q("minute_item")


class MinuteItemContent(AuditedModel):
    """What is written under a minute item, in the item's order: a paragraph
    or a resolution."""

    order = models.PositiveIntegerField(default=0)

    objects = MinuteItemContentQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["minute_item", "order", "pk"]


class MinuteParagraph(MinuteItemContent):
    minute_item = models.ForeignKey(
        MinuteItem, on_delete=models.CASCADE, related_name="paragraphs"
    )
    text = models.TextField(
        help_text='As typed: blank lines, "- " lists, **bold** and links.'
    )
    numbered = models.BooleanField(
        default=True, help_text="Untick for a paragraph printed without a number."
    )

    def __str__(self) -> str:
        return f"{self.minute_item.number} ({self.order})"


class Resolution(MinuteItemContent):
    class Kind(models.TextChoices):
        NOTED = "noted", "Noted"
        AGREED = "agreed", "Agreed"
        APPROVED = "approved", "Approved"
        RECOMMENDED = "recommended", "Recommended"
        REQUESTED = "requested", "Requested"
        ELECTED = "elected", "Elected"
        OTHER = "other", "Other"

    minute_item = models.ForeignKey(
        MinuteItem, on_delete=models.CASCADE, related_name="resolutions"
    )
    text = models.TextField(
        help_text="The whole resolution, or its lead-in when it has lettered parts: "
        "'RESOLVED that the Kent Community Safety Partnership'."
    )

    class Vote(models.TextChoices):
        NONE = "", "No vote recorded"
        COUNTED = "counted", "Votes counted: for, against and abstentions"
        NAMED = "named", "A named vote: how each member voted"

    kind = models.CharField(max_length=20, choices=Kind, default=Kind.NOTED)
    recommended_to = models.CharField(
        max_length=200, blank=True, help_text="For a recommendation: to whom."
    )
    vote = models.CharField(
        "recorded vote", max_length=10, choices=Vote, blank=True, default=Vote.NONE
    )
    votes_for = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_abstained = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta(MinuteItemContent.Meta):
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        vote="",
                        votes_for__isnull=True,
                        votes_against__isnull=True,
                        votes_abstained__isnull=True,
                    )
                    | (
                        ~Q(vote="")
                        & Q(
                            votes_for__isnull=False,
                            votes_against__isnull=False,
                            votes_abstained__isnull=False,
                        )
                    )
                ),
                name="resolution_vote_has_counts",
            )
        ]

    def __str__(self) -> str:
        return f"Minute {self.minute_item.number}: {self.text[:80]}"

    def get_absolute_url(self) -> str:
        return self.minute_item.get_absolute_url()

    @property
    def named_groups(self) -> list[tuple[str, list[str]]]:
        """A named vote's names under For, Against and Abstained, as minutes
        print them (reads the prefetched `named_votes` with their people)."""
        votes = list(self.named_votes.all())
        return [
            (label, [v.person.formal_name for v in votes if v.choice == choice])
            for choice, label in NamedVote.Choice.choices
        ]


class ResolutionPart(AuditedModel):
    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="parts"
    )
    order = models.PositiveIntegerField(default=0)
    text = models.TextField()

    class Meta:
        ordering = ["resolution", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.letter}) {self.text[:80]}"

    @property
    def letter(self) -> str:
        """a, b, c ... from the part's position (set by the services)."""
        return _letters(self.order)


class NamedVoteQuerySet(VisibilityQuerySet):
    """A member's vote is public with the resolution it was cast on."""

    def published_q(self, audience: Audience) -> Q:
        return public_minute_q("resolution__minute_item")


class NamedVote(AuditedModel):
    """How one member present voted on a resolution, where a named (recorded)
    vote was asked for."""

    class Choice(models.TextChoices):
        FOR = "for", "For"
        AGAINST = "against", "Against"
        ABSTAINED = "abstained", "Abstained"

    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="named_votes"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="named_votes"
    )
    choice = models.CharField(max_length=10, choices=Choice)

    objects = NamedVoteQuerySet.as_manager()

    class Meta:
        ordering = ["resolution", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "person"], name="named_vote_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_choice_display()}"


def _letters(index: int) -> str:
    """a, b, c ...: minutes letter the parts of a resolution in lower case."""
    return letter_label(index).lower()


class MinuteItemRevision(models.Model):
    """The whole text of a minute item as saved, for comparing versions."""

    minute_item = models.ForeignKey(
        MinuteItem, on_delete=models.CASCADE, related_name="revisions"
    )
    version = models.PositiveIntegerField()
    content = models.JSONField()
    saved_by = acting_user()
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["minute_item", "version"]
        constraints = [
            unique_within("minute_item", "version", name="revision_unique_version")
        ]

    def __str__(self) -> str:
        return f"Minute {self.minute_item.number}, version {self.version}"


class MinutesCorrection(AuditedModel):
    """A change to approved minutes: never silent, always shown."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="corrections"
    )
    minute_item = optional_link(MinuteItem, related_name="corrections")
    reason = models.TextField()
    before = models.JSONField()
    after = models.JSONField()
    made_by = acting_user()
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["minutes", "made_at"]

    def __str__(self) -> str:
        return f"Correction to {self.minutes}: {self.reason[:60]}"
