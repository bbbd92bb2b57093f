"""Councillor Calls for Action on local crime and disorder matters.

A member of the council asks the crime and disorder committee (Police and
Justice Act 2006 s19) to look at a local matter that has not been put right
by other means. The clerk records the call as received; the committee
considers it at a meeting, under an item of that meeting's agenda, and
decides: recommendations, no further action, or a referral elsewhere. A
call may instead be withdrawn by its member or refused, with the reason.

The public read a call once the committee considers it, that is once the
agenda carrying it is published, and only as far as they may read that
item; nothing before.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from kcsp.models import AuditedModel, Person, optional_link
from kcsp.visibility import Audience, Content, VisibilityQuerySet, levels_for
from meetings.models.agendas import AgendaItem, published_agenda_q
from meetings.models.bodies import Body


class CallForActionQuerySet(VisibilityQuerySet):
    """A call is read with the agenda item that puts it before the committee:
    once that agenda is published, at the item's visibility; never before."""

    partnership_path = "body__partnership"

    def published_q(self, audience: Audience) -> Q:
        return published_agenda_q("agenda_item__meeting") & Q(
            agenda_item__visibility__in=levels_for(audience.reach(Content.MEETINGS)),
            body__is_public=True,
        )


class CallForAction(AuditedModel):
    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        CONSIDERED = "considered", "On the committee's agenda"
        DECIDED = "decided", "Outcome recorded"
        WITHDRAWN = "withdrawn", "Withdrawn"
        REFUSED = "refused", "Refused"

    class Outcome(models.TextChoices):
        RECOMMENDATIONS = "recommendations", "Recommendations made"
        NO_FURTHER_ACTION = "no_further_action", "No further action"
        REFERRED = "referred", "Referred"

    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="calls_for_action",
        help_text="The crime and disorder committee the call is made to.",
    )
    member = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="calls_for_action",
        help_text="The councillor who makes the call.",
    )
    area = models.CharField(
        "ward, division or area",
        max_length=200,
        help_text="Where the matter arises, for example 'Ashford South division'.",
    )
    title = models.CharField(
        max_length=300, help_text="A short name for the matter, as lists show it."
    )
    matter = models.TextField(
        "the matter", help_text="The local crime and disorder matter, in full."
    )
    tried = models.TextField(
        "what has been tried already",
        help_text="How the member has tried to resolve it, and with whom.",
    )
    status = models.CharField(
        max_length=20, choices=Status, default=Status.RECEIVED, db_index=True
    )
    received_on = models.DateField("date received")
    agenda_item = optional_link(
        AgendaItem,
        related_name="calls_for_action",
        help_text="The agenda item under which the committee considers it.",
    )
    outcome = models.CharField(max_length=20, choices=Outcome, blank=True)
    outcome_text = models.TextField(
        "the committee's decision",
        blank=True,
        help_text="The recommendations, why no further action, or to whom it "
        "was referred.",
    )
    outcome_on = models.DateField("date of the outcome", null=True, blank=True)
    closed_reason = models.TextField("reason for withdrawing or refusing", blank=True)
    closed_on = models.DateField("date withdrawn or refused", null=True, blank=True)

    objects = CallForActionQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = "call for action"
        verbose_name_plural = "calls for action"
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="", outcome_on__isnull=True)
                | (~Q(outcome="") & Q(outcome_on__isnull=False)),
                name="call_outcome_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["withdrawn", "refused"])
                | (~Q(closed_reason="") & Q(closed_on__isnull=False)),
                name="call_closed_has_reason_and_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Councillor Call for Action: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:call", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.WITHDRAWN, self.Status.REFUSED)
