"""Who came to a meeting, in what capacity, and what they declared."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from kcsp.models import (
    AuditedModel,
    Person,
    lookup_through,
    optional_link,
    unique_within,
)
from kcsp.visibility import Audience, VisibilityQuerySet
from meetings.models.agendas import AgendaItem, Meeting
from meetings.models.bodies import Membership

PUBLISHED_MINUTES = ("published_draft", "approved")


def published_minutes_q(*, minutes: str, meeting: str) -> Q:
    """What `minutes` leads to ("" for the row itself) is minutes published,
    as a draft or approved, of what `meeting` leads to: a meeting of a public
    body."""
    return Q(
        **{
            lookup_through(minutes, "status__in"): PUBLISHED_MINUTES,
            lookup_through(meeting, "body__is_public"): True,
        }
    )


class MinutesRecordQuerySet(VisibilityQuerySet):
    """Attendance and declarations are public once the minutes are."""

    partnership_path = "meeting__body__partnership"

    def published_q(self, audience: Audience) -> Q:
        return published_minutes_q(minutes="meeting__minutes", meeting="meeting")


class Attendance(AuditedModel):
    class Kind(models.TextChoices):
        PRESENT = "present", "Present"
        SUBSTITUTE = "substitute", "Present as a substitute"
        ALSO_PRESENT = "also_present", "Also present"
        IN_ATTENDANCE = "in_attendance", "In attendance (officer)"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"
        NOT_RECORDED = "not_recorded", "Not recorded yet"

    # Not known to have been there: no declaration, no place in the minutes.
    NOT_THERE = (Kind.APOLOGIES, Kind.ABSENT, Kind.NOT_RECORDED)
    # Members there in their own right or for a member: who votes and who
    # counts towards the quorum.
    MEMBERS_PRESENT = (Kind.PRESENT, Kind.SUBSTITUTE)

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="attendance"
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.PRESENT)
    substitute_for = optional_link(
        Person,
        on_delete=models.PROTECT,
        related_name="substituted_by",
    )
    in_the_chair = models.BooleanField(default=False)
    capacity = models.CharField(
        max_length=300,
        blank=True,
        help_text="Shown in brackets after the name, for example "
        "'Head of Community Safety'. Chair roles are added automatically.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = MinutesRecordQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "order", "person"]
        verbose_name_plural = "attendance"
        constraints = [
            unique_within("meeting", "person", name="attendance_once_per_meeting"),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(in_the_chair=True),
                name="attendance_one_chair",
            ),
            models.CheckConstraint(
                condition=Q(kind="substitute") | Q(substitute_for__isnull=True),
                name="attendance_substitute_for_only_substitutes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} - {self.get_kind_display()}"


class Declaration(AuditedModel):
    class Kind(models.TextChoices):
        DISCLOSABLE_PECUNIARY = "dpi", "Disclosable pecuniary interest"
        OTHER_SIGNIFICANT = "other_significant", "Other significant interest"
        PERSONAL = "personal", "Personal interest"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="declarations"
    )
    item = optional_link(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="declarations",
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="declarations"
    )
    kind = models.CharField(max_length=30, choices=Kind, default=Kind.PERSONAL)
    details = models.TextField(help_text="The nature of the interest.")

    objects = MinutesRecordQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "item", "person"]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}"

    def clean(self) -> None:
        """Only someone recorded as there (not sending apologies, not absent,
        not still unrecorded) can declare an interest at the meeting."""
        if self.meeting_id is None or self.person_id is None:
            return
        there = Attendance.objects.filter(
            meeting_id=self.meeting_id, person_id=self.person_id
        ).exclude(kind__in=Attendance.NOT_THERE)
        if not there.exists():
            raise ValidationError(
                {
                    "person": "Record them at the meeting first: only someone there "
                    "can declare an interest."
                }
            )
        if self.item is not None and self.item.meeting_id != self.meeting_id:
            raise ValidationError({"item": "Choose an item of this meeting."})


@dataclass(frozen=True)
class Quorum:
    """Whether enough voting members were at a meeting for it to do business."""

    needed: int
    present: int
    voting: int

    @property
    def quorate(self) -> bool:
        return self.present >= self.needed

    @property
    def text(self) -> str:
        were = "was" if self.present == 1 else "were"
        return (
            f"{self.present} of the {self.voting} voting members {were} present; "
            f"the quorum is {self.needed}."
        )


def meeting_quorum(
    meeting: Meeting, rows: Iterable[Attendance] | None = None
) -> Quorum | None:
    """The meeting's quorum from its attendance (`rows`, as its reader may see
    them, or all of them); None when the body sets no quorum or the
    attendance is not yet recorded, as then nobody can say."""
    if not meeting.body.quorum:
        return None
    rows = list(meeting.attendance.all() if rows is None else rows)
    if not rows or any(r.kind == Attendance.Kind.NOT_RECORDED for r in rows):
        return None
    voting = set(
        Membership.objects.filter(body=meeting.body, role__in=Membership.VOTING_ROLES)
        .on(meeting.date)
        .values_list("person_id", flat=True)
    )
    needed = meeting.body.quorum_needed(len(voting))
    if needed is None:
        return None
    # A substitute stands in for a member; anyone else present counts only
    # as a voting member (a co-opted member or an adviser does not).
    present = sum(
        r.kind == Attendance.Kind.SUBSTITUTE
        or (r.kind == Attendance.Kind.PRESENT and r.person_id in voting)
        for r in rows
    )
    return Quorum(needed=needed, present=present, voting=len(voting))
