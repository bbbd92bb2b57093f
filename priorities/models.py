"""Priorities and cross-cutting themes of each version of the agreement.

Each version has its own rows: a refresh copies them into the new draft and
records the lineage (this priority continues that one), so a renamed or
merged priority stays traceable and the approved version is never edited by
a refresh. A priority's page address (its slug) is kept across versions.

Leads may be a post, a person, an organisation or just the words of the
agreement; "TBC" is allowed and flagged as a gap. The action plan uses the
shared tracked actions of the core (`kcsp.Action`); an open action is
carried into the next version's plan as the same action. Performance
measures have periodic values, read by the exception report.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from agreement.models import Agreement, VersionedQuerySet, carried_from_field
from kcsp.charts import format_number
from kcsp.models import (
    Action,
    AuditedModel,
    Organisation,
    Person,
    Post,
    optional_link,
    unique_within,
)
from kcsp.visibility import Audience
from meetings.models import AgendaItem, MinuteItem

# Page addresses under /priorities/ that a priority may not take.
RESERVED_SLUGS = frozenset({"exception-report"})


def not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(f"'{value}' is used by another page; choose another.")


def unique_per_version(name: str) -> list[models.BaseConstraint]:
    """Within a version, no two rows share a page address or a name."""
    return [
        models.UniqueConstraint(
            fields=["agreement", field], name=f"{name}_unique_{field}_per_version"
        )
        for field in ("slug", "name")
    ]


def predecessors_through(lineage: str) -> "models.ManyToManyField[Any, Any]":
    """The rows of earlier versions this one continues, linked by `lineage`;
    they see this one among their `successors`."""
    return models.ManyToManyField(
        "self",
        through=lineage,
        through_fields=("later", "earlier"),
        symmetrical=False,
        related_name="successors",
        blank=True,
    )


class VersionTopic(AuditedModel):
    """A named topic of one version, in the version's order: a priority or a
    cross-cutting theme. Each continues topics of earlier versions."""

    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["agreement", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class Priority(VersionTopic):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="priorities"
    )
    short_name = models.CharField(
        max_length=120,
        blank=True,
        help_text="As tables write it, for example 'Anti-social behaviour inc. "
        "environmental'. Leave blank to use the name.",
    )
    slug = models.SlugField(
        "page address",
        max_length=100,
        validators=[not_reserved],
        help_text="Kept across versions so the page address stays the same.",
    )
    description = models.TextField(
        "current context",
        blank=True,
        help_text='As typed: blank lines between paragraphs, "- " for a list, '
        "**bold** and [words](https://link).",
    )
    predecessors = predecessors_through("PriorityLineage")

    class Meta(VersionTopic.Meta):
        verbose_name_plural = "priorities"
        constraints = unique_per_version("priority")

    def get_absolute_url(self) -> str:
        """The priority's page, at the address its versions share; for a
        version other than the current one, with that version named."""
        url = reverse("priorities:detail", args=[self.slug])
        agreement = self.agreement
        return url if agreement.is_current else f"{url}?version={agreement.slug}"

    @property
    def table_name(self) -> str:
        return self.short_name or self.name


class Lineage(AuditedModel):
    """The later row continues the earlier one of a previous version (carried,
    renamed, merged). Concrete lineages give `earlier` and `later` from
    `lineage_ends`, and `lineage_constraints` under their own name."""

    earlier: models.ForeignKey[Any, Any]
    later: models.ForeignKey[Any, Any]

    class Meta:
        abstract = True
        ordering = ["later", "earlier"]

    def __str__(self) -> str:
        return f"{self.later} continues {self.earlier}"


def lineage_ends(
    topic: type[VersionTopic],
) -> tuple["models.ForeignKey[Any, Any]", "models.ForeignKey[Any, Any]"]:
    """A lineage's `earlier` and `later` rows of `topic`: each row lists its
    links as `successor_links` and `predecessor_links`."""
    return (
        models.ForeignKey(
            topic, on_delete=models.CASCADE, related_name="successor_links"
        ),
        models.ForeignKey(
            topic, on_delete=models.CASCADE, related_name="predecessor_links"
        ),
    )


def lineage_constraints(name: str) -> list[models.BaseConstraint]:
    """A link is made once, and never from a row to itself."""
    return [
        models.UniqueConstraint(fields=["earlier", "later"], name=f"{name}_unique"),
        models.CheckConstraint(
            condition=~Q(earlier=models.F("later")), name=f"{name}_not_itself"
        ),
    ]


class PriorityLineage(Lineage):
    """The later priority continues the earlier one (carried, renamed, merged)."""

    earlier, later = lineage_ends(Priority)

    class Meta(Lineage.Meta):
        constraints = lineage_constraints("priority_lineage")

    def clean(self) -> None:
        if (
            self.earlier_id
            and self.later_id
            and self.earlier.agreement_id == self.later.agreement_id
        ):
            raise ValidationError("Link a priority to one in an earlier version.")


class CrossCuttingTheme(VersionTopic):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="themes"
    )
    slug = models.SlugField(max_length=100)
    description = models.TextField(blank=True, help_text="As typed, like a priority's.")
    priorities = models.ManyToManyField(
        Priority, through="ThemePriority", related_name="themes", blank=True
    )
    predecessors = predecessors_through("ThemeLineage")

    class Meta(VersionTopic.Meta):
        verbose_name = "cross-cutting theme"
        constraints = unique_per_version("theme")


class ThemePriority(AuditedModel):
    """A theme cuts across this priority."""

    theme = models.ForeignKey(
        CrossCuttingTheme, on_delete=models.CASCADE, related_name="priority_links"
    )
    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, related_name="theme_links"
    )

    class Meta:
        ordering = ["theme", "priority__order"]
        constraints = [unique_within("theme", "priority", name="theme_priority_unique")]

    def __str__(self) -> str:
        return f"{self.theme} across {self.priority}"

    def clean(self) -> None:
        if (
            self.theme_id
            and self.priority_id
            and self.theme.agreement_id != self.priority.agreement_id
        ):
            raise ValidationError("Choose a priority of the theme's own version.")


class ThemeLineage(Lineage):
    earlier, later = lineage_ends(CrossCuttingTheme)

    class Meta(Lineage.Meta):
        constraints = lineage_constraints("theme_lineage")


class PriorityLead(AuditedModel):
    """Who leads a priority: a post, a person, an organisation, or TBC."""

    class Role(models.TextChoices):
        PRIMARY = "primary", "Lead officer or agency"
        SECONDARY = "secondary", "Secondary lead (owns actions in the plan)"

    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, related_name="leads"
    )
    role = models.CharField(max_length=20, choices=Role, default=Role.PRIMARY)
    post = optional_link(Post, on_delete=models.PROTECT, related_name="leads")
    person = optional_link(Person, on_delete=models.PROTECT, related_name="leads")
    organisation = optional_link(
        Organisation,
        on_delete=models.PROTECT,
        related_name="leads",
    )
    label = models.CharField(
        max_length=300,
        blank=True,
        help_text="As the agreement writes it, for example 'Chair of Kent & Medway "
        "Domestic Abuse Strategy Group'. Leave blank to use the post, person or "
        "organisation.",
    )
    is_tbc = models.BooleanField(
        "to be confirmed",
        default=False,
        help_text="No lead yet: shown as 'TBC' and flagged as a gap.",
    )
    responsibility = models.CharField(
        max_length=300,
        blank=True,
        help_text="For a secondary lead: what they are responsible for.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    carried_from = carried_from_field()

    class Meta:
        ordering = ["priority", "role", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority"],
                condition=Q(role="primary"),
                name="priority_lead_one_primary",
            ),
            models.CheckConstraint(
                condition=(
                    Q(is_tbc=True)
                    & Q(post__isnull=True)
                    & Q(person__isnull=True)
                    & Q(organisation__isnull=True)
                    & Q(label="")
                )
                | (
                    Q(is_tbc=False)
                    & (
                        Q(post__isnull=False)
                        | Q(person__isnull=False)
                        | Q(organisation__isnull=False)
                        | ~Q(label="")
                    )
                ),
                name="priority_lead_named_or_tbc",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display} ({self.get_role_display()}, {self.priority})"

    @property
    def display(self) -> str:
        """The lead as the agreement shows it, or 'TBC'."""
        if self.is_tbc:
            return "TBC"
        if self.label:
            return self.label
        if self.post_id:
            return str(self.post)
        person = self.person
        if person is not None:
            org = person.organisation
            return f"{person.full_name}, {org.label}" if org else person.full_name
        return self.organisation.name if self.organisation else ""

    def clean(self) -> None:
        named = self.post_id or self.person_id or self.organisation_id or self.label
        if self.is_tbc and named:
            raise ValidationError(
                "A lead to be confirmed has no post, person, organisation or words: "
                "clear them or untick 'to be confirmed'."
            )
        if not self.is_tbc and not named:
            raise ValidationError(
                "Give a post, person, organisation or the words of the agreement, "
                "or tick 'to be confirmed'."
            )


class MarkedPublicQuerySet(VersionedQuerySet):
    """Rows of a priority the clerk marks public (`is_public`), plan entries
    and measures: shown to the public once their version is approved. An
    action is public while any plan entry of it is (`priorities.sources`)."""

    partnership_path = "priority__agreement__partnership"

    agreement_path = "priority__agreement"

    def published_q(self, audience: Audience) -> Q:
        return super().published_q(audience) & Q(is_public=True)


class MarkedPublicRow(AuditedModel):
    """A row of a priority, in the priority's order, that the clerk marks
    public (`is_public`, declared with each one's own help text) and a
    refresh carries into the next version."""

    is_public: "models.BooleanField[Any, Any]"

    order = models.PositiveSmallIntegerField(default=0)
    carried_from = carried_from_field()

    objects = MarkedPublicQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["priority", "order", "pk"]


class PriorityAction(MarkedPublicRow):
    """An action in a priority's plan: a shared tracked action of the core.

    The same action appears in the plans of later versions while it is open.
    """

    # The `source_kind` of these actions (`priorities.sources` registers it).
    ACTION_KIND = "agreement"

    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, related_name="action_links"
    )
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="priority_links"
    )
    lead = optional_link(
        PriorityLead,
        related_name="action_links",
        help_text="The secondary lead responsible for this action.",
    )
    is_public = models.BooleanField(
        "shown to the public",
        default=True,
        help_text="Shown to the public while the version is approved (from "
        "approval, for a draft). Untick for actions shared with partners only.",
    )

    class Meta(MarkedPublicRow.Meta):
        verbose_name = "action plan entry"
        verbose_name_plural = "action plan entries"
        constraints = [
            unique_within("priority", "action", name="priority_action_unique")
        ]

    def __str__(self) -> str:
        return f"{self.action} ({self.priority})"


class Measure(MarkedPublicRow):
    """A performance indicator of a priority."""

    class Direction(models.TextChoices):
        LOWER = "lower", "Lower is better"
        HIGHER = "higher", "Higher is better"
        NEITHER = "neither", "Monitored, with no better direction"

    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, related_name="measures"
    )
    name = models.CharField(max_length=300)
    unit = models.CharField(
        max_length=60, blank=True, help_text="For example 'incidents' or '%'."
    )
    direction = models.CharField(
        max_length=10, choices=Direction, default=Direction.LOWER
    )
    baseline = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_label = models.CharField(
        max_length=80, blank=True, help_text="The period of the baseline, e.g. '2010'."
    )
    target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    target_label = models.CharField(
        max_length=80, blank=True, help_text="When the target applies, e.g. '2013/14'."
    )
    data_source = models.CharField(max_length=300, blank=True)
    is_public = models.BooleanField(
        "shown to the public",
        default=True,
        help_text="Untick for figures shared with partners only.",
    )

    class Meta(MarkedPublicRow.Meta):
        verbose_name = "performance measure"
        constraints = [
            unique_within("priority", "name", name="measure_unique_name_per_priority")
        ]

    def __str__(self) -> str:
        return self.name

    def is_better(self, a: Decimal, b: Decimal) -> bool:
        """Whether value `a` is better than value `b` for this measure."""
        if self.direction == self.Direction.LOWER:
            return a < b
        if self.direction == self.Direction.HIGHER:
            return a > b
        return False

    def off_target(self, value: Decimal | None) -> bool:
        if value is None or self.target is None:
            return False
        return self.is_better(self.target, value)

    @property
    def baseline_display(self) -> str:
        return format_number(self.baseline)

    @property
    def target_display(self) -> str:
        return format_number(self.target)


class MeasureValue(AuditedModel):
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="values"
    )
    period_end = models.DateField(
        help_text="The last day of the period the value covers."
    )
    period_label = models.CharField(
        max_length=40, help_text="As reports write it, e.g. '2010' or 'Q2 2022/23'."
    )
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["measure", "period_end"]
        constraints = [
            unique_within("measure", "period_end", name="measure_value_unique_period")
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.display} ({self.period_label})"

    @property
    def display(self) -> str:
        return format_number(self.value)


class DiscussionQuerySet(VersionedQuerySet):
    partnership_path = "priority__agreement__partnership"

    agreement_path = "priority__agreement"

    def published_q(self, audience: Audience) -> Q:
        """Links to agenda items and minutes the audience may see."""
        return super().published_q(audience) & (
            Q(agenda_item__in=AgendaItem.objects.for_audience(audience))
            | Q(minute_item__in=MinuteItem.objects.for_audience(audience))
        )


class PriorityDiscussion(AuditedModel):
    """Where a priority was discussed: an agenda item or a minute."""

    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, related_name="discussions"
    )
    agenda_item = optional_link(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="priority_links",
    )
    minute_item = optional_link(
        MinuteItem,
        on_delete=models.CASCADE,
        related_name="priority_links",
        help_text="Only for business minuted without an agenda item; an agenda "
        "item's minutes are shown with it.",
    )
    note = models.CharField(max_length=300, blank=True)

    objects = DiscussionQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agenda_item__isnull=False) | Q(minute_item__isnull=False),
                name="priority_discussion_needs_item",
            ),
            models.UniqueConstraint(
                fields=["priority", "agenda_item"],
                condition=Q(agenda_item__isnull=False),
                name="priority_discussion_unique_agenda_item",
            ),
            models.UniqueConstraint(
                fields=["priority", "minute_item"],
                condition=Q(minute_item__isnull=False),
                name="priority_discussion_unique_minute_item",
            ),
        ]

    def __str__(self) -> str:
        item = self.agenda_item or self.minute_item
        return f"{self.priority} discussed at {item}"
