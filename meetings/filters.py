from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet

from kcsp.filters import partnership_filter
from kcsp.search.query import Dated, MatchesNewestFirst, among
from kcsp.visibility import Visibility, audience_of
from meetings.models import (
    Body,
    CallForAction,
    Meeting,
    Petition,
    Resolution,
    ResolutionPart,
)
from meetings.search import resolutions_matching


def _bodies(request: Any) -> QuerySet[Body]:
    user = getattr(request, "user", None)
    # The choice shows the name and posts the slug (see partnership_filter).
    return Body.objects.visible_to(user).order_by("name").only("slug", "name")


def _body_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    """The choice of committee or board, among those the user may see;
    `field_name` leads from the listed rows to their body."""
    return django_filters.ModelChoiceFilter(
        queryset=_bodies,
        field_name=field_name,
        to_field_name="slug",
        label="Committee or board",
        empty_label="All",
    )


def _words_in(words: str) -> Q:
    """Resolutions holding each word (up to eight) in their text, a part or
    their minute's title: a scan, for the few the search index leaves out."""
    found = Q()
    for word in words.split()[:8]:
        in_part = ResolutionPart.objects.filter(
            resolution=OuterRef("pk"), text__icontains=word
        )
        found &= (
            Q(text__icontains=word)
            | Q(minute_item__title__icontains=word)
            | Q(Exists(in_part))
        )
    return found


class MeetingFilter(django_filters.FilterSet):
    partnership = partnership_filter("body__partnership")
    body = _body_filter("body")
    year = django_filters.NumberFilter(
        field_name="start__year",
        label="Year",
        min_value=1990,
        max_value=2100,
        error_messages={
            "invalid": "Enter a year as four digits, for example 2022.",
            "min_value": "Enter a year from 1990 onwards.",
            "max_value": "Enter a year before 2100.",
        },
    )
    status = django_filters.ChoiceFilter(
        choices=Meeting.Status.choices, label="Status", empty_label="Any"
    )

    class Meta:
        model = Meeting
        fields = ["partnership", "body", "year", "status"]


class DecisionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="Words in the decision",
        max_length=200,
        error_messages={
            "max_length": "Use 200 characters or fewer (you used %(show_value)d)."
        },
    )
    partnership = partnership_filter("minute_item__minutes__meeting__body__partnership")
    body = _body_filter("minute_item__minutes__meeting__body")
    date_from = django_filters.DateFilter(
        field_name="minute_item__minutes__meeting__start__date",
        lookup_expr="gte",
        label="From (dd/mm/yyyy)",
        error_messages={"invalid": "Enter a date like 24/03/2022."},
    )
    date_to = django_filters.DateFilter(
        field_name="minute_item__minutes__meeting__start__date",
        lookup_expr="lte",
        label="To (dd/mm/yyyy)",
        error_messages={"invalid": "Enter a date like 24/03/2022."},
    )
    kind = django_filters.ChoiceFilter(
        choices=Resolution.Kind.choices, label="Kind of decision", empty_label="Any"
    )

    class Meta:
        model = Resolution
        fields = ["q", "partnership", "body", "date_from", "date_to", "kind"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The index's matches, with their dates, and the condition they make,
        # when the list is narrowed to them after the other filters (`qs`)
        # and paged from them (`pages_of`).
        self._matches: list[Dated] | None = None
        self._found = Q()

    def search(self, queryset: QuerySet[Resolution], name: str, value: str) -> Any:
        """Decisions whose words match, through the site search index (its
        syntax: "a phrase", -left out); staff who may read exempt minutes
        have those (which the index never holds) matched word by word.

        When the words are the list's only filter and are matched in the
        index (PostgreSQL), the matches are kept instead, applied in `qs`
        and paged from by `pages_of`."""
        words = value.strip()
        if not words:
            return queryset
        matches = resolutions_matching(words)
        ids = [pk for pk, _ in matches] if isinstance(matches, list) else matches
        found = among("pk", ids)
        audience = audience_of(getattr(self.request, "user", None))
        # A clerk reads exempt minutes in their own partnerships: the
        # queryset, already narrowed to what the reader sees, keeps only those.
        if (audience.inside or audience).shows(Visibility.EXEMPT):
            found |= Q(minute_item__visibility=Visibility.EXEMPT) & _words_in(words)
            return queryset.filter(found)
        others = [given for key, given in self.form.cleaned_data.items() if key != name]
        if isinstance(matches, list) and all(given in (None, "") for given in others):
            self._matches, self._found = matches, found
            return queryset
        return queryset.filter(found)

    @property
    def qs(self) -> QuerySet[Resolution]:
        rows = super().qs
        return rows if self._matches is None else rows.filter(self._found)

    def pages_of(self) -> MatchesNewestFirst | None:
        """The list's pages read from the index's newest matches alone, when
        the words are its only filter (see `MatchesNewestFirst`)."""
        rows = super().qs
        if self._matches is None:
            return None
        return MatchesNewestFirst(rows, self._matches)


class PetitionFilter(django_filters.FilterSet):
    partnership = partnership_filter("body__partnership")
    body = _body_filter("body")
    state = django_filters.ChoiceFilter(
        field_name="status",
        label="Status",
        empty_label="Any",
        choices=[
            (Petition.Status.OPEN, "Open for signatures"),
            (Petition.Status.CLOSED, "Closed, awaiting a response"),
            (Petition.Status.RESPONDED, "Responded to"),
        ],
    )

    class Meta:
        model = Petition
        fields = ["partnership", "body", "state"]


class CallFilter(django_filters.FilterSet):
    partnership = partnership_filter("body__partnership")
    body = _body_filter("body")

    class Meta:
        model = CallForAction
        fields = ["partnership", "body"]
