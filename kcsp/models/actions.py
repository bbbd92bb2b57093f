"""The tracked-action base: anything someone must do, whatever asked for it.

One table holds every action (from a resolution, a Community Safety
Agreement action plan or a Domestic Homicide Review), so a partner's "My
actions" is one query however many sources there are. The source app keeps
its own link row pointing here and fills in `source_label`, `source_url`
and `reports_to`, so the core can list and filter actions without importing
the apps.
"""

import datetime as dt
import functools
import operator
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from kcsp import registry
from kcsp.models.base import AuditedModel, WrittenOnceModel, acting_user, optional_link
from kcsp.models.directory import Organisation, Person
from kcsp.visibility import Audience, Content, Reach, VisibilityQuerySet, audience_of

OPEN_STATUSES = ("not_started", "in_progress")
# Not yet closed or cancelled: open, or complete and awaiting sign-off.
CURRENT_STATUSES = (*OPEN_STATUSES, "complete")


def content_of(source_kind: str) -> Content:
    """The row of the role table an action of this kind belongs to, as its
    source registered it (`registry.ActionSource.content`)."""
    source = registry.action_source(source_kind)
    return (source.content if source else None) or Content.ACTIONS


def _kinds() -> list[str]:
    return [kind for kind, _ in registry.action_kind_choices()]


def _any(parts: list[Q]) -> Q:
    """Rows matching any of `parts`; none at all when there are no parts."""
    return functools.reduce(operator.or_, parts, Q(pk__in=[]))


class ActionQuerySet(VisibilityQuerySet["Action"]):
    """Actions as each reader may see them.

    Public actions are those whose source says so (`registry.ActionSource`):
    nothing is copied into the action, so it leaves public view the moment
    its minutes or plan or review does. Beyond those, a reader sees the
    actions they work on (`worked_q`).
    """

    content = Content.ACTIONS
    partnership_path = "partnership"

    def public_q(self) -> Q:
        # A correlated EXISTS rather than `pk IN (...)`: inside the OR of
        # the sources, PostgreSQL runs an IN as a hash of every public
        # action of the archive, built even to check the few actions of one
        # meeting; an EXISTS it may look up row by row through the indexes.
        return _any(
            [
                Q(
                    Exists(source.public_ids().filter(action_id=OuterRef("pk"))),
                    source_kind=source.kind,
                )
                for source in registry.action_sources()
            ]
        )

    def worked_q(self, audience: Audience) -> Q:
        """Every action of a kind the reader sees all of; their organisation's
        of a kind they see as a partner does."""
        parts = []
        for kind in _kinds():
            reach = audience.reach(content_of(kind))
            if reach is Reach.ALL:
                parts.append(Q(source_kind=kind))
            elif reach is Reach.PARTNERS and audience.organisation_id:
                parts.append(
                    Q(source_kind=kind, owner_organisation=audience.organisation_id)
                )
        return _any(parts)

    def reach_q(self, audience: Audience) -> Q:
        return self.public_q() | self.worked_q(audience)

    def in_back_office(self, user: Any) -> "ActionQuerySet":
        # The back office shows an action's private notes and updates.
        return self.worked_by(user)

    def content_of_row(self, row: Any) -> Content:
        return content_of(row.source_kind)

    def worked_by(self, user: Any) -> "ActionQuerySet":
        """The actions this user works on: those whose notes, updates and
        evidence they may read, and which fill their "My actions"."""
        return self.filter(self.scoped_q(audience_of(user), self.worked_q))

    def overseen_by(self, user: Any) -> "ActionQuerySet":
        """Every action of the kinds this user sees all of (a clerk's, the
        DHR coordinator's): the clerks' overview."""
        return self.filter(self.scoped_q(audience_of(user), self._all_of_q))

    def _all_of_q(self, audience: Audience) -> Q:
        return _any(
            [
                Q(source_kind=kind)
                for kind in _kinds()
                if audience.sees_all(content_of(kind))
            ]
        )

    def open(self) -> "ActionQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: dt.date | None = None) -> "ActionQuerySet":
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def due_between(self, start: dt.date, end: dt.date) -> "ActionQuerySet":
        return self.open().filter(due_date__gte=start, due_date__lte=end)


class Action(AuditedModel):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete, awaiting sign-off"
        CLOSED = "closed", "Closed (signed off)"
        CANCELLED = "cancelled", "Cancelled"

    class Rag(models.TextChoices):
        NONE = "", "Not rated"
        RED = "red", "Red: off track"
        AMBER = "amber", "Amber: at risk"
        GREEN = "green", "Green: on track"

    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="actions"
    )
    owner_person = optional_link(Person, related_name="actions")
    due_date = models.DateField(null=True, blank=True, db_index=True)
    status = models.CharField(
        max_length=20, choices=Status, default=Status.NOT_STARTED, db_index=True
    )
    rag = models.CharField("RAG rating", max_length=10, choices=Rag, blank=True)
    source_kind = models.CharField(
        max_length=20,
        choices=registry.action_kind_choices,
        default=registry.OTHER_ACTIONS[0],
        help_text="Where the action came from: each source app registers its kind.",
    )
    source_label = models.CharField(
        max_length=300,
        blank=True,
        help_text="For example 'Minute 56, KCSP, 24 March 2022'.",
    )
    source_url = models.CharField(max_length=300, blank=True)
    reports_to = models.CharField(
        max_length=300,
        blank=True,
        db_index=True,
        help_text="The body or programme the action reports to.",
    )
    partnership = optional_link(
        "kcsp.Partnership",
        related_name="actions",
        help_text="The partnership whose action it is: its clerks oversee it.",
    )
    private_notes = models.TextField(
        blank=True, help_text="Internal notes: never shown to the public."
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = acting_user()
    signed_off_at = models.DateTimeField(null=True, blank=True)
    sign_off_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who signed it off, or the minute that noted completion.",
    )
    last_reminded_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["owner_organisation", "status", "due_date"]),
            models.Index(fields=["status", "due_date"]),
            # The bodies an organisation's actions report to (My actions'
            # filter), read from the index alone rather than every action.
            models.Index(
                fields=["owner_organisation", "source_kind", "reports_to"],
                name="action_org_reports_to",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(signed_off_at__isnull=False),
                name="action_closed_needs_sign_off",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("kcsp:action", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_date is not None and self.due_date < today


def evidence_upload_to(instance: "ActionUpdate", filename: str) -> str:
    return f"evidence/{uuid.uuid4().hex}/{filename}"


class ActionUpdate(WrittenOnceModel):
    """A dated progress entry. Never edited: a correction is a new entry."""

    changed_message = "A progress update cannot be changed once posted."

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    posted_at = models.DateTimeField(default=timezone.now, db_index=True)
    text = models.TextField()
    status = models.CharField(max_length=20, choices=Action.Status, blank=True)
    rag = models.CharField("RAG rating", max_length=10, choices=Action.Rag, blank=True)
    evidence = models.FileField(
        upload_to=evidence_upload_to, blank=True, max_length=300
    )
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_mime = models.CharField(max_length=120, blank=True)

    changed_message = "A progress update cannot be changed once posted."

    class Meta:
        ordering = ["action", "posted_at", "pk"]

    def __str__(self) -> str:
        return f"Update on {self.action} at {self.posted_at:%Y-%m-%d %H:%M}"

    def get_evidence_url(self) -> str:
        return reverse("kcsp:action_evidence", args=[self.pk])
