"""The search form: words, content type, partnership, body and dates
(django-filter)."""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

from kcsp import registry
from kcsp.filters import partnership_filter
from kcsp.models import SearchEntry
from kcsp.search import query
from kcsp.visibility import audience_of

DATE_ERRORS = {"invalid": "Enter a date like 24/03/2022."}


class SearchForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be on or after the start.")
        return data


class SearchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="by_words",
        label="Search for",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "true"}),
        help_text='Put a phrase in quotes, like "county lines"; put a minus '
        "sign before a word to leave it out.",
        error_messages={
            "max_length": "Use 200 characters or fewer (you used %(show_value)d)."
        },
    )
    kind = django_filters.MultipleChoiceFilter(
        field_name="kind",
        label="Show",
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose from the kinds listed."},
    )
    partnership = partnership_filter("partnership", method="by_partnership")
    body = django_filters.ChoiceFilter(
        method="by_body",
        label="Committee or board",
        empty_label="All",
        choices=[],
        error_messages={"invalid_choice": "Choose a committee or board from the list."},
    )
    date_from = django_filters.DateFilter(
        field_name="date",
        lookup_expr="gte",
        label="From (dd/mm/yyyy)",
        error_messages=DATE_ERRORS,
    )
    date_to = django_filters.DateFilter(
        field_name="date",
        lookup_expr="lte",
        label="To (dd/mm/yyyy)",
        error_messages=DATE_ERRORS,
    )

    class Meta:
        model = SearchEntry
        fields = ["q", "kind", "partnership", "body", "date_from", "date_to"]
        form = SearchForm

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        audience = audience_of(getattr(self.request, "user", None))
        self.filters["kind"].extra["choices"] = query.kind_choices()
        self.filters["body"].extra["choices"] = registry.search_body_choices(audience)

    @property
    def words(self) -> str:
        """The words searched for, once the form is valid ('' if none)."""
        if not self.is_bound or not self.is_valid():
            return ""
        return (self.form.cleaned_data.get("q") or "").strip()

    @property
    def narrowed(self) -> bool:
        """Whether anything but the words narrows the search, once the form
        is valid."""
        if not self.is_bound or not self.is_valid():
            return False
        return any(v for k, v in self.form.cleaned_data.items() if k != "q")

    def by_words(self, queryset: QuerySet[SearchEntry], name: str, value: str) -> Any:
        value = value.strip()
        return query.matching(queryset, value) if value else queryset.none()

    def by_partnership(
        self, queryset: QuerySet[SearchEntry], name: str, value: Any
    ) -> Any:
        return query.in_partnership(queryset, value.slug) if value else queryset

    def by_body(self, queryset: QuerySet[SearchEntry], name: str, value: str) -> Any:
        return query.in_body(queryset, value) if value else queryset
