"""What changed in the priorities, themes and leads between two versions."""

from collections.abc import Sequence

from agreement.changes import (
    Change,
    ChangeGroup,
    ChangeKind,
    Named,
    lineage_changes,
    text_change,
)
from agreement.models import Agreement
from priorities.models import (
    CrossCuttingTheme,
    Priority,
    PriorityLineage,
    ThemeLineage,
)
from priorities.selectors import lead_roles, leads_prefetch


def _primary(priority: Priority) -> str:
    primary, _ = lead_roles(priority)
    return primary.display if primary else "None given"


def _secondaries(priority: Priority) -> list[str]:
    _, secondaries = lead_roles(priority)
    return sorted(lead.display for lead in secondaries)


def _priorities(agreement: Agreement) -> list[Priority]:
    return list(
        Priority.objects.filter(agreement=agreement)
        .order_by("order", "pk")
        .prefetch_related(leads_prefetch())
    )


def _links(
    lineage: type[PriorityLineage | ThemeLineage], earlier: Agreement, later: Agreement
) -> list[tuple[int, int]]:
    """(earlier pk, later pk) of each row of `later` continuing one of `earlier`."""
    return list(
        lineage.objects.filter(
            earlier__agreement=earlier, later__agreement=later
        ).values_list("earlier_id", "later_id")
    )


def _lineage_group(
    title: str,
    noun: str,
    order: int,
    old: Sequence[Priority | CrossCuttingTheme],
    new: Sequence[Priority | CrossCuttingTheme],
    links: list[tuple[int, int]],
) -> ChangeGroup:
    """The group of rows added, removed, renamed, merged or split."""
    return ChangeGroup(
        title=title,
        noun=noun,
        order=order,
        changes=lineage_changes(
            earlier=[Named(row.pk, row.name) for row in old],
            later=[Named(row.pk, row.name) for row in new],
            links=links,
        ),
    )


def priority_changes(*, earlier: Agreement, later: Agreement) -> list[ChangeGroup]:
    """Priorities added, removed, renamed, merged or split; their leads and
    current context; themes likewise."""
    old, new = _priorities(earlier), _priorities(later)
    links = _links(PriorityLineage, earlier, later)
    priorities = _lineage_group("Priorities", "priority", 20, old, new, links)
    leads = ChangeGroup(title="Priority leads", noun="lead", order=30)
    by_pk = {p.pk: p for p in old}
    preds: dict[int, list[int]] = {}
    for e, lt in links:
        preds.setdefault(lt, []).append(e)
    for priority in new:
        earlier_ones = [by_pk[pk] for pk in preds.get(priority.pk, []) if pk in by_pk]
        if len(earlier_ones) != 1:
            continue
        before = earlier_ones[0]
        was, now = _primary(before), _primary(priority)
        if was != now:
            leads.changes.append(
                Change(ChangeKind.CHANGED, (was,), (now,), subject=priority.name)
            )
        old_second, new_second = _secondaries(before), _secondaries(priority)
        if old_second != new_second:
            leads.changes.append(
                Change(
                    ChangeKind.CHANGED,
                    tuple(old_second) or ("None",),
                    tuple(new_second) or ("None",),
                    subject=f"{priority.name} (secondary leads)",
                )
            )
        change = text_change(
            f"{priority.name}: current context",
            before.description,
            priority.description,
        )
        if change:
            priorities.texts.append(change)
    return [priorities, leads, _theme_changes(earlier, later)]


def _theme_changes(earlier: Agreement, later: Agreement) -> ChangeGroup:
    old = list(CrossCuttingTheme.objects.filter(agreement=earlier).order_by("order"))
    new = list(CrossCuttingTheme.objects.filter(agreement=later).order_by("order"))
    links = _links(ThemeLineage, earlier, later)
    group = _lineage_group("Cross-cutting themes", "theme", 40, old, new, links)
    by_pk = {t.pk: t for t in old}
    for e, lt in links:
        later_theme = next((t for t in new if t.pk == lt), None)
        if later_theme is None or e not in by_pk:
            continue
        change = text_change(
            later_theme.name, by_pk[e].description, later_theme.description
        )
        if change:
            group.texts.append(change)
    return group
