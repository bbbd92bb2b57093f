"""State changes of priorities, themes, leads, action plans and measures.

Everything a refresh copies is copied here (`priorities_copy`, called by the
agreement's refresh through its registry), with each copy linked to what it
continues, so the changes page can tell a rename or a merge from an addition.
Superseded versions are the record of what was agreed and take no changes.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from agreement.models import PUBLISHED_STATUSES, Agreement
from agreement.services import copied, status_now
from kcsp.models import Action, Organisation, Person, Post
from kcsp.services import action_create, validated_save
from meetings.models import AgendaItem, MinuteItem
from priorities.models import (
    CrossCuttingTheme,
    Measure,
    MeasureValue,
    Priority,
    PriorityAction,
    PriorityDiscussion,
    PriorityLead,
    PriorityLineage,
    ThemeLineage,
    ThemePriority,
)


def _editable(agreement: Agreement) -> None:
    if status_now(agreement) == Agreement.Status.SUPERSEDED:
        raise ValidationError(
            "This version has been superseded: it is kept as it was agreed."
        )


def _draft_only(agreement: Agreement, what: str) -> None:
    if status_now(agreement) != Agreement.Status.DRAFT:
        raise ValidationError(f"{what} only in a draft version, when refreshing.")


def _next_order(queryset: Any) -> int:
    last = queryset.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


# Priorities and themes ----------------------------------------------------------


@transaction.atomic
def priority_add(
    *,
    agreement: Agreement,
    name: str,
    slug: str = "",
    short_name: str = "",
    description: str = "",
    order: int | None = None,
) -> Priority:
    """A new priority of a version (it continues none of the earlier ones)."""
    return _topic_add(
        Priority,
        agreement,
        name=name,
        slug=slug,
        order=order,
        short_name=short_name,
        description=description,
    )


@transaction.atomic
def priority_update(
    *,
    priority: Priority,
    name: str | None = None,
    short_name: str | None = None,
    description: str | None = None,
) -> Priority:
    """Rename a priority or change its current context.

    Its page address stays, so links keep working; in a refresh, the
    changes page reports the new name as a rename.
    """
    _editable(priority.agreement)
    _set_texts(priority, name=name, short_name=short_name, description=description)
    return validated_save(priority)


def _topic_add[T: (Priority, CrossCuttingTheme)](
    model: type[T],
    agreement: Agreement,
    *,
    name: str,
    slug: str = "",
    order: int | None = None,
    **texts: str,
) -> T:
    """A new priority or theme of a version: its texts trimmed, its page
    address made from its name unless given, last in the version's order
    unless `order` is given."""
    _editable(agreement)
    if order is None:
        order = _next_order(model.objects.filter(agreement=agreement))
    topic = model(agreement=agreement, slug=slug or slugify(name)[:100], order=order)
    _set_texts(topic, name=name, **texts)
    return validated_save(topic)


def _set_texts(row: Priority | CrossCuttingTheme, **texts: str | None) -> None:
    """Set each text given, trimmed; a text not given (None) is left as it is."""
    for field, text in texts.items():
        if text is not None:
            setattr(row, field, text.strip())


def _carry_predecessors(
    keep: Priority | CrossCuttingTheme,
    absorb: Priority | CrossCuttingTheme,
    lineage: type[PriorityLineage] | type[ThemeLineage],
) -> None:
    """`keep` goes on to continue what `absorb` continued, so that the changes
    page reports a merge."""
    for link in absorb.predecessor_links.all():
        if not keep.predecessor_links.filter(earlier_id=link.earlier_id).exists():
            validated_save(lineage(earlier_id=link.earlier_id, later_id=keep.pk))


@transaction.atomic
def priority_merge(*, keep: Priority, absorb: Priority) -> Priority:
    """Place `absorb` within `keep` in a draft ("VAWG within domestic abuse").

    `keep` takes over what `absorb` continued (so the changes page reports a
    merge), its secondary leads (its lead becomes one), action plan,
    measures, themes and discussions; then `absorb` is deleted.
    """
    if keep.pk == absorb.pk:
        raise ValidationError("Choose two different priorities to merge.")
    if keep.agreement_id != absorb.agreement_id:
        raise ValidationError("Both priorities must be in the same version.")
    _draft_only(keep.agreement, "Priorities can be merged")
    _carry_predecessors(keep, absorb, PriorityLineage)
    for lead in absorb.leads.all():
        if lead.is_tbc:
            continue
        lead.priority = keep
        lead.role = PriorityLead.Role.SECONDARY
        lead.order = _next_order(keep.leads)
        validated_save(lead)
    for entry in absorb.action_links.all():
        if keep.action_links.filter(action_id=entry.action_id).exists():
            continue
        entry.priority = keep
        entry.order = _next_order(keep.action_links)
        validated_save(entry)
    for measure in absorb.measures.all():
        measure.priority = keep
        if keep.measures.filter(name=measure.name).exists():
            measure.name = f"{measure.name} ({absorb.name})"[:300]
        measure.order = _next_order(keep.measures)
        validated_save(measure)
    for theme_link in absorb.theme_links.all():
        if not keep.theme_links.filter(theme_id=theme_link.theme_id).exists():
            validated_save(ThemePriority(theme_id=theme_link.theme_id, priority=keep))
    for discussion in absorb.discussions.all():
        duplicate = keep.discussions.filter(
            agenda_item_id=discussion.agenda_item_id,
            minute_item_id=discussion.minute_item_id,
        ).exists()
        if not duplicate:
            discussion.priority = keep
            validated_save(discussion)
    absorb.delete()
    return keep


@transaction.atomic
def theme_add(
    *,
    agreement: Agreement,
    name: str,
    slug: str = "",
    description: str = "",
    priorities: list[Priority] | None = None,
) -> CrossCuttingTheme:
    """A cross-cutting theme, and the priorities it cuts across."""
    theme = _topic_add(
        CrossCuttingTheme, agreement, name=name, slug=slug, description=description
    )
    for priority in priorities or []:
        validated_save(ThemePriority(theme=theme, priority=priority))
    return theme


@transaction.atomic
def theme_update(
    *,
    theme: CrossCuttingTheme,
    name: str | None = None,
    description: str | None = None,
    add_priorities: list[Priority] | None = None,
) -> CrossCuttingTheme:
    """Rename a theme, change its text, or have it cut across more priorities."""
    _editable(theme.agreement)
    _set_texts(theme, name=name, description=description)
    validated_save(theme)
    for priority in add_priorities or []:
        if not theme.priority_links.filter(priority=priority).exists():
            validated_save(ThemePriority(theme=theme, priority=priority))
    return theme


@transaction.atomic
def theme_merge(
    *, keep: CrossCuttingTheme, absorb: CrossCuttingTheme
) -> CrossCuttingTheme:
    """Fold one theme into another in a draft; `absorb` is deleted."""
    if keep.pk == absorb.pk or keep.agreement_id != absorb.agreement_id:
        raise ValidationError("Choose two different themes of the same version.")
    _draft_only(keep.agreement, "Themes can be merged")
    _carry_predecessors(keep, absorb, ThemeLineage)
    for covered in absorb.priority_links.all():
        if not keep.priority_links.filter(priority_id=covered.priority_id).exists():
            validated_save(ThemePriority(theme=keep, priority_id=covered.priority_id))
    absorb.delete()
    return keep


# Leads ------------------------------------------------------------------------


@transaction.atomic
def lead_set(
    *,
    priority: Priority,
    post: Post | None = None,
    person: Person | None = None,
    organisation: Organisation | None = None,
    label: str = "",
    tbc: bool = False,
) -> PriorityLead:
    """Set the priority's lead officer or agency ("TBC" when `tbc`)."""
    _editable(priority.agreement)
    lead = priority.leads.filter(role=PriorityLead.Role.PRIMARY).first() or (
        PriorityLead(priority=priority, role=PriorityLead.Role.PRIMARY)
    )
    lead.post, lead.person, lead.organisation = post, person, organisation
    lead.label = label.strip()
    lead.is_tbc = tbc
    return validated_save(lead)


@transaction.atomic
def secondary_lead_add(
    *,
    priority: Priority,
    post: Post | None = None,
    person: Person | None = None,
    organisation: Organisation | None = None,
    label: str = "",
    responsibility: str = "",
) -> PriorityLead:
    """A secondary lead, responsible for individual actions of the plan."""
    _editable(priority.agreement)
    return validated_save(
        PriorityLead(
            priority=priority,
            role=PriorityLead.Role.SECONDARY,
            post=post,
            person=person,
            organisation=organisation,
            label=label.strip(),
            responsibility=responsibility.strip(),
            order=_next_order(priority.leads),
        )
    )


# Action plans -------------------------------------------------------------------


def action_source(priority: Priority) -> dict[str, str]:
    """How a plan action describes where it came from, in lists and filters."""
    agreement = priority.agreement
    body = agreement.responsible_body
    return {
        "source_label": f"{agreement.title} {agreement.slug} action plan: "
        f"{priority.name}"[:300],
        "source_url": priority.get_absolute_url(),
        "reports_to": body.name if body else settings.PORTAL_NAME,
    }


@transaction.atomic
def priority_action_add(
    *,
    priority: Priority,
    title: str,
    owner_organisation: Organisation,
    owner_person: Person | None = None,
    lead: PriorityLead | None = None,
    due_date: dt.date | None = None,
    description: str = "",
    is_public: bool = True,
) -> PriorityAction:
    """Add an action to a priority's plan, as a shared tracked action.

    If `is_public`, the action is public while its version is (at once in an
    approved version, from approval in a draft).
    """
    _editable(priority.agreement)
    if lead is not None and lead.priority_id != priority.pk:
        raise ValidationError({"lead": "Choose a lead of this priority."})
    action = action_create(
        title=title,
        description=description,
        owner_organisation=owner_organisation,
        owner_person=owner_person,
        due_date=due_date,
        source_kind=PriorityAction.ACTION_KIND,
        partnership=priority.agreement.partnership,
        **action_source(priority),
    )
    return validated_save(
        PriorityAction(
            priority=priority,
            action=action,
            lead=lead,
            is_public=is_public,
            order=_next_order(priority.action_links),
        )
    )


# Measures ---------------------------------------------------------------------


@transaction.atomic
def measure_add(
    *,
    priority: Priority,
    name: str,
    unit: str = "",
    direction: str = Measure.Direction.LOWER,
    baseline: Decimal | None = None,
    baseline_label: str = "",
    target: Decimal | None = None,
    target_label: str = "",
    data_source: str = "",
    is_public: bool = True,
) -> Measure:
    _editable(priority.agreement)
    return validated_save(
        Measure(
            priority=priority,
            name=name.strip(),
            unit=unit.strip(),
            direction=direction,
            baseline=baseline,
            baseline_label=baseline_label,
            target=target,
            target_label=target_label,
            data_source=data_source,
            is_public=is_public,
            order=_next_order(priority.measures),
        )
    )


@transaction.atomic
def measure_value_record(
    *,
    measure: Measure,
    period_end: dt.date,
    value: Decimal,
    period_label: str = "",
    note: str = "",
) -> MeasureValue:
    """Record (or correct) the value of a measure for one period."""
    _editable(measure.priority.agreement)
    row = measure.values.filter(period_end=period_end).first() or MeasureValue(
        measure=measure, period_end=period_end
    )
    row.value = Decimal(value)
    row.period_label = period_label or row.period_label or str(period_end.year)
    row.note = note
    return validated_save(row)


# Discussions ------------------------------------------------------------------


@transaction.atomic
def discussion_link(
    *,
    priority: Priority,
    agenda_item: AgendaItem | None = None,
    minute_item: MinuteItem | None = None,
    note: str = "",
) -> PriorityDiscussion:
    """Record that a priority was discussed at an agenda item or minute."""
    if agenda_item is None and minute_item is None:
        raise ValidationError("Choose the agenda item or minute.")
    existing = PriorityDiscussion.objects.filter(
        priority=priority, agenda_item=agenda_item, minute_item=minute_item
    ).first()
    if existing:
        return existing
    return validated_save(
        PriorityDiscussion(
            priority=priority,
            agenda_item=agenda_item,
            minute_item=minute_item,
            note=note.strip(),
        )
    )


# The agreement's refresh, approval and discard ----------------------------------


# What a refresh copies of each row into the new draft.
PRIORITY_FIELDS = ("name", "short_name", "slug", "description", "order")
LEAD_FIELDS = (
    "role",
    "post_id",
    "person_id",
    "organisation_id",
    "label",
    "is_tbc",
    "responsibility",
    "order",
)
THEME_FIELDS = ("name", "slug", "description", "order")
MEASURE_FIELDS = (
    "name",
    "unit",
    "direction",
    "baseline",
    "baseline_label",
    "target",
    "target_label",
    "data_source",
    "is_public",
    "order",
)
VALUE_FIELDS = ("period_end", "period_label", "value", "note")
PLAN_FIELDS = ("action_id", "is_public", "order")


def priorities_copy(*, source: Agreement, draft: Agreement) -> None:
    """Copy priorities, leads, themes, measures and open actions into `draft`.

    Each copy continues its original (lineage, `carried_from`); open actions
    join the draft's plans as the same tracked actions, so their progress
    updates carry on. Nothing of `source` changes.
    """
    new_priority: dict[int, Priority] = {}
    for old in source.priorities.order_by("order", "pk"):
        copy = validated_save(copied(old, PRIORITY_FIELDS, agreement=draft))
        validated_save(PriorityLineage(earlier=old, later=copy))
        new_priority[old.pk] = copy
    new_lead = _copy_leads(source, new_priority)
    _copy_themes(source, draft, new_priority)
    _copy_measures(source, new_priority)
    entries = PriorityAction.objects.filter(
        priority__agreement=source, action__in=Action.objects.open()
    ).order_by("priority_id", "order", "pk")
    for entry in entries:
        lead = new_lead.get(entry.lead_id) if entry.lead_id else None
        priority = new_priority[entry.priority_id]
        validated_save(
            copied(entry, PLAN_FIELDS, priority=priority, lead=lead, carried_from=entry)
        )


def _copy_leads(
    source: Agreement, new_priority: dict[int, Priority]
) -> dict[int, PriorityLead]:
    leads = PriorityLead.objects.filter(priority__agreement=source).order_by("pk")
    return {
        lead.pk: validated_save(
            copied(
                lead,
                LEAD_FIELDS,
                priority=new_priority[lead.priority_id],
                carried_from=lead,
            )
        )
        for lead in leads
    }


def _copy_themes(
    source: Agreement, draft: Agreement, new_priority: dict[int, Priority]
) -> None:
    for theme in source.themes.prefetch_related("priority_links").order_by("order"):
        copy = validated_save(copied(theme, THEME_FIELDS, agreement=draft))
        validated_save(ThemeLineage(earlier=theme, later=copy))
        for link in theme.priority_links.all():
            validated_save(
                ThemePriority(theme=copy, priority=new_priority[link.priority_id])
            )


def _copy_measures(source: Agreement, new_priority: dict[int, Priority]) -> None:
    measures = Measure.objects.filter(priority__agreement=source).prefetch_related(
        "values"
    )
    for measure in measures:
        copy = validated_save(
            copied(
                measure,
                MEASURE_FIELDS,
                priority=new_priority[measure.priority_id],
                carried_from=measure,
            )
        )
        bulk_create_with_history(
            [copied(v, VALUE_FIELDS, measure=copy) for v in measure.values.all()],
            MeasureValue,
        )


def approval_problems(*, agreement: Agreement) -> list[str]:
    if not agreement.priorities.exists():
        return ["The version has no priorities yet."]
    return []


def plan_publish(*, agreement: Agreement) -> None:
    """Once a version is approved: its plan's actions describe it as their
    source (whether they are public follows from the version and the entry)."""
    entries = PriorityAction.objects.filter(
        priority__agreement=agreement
    ).select_related("action", "priority__agreement__responsible_body")
    for entry in entries:
        action = entry.action
        changed = []
        for field, value in action_source(entry.priority).items():
            if getattr(action, field) != value:
                setattr(action, field, value)
                changed.append(field)
        if changed:
            action.save(update_fields=[*changed, "updated_at"])


def priorities_discard(*, draft: Agreement) -> None:
    """Before a draft is deleted: delete the actions that exist only in it."""
    own = Action.objects.filter(priority_links__priority__agreement=draft).exclude(
        priority_links__priority__agreement__status__in=PUBLISHED_STATUSES
    )
    for action in own.distinct():
        action.delete()
