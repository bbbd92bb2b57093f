"""Bodies that meet, and who sits on them when."""

import math
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kcsp.models import (
    AuditedModel,
    InForceQuerySet,
    Organisation,
    Partnership,
    Person,
    ProvenanceModel,
    optional_link,
)
from kcsp.models.partnerships import host_partnership_id
from kcsp.visibility import Audience, VisibilityQuerySet
from meetings.models.choices import StandardItem

QUORUM = re.compile(r"^\s*(\d+)\s*(?:/\s*(\d+)\s*)?$")


def validate_quorum(value: str) -> None:
    """A number of members ("3") or a fraction of the voting members ("1/3")."""
    match = QUORUM.match(value or "")
    if not match:
        raise ValidationError(
            'Give a number of members, such as "3", or a fraction of the voting '
            'members, such as "1/3".'
        )
    top, bottom = int(match.group(1)), match.group(2)
    if top < 1 or (bottom is not None and not 0 < top <= int(bottom)):
        raise ValidationError(
            "A quorum is at least one member and no more than all of them."
        )


class BodyQuerySet(VisibilityQuerySet):
    partnership_path = "partnership"

    def published_q(self, audience: Audience) -> Q:
        return Q(is_public=True)

    def active(self) -> "BodyQuerySet":
        today = timezone.localdate()
        return self.filter(Q(active_until__isnull=True) | Q(active_until__gte=today))


class Body(AuditedModel, ProvenanceModel):
    """A board, committee or group whose meetings the portal records."""

    class Kind(models.TextChoices):
        PARTNERSHIP_BOARD = "partnership_board", "Partnership board"
        SCRUTINY_COMMITTEE = "scrutiny_committee", "Scrutiny committee"
        SELECT_COMMITTEE = "select_committee", "Select committee"
        WORKING_GROUP = "working_group", "Working group"
        SUB_GROUP = "sub_group", "Sub-group"

    class Numbering(models.TextChoices):
        CONTINUOUS = "continuous", "One running series across all meetings"
        MUNICIPAL_YEAR = "municipal_year", "Restart each municipal year (from May)"

    name = models.CharField(max_length=300, unique=True)
    short_name = models.CharField(max_length=60, blank=True)
    slug = models.SlugField(max_length=100, unique=True)
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        related_name="bodies",
        default=host_partnership_id,
        help_text="The partnership whose body it is; its clerks run its meetings.",
    )
    kind = models.CharField(max_length=30, choices=Kind, default=Kind.PARTNERSHIP_BOARD)
    parent = optional_link(
        "self",
        related_name="children",
        help_text="The body this one reports to, if any.",
    )
    purpose = models.TextField(
        blank=True, help_text="Purpose and terms of reference, as shown to the public."
    )
    clerk_name = models.CharField("clerk", max_length=200, blank=True)
    clerk_phone = models.CharField("clerk's telephone", max_length=40, blank=True)
    clerk_email = models.EmailField("clerk's e-mail", blank=True)
    chair_title = models.CharField(
        max_length=40, default="Chairman", help_text="As the minutes write it."
    )
    minutes_target_days = models.PositiveSmallIntegerField(
        "working days to publish draft minutes",
        default=10,
        help_text="The target for publishing draft minutes after a meeting, shown "
        "on the clerk's dashboard.",
    )
    meeting_minutes = models.PositiveSmallIntegerField(
        "usual length of a meeting, in minutes",
        default=120,
        help_text="When a meeting is expected to end, unless it gives its own end "
        "(for calendars).",
    )
    vice_chair_title = models.CharField(max_length=40, default="Vice-Chairman")
    minute_numbering = models.CharField(
        max_length=20, choices=Numbering, default=Numbering.CONTINUOUS
    )
    shows_political_groups = models.BooleanField(
        default=False, help_text="List members by political group, as councils do."
    )
    is_public = models.BooleanField(
        "meetings published",
        default=True,
        help_text="Untick for a group whose meetings are not published.",
    )
    quorum = models.CharField(
        max_length=10,
        blank=True,
        validators=[validate_quorum],
        help_text="How many voting members (chair, vice-chair and members; a "
        "substitute counts for the member) must be present for business: a number "
        '("3") or a fraction of the voting members ("1/3", rounded up). Empty '
        "when the body sets none.",
    )
    accepts_questions = models.BooleanField(
        "accepts questions from the public",
        default=False,
        help_text="Anyone may ask a question for its meetings, at "
        "/committees/<body>/questions/.",
    )
    question_deadline_days = models.PositiveSmallIntegerField(
        "question deadline (clear working days)",
        default=3,
        help_text="Questions close this many clear working days before the "
        "meeting (not counting the day of the meeting, weekends or bank holidays).",
    )
    question_word_limit = models.PositiveSmallIntegerField(
        "word limit for a question", default=125
    )
    agenda_to_members = models.BooleanField(
        "e-mail the agenda to members",
        default=False,
        help_text="When an agenda is published (at its publication time), each "
        "current member with an e-mail address in the directory is sent it: what "
        "the public may see, with a link to sign in for the rest. Only for a body "
        "whose meetings are published.",
    )
    accepts_petitions = models.BooleanField(
        "accepts petitions",
        default=False,
        help_text="Anyone may start a petition to it, at /petitions/new/.",
    )
    petition_threshold = models.PositiveIntegerField(
        '"debate at committee" threshold',
        default=100,
        help_text="A petition with this many confirmed signatures is shown to the "
        "clerk for a meeting's agenda.",
    )
    petition_days = models.PositiveSmallIntegerField(
        "days a petition stays open",
        default=90,
        help_text="From the day the clerk publishes it, unless they set another "
        "closing date.",
    )
    active_from = models.DateField(null=True, blank=True)
    active_until = models.DateField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=100)

    objects = BodyQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "bodies"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("meetings:body", args=[self.slug])

    def quorum_needed(self, voting_members: int) -> int | None:
        """How many must be present out of `voting_members`; None without a
        quorum."""
        match = QUORUM.match(self.quorum or "")
        if not match:
            return None
        top, bottom = int(match.group(1)), match.group(2)
        if bottom is None:
            return top
        return max(1, math.ceil(voting_members * top / int(bottom)))

    def role_label(self, role: str) -> str:
        if role == Membership.Role.CHAIR:
            return self.chair_title
        if role == Membership.Role.VICE_CHAIR:
            return self.vice_chair_title
        return Membership.Role(role).label


class MembershipQuerySet(InForceQuerySet["Membership"]):
    """Who sat on a body when."""


class Membership(AuditedModel, ProvenanceModel):
    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"
        MEMBER = "member", "Member"
        CO_OPTED = "co_opted", "Co-opted member"
        SUBSTITUTE = "substitute", "Substitute"
        ADVISER = "adviser", "Adviser"

    class PoliticalGroup(models.TextChoices):
        CONSERVATIVE = "Conservative", "Conservative"
        LABOUR = "Labour", "Labour"
        LIBERAL_DEMOCRAT = "Liberal Democrat", "Liberal Democrat"
        GREEN = "Green", "Green"
        REFORM = "Reform UK", "Reform UK"
        INDEPENDENT = "Independent", "Independent"
        OTHER = "Other", "Other"

    ROLE_ORDER = {r: i for i, r in enumerate(Role)}
    # Who counts towards a quorum taken as a fraction of the members.
    VOTING_ROLES = (Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER)

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role, default=Role.MEMBER)
    representing = optional_link(
        Organisation,
        related_name="memberships",
        help_text="The organisation this member represents on the body.",
    )
    political_group = models.CharField(
        max_length=40, choices=PoliticalGroup, blank=True
    )
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["body", "person"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="membership_end_after_start",
            )
        ]
        indexes = [models.Index(fields=["body", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.person} ({self.role_label}), {self.body}"

    @property
    def role_label(self) -> str:
        return self.body.role_label(self.role)

    @property
    def rank(self) -> int:
        return self.ROLE_ORDER[self.Role(self.role)]


class AgendaTemplateItem(AuditedModel):
    """A standing item every agenda of a body starts with."""

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="agenda_template"
    )
    section_letter = models.CharField(max_length=2, default="A")
    section_title = models.CharField(max_length=200, default="Committee Business")
    title = models.CharField(
        max_length=500,
        help_text="For the previous minutes item, the date is added automatically.",
    )
    standard = models.CharField(max_length=30, blank=True, choices=StandardItem)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["body", "section_letter", "order"]

    def __str__(self) -> str:
        return f"{self.section_letter}: {self.title}"
