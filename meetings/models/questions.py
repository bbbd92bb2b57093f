"""Questions the public ask a body for one of its meetings.

A question is held unconfirmed until its asker follows the signed link in
the confirmation e-mail; the clerk then accepts it for the agenda, or
rejects it with a reason. Accepted questions are listed on the agenda under
its "Public questions" item, with the questioner's name only if they agreed
to its publication; the answer is shown once the minutes are published.

It keeps no history: the row holds an e-mail address, which the daily
retention job deletes a set period after the meeting, and a history would
keep a copy.
"""

from django.db import models
from django.db.models import Q

from kcsp.models import TimeStampedModel, optional_link
from kcsp.visibility import Audience, VisibilityQuerySet
from meetings.models.agendas import Meeting, published_agenda_q

ANONYMOUS = "A member of the public"


class PublicQuestionQuerySet(VisibilityQuerySet):
    """The public read accepted questions of public bodies once the agenda
    is published; never unconfirmed or rejected ones."""

    partnership_path = "meeting__body__partnership"

    def published_q(self, audience: Audience) -> Q:
        return Q(status="accepted") & published_agenda_q("meeting")


class PublicQuestion(TimeStampedModel):
    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", "Waiting for the asker to confirm"
        CONFIRMED = "confirmed", "Waiting for a decision"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="public_questions"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(
        "e-mail", blank=True, help_text="Deleted a set period after the meeting."
    )
    question = models.TextField()
    name_published = models.BooleanField(
        "the asker agreed to the publication of their name", default=False
    )
    status = models.CharField(
        max_length=20, choices=Status, default=Status.UNCONFIRMED, db_index=True
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.TextField("reason for rejecting", blank=True)
    grouped_with = optional_link(
        "self",
        related_name="grouped",
        help_text="Another question of the meeting this one is answered with.",
    )
    answer = models.TextField(blank=True)
    email_deleted_at = models.DateTimeField(null=True, blank=True)

    objects = PublicQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "created_at", "pk"]

    def __str__(self) -> str:
        return f"Question from {self.public_name}, {self.meeting}"

    @property
    def public_name(self) -> str:
        """The name as it may be published."""
        return self.name if self.name_published else ANONYMOUS

    @property
    def answered_by(self) -> "PublicQuestion":
        """The question whose answer this one shares (itself if not grouped)."""
        return self.grouped_with or self

    @property
    def answer_text(self) -> str:
        return self.answered_by.answer
