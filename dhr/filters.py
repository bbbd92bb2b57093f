from typing import Any

import django_filters
from django.db.models import QuerySet

from dhr.models import Case


class ReviewFilter(django_filters.FilterSet):
    """Filters of the public list; choices come from published reviews only."""

    q = django_filters.CharFilter(
        field_name="pseudonym", lookup_expr="icontains", label="Pseudonym"
    )
    year = django_filters.ChoiceFilter(
        method="by_year", label="Published in", empty_label="Any year", choices=[]
    )

    class Meta:
        model = Case
        fields = ["q", "year"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = Case.objects.public().dates("published_on", "year", order="DESC")
        self.filters["year"].extra["choices"] = [
            (str(d.year), str(d.year)) for d in years
        ]

    def by_year(self, queryset: QuerySet[Case], name: str, value: str) -> Any:
        return queryset.filter(published_on__year=int(value))
