import datetime as dt
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from kcsp.models import Action, Partnership
from kcsp.models.actions import CURRENT_STATUSES, OPEN_STATUSES, ActionQuerySet
from kcsp.selectors import action_bodies


def partnership_filter(
    field_name: str, **kwargs: Any
) -> django_filters.ModelChoiceFilter:
    """The choice of partnership, by its slug; `field_name` leads from the
    listed rows to their partnership (or `method` narrows them)."""
    return django_filters.ModelChoiceFilter(
        **kwargs,
        # The choice shows the name and posts the slug: the rest of each
        # partnership's columns is never read.
        queryset=Partnership.objects.only("slug", "name"),
        field_name=field_name,
        to_field_name="slug",
        label="Partnership",
        empty_label="All",
    )


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Words")
    partnership = partnership_filter("partnership")
    status = django_filters.ChoiceFilter(
        method="by_status",
        label="Status",
        empty_label=None,
        choices=[
            ("current", "Not closed (open or awaiting sign-off)"),
            ("open", "Open (not started or in progress)"),
            ("any", "Any status"),
            *Action.Status.choices,
        ],
    )
    reports_to = django_filters.ChoiceFilter(
        label="Reports to", empty_label="Any", choices=[]
    )
    due = django_filters.ChoiceFilter(
        method="by_due",
        label="Due",
        empty_label="Any time",
        choices=[
            ("overdue", "Overdue"),
            ("30", "In the next 30 days"),
            ("90", "In the next 90 days"),
            ("none", "No due date"),
        ],
    )

    class Meta:
        model = Action
        fields = ["q", "partnership", "status", "reports_to", "due"]

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        # Actions not yet closed unless another status is asked for: the work
        # still to do or to sign off, not every action closed over the years.
        prefix = kwargs.get("prefix")
        field = f"{prefix}-status" if prefix else "status"
        if data is not None and not data.get(field):
            data = data.copy()
            data[field] = "current"
        super().__init__(data, *args, **kwargs)
        bodies = action_bodies(self.queryset, request=self.request)
        self.filters["reports_to"].extra["choices"] = [(b, b) for b in bodies]

    def search(self, queryset: QuerySet[Action], name: str, value: str) -> Any:
        for word in value.split()[:8]:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(description__icontains=word)
            )
        return queryset

    def by_status(self, queryset: QuerySet[Action], name: str, value: str) -> Any:
        if value == "current":
            return queryset.filter(status__in=CURRENT_STATUSES)
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == "any":
            return queryset
        return queryset.filter(status=value)

    def by_due(self, queryset: ActionQuerySet, name: str, value: str) -> Any:
        # Overdue and coming due are of open actions only: a closed or
        # cancelled action is due no longer, whatever its date.
        today = timezone.localdate()
        if value == "overdue":
            return queryset.overdue(today)
        if value == "none":
            return queryset.filter(due_date__isnull=True)
        return queryset.due_between(today, today + dt.timedelta(days=int(value)))
