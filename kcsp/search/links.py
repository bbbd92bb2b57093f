"""The heading, address and context line of each result on a page, read in
one query however many kinds of content the page holds.

Each source names the fields its link is made from (`SearchSource.link_fields`,
lookups such as "meeting__body__name"). One UNION ALL statement reads them for
every source on the page as a JSON object per row; each row's model instance
is then rebuilt from those values alone, with its related rows attached, so a
source's `link(row)` can use the models' own methods (`get_absolute_url`,
labels of choices) without a query of its own.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import CharField, DateTimeField, F, Field, Model, Value
from django.db.models.functions import JSONObject
from django.utils.dateparse import parse_datetime

from kcsp.registry import SearchLink, SearchSource


def _related(model: type[Model], name: str) -> type[Model]:
    related = model._meta.get_field(name).related_model
    assert isinstance(related, type)  # noqa: S101 - a lookup through a relation
    return related


def _field(model: type[Model], lookup: str) -> Any:
    parts = lookup.split("__")
    for part in parts[:-1]:
        model = _related(model, part)
    name = parts[-1]
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _python(field: Field, value: Any) -> Any:
    """A value as JSON carried it, as the field holds it. A timestamp without
    an offset is UTC, as SQLite stores it."""
    if value is None:
        return None
    if isinstance(field, DateTimeField):
        parsed = parse_datetime(value)
        if parsed is not None and parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)
        return parsed
    return field.to_python(value)


def _instance(model: type[Model], values: Mapping[str, Any]) -> Model:
    """An instance of `model` holding `values` (lookups relative to it),
    related rows attached, the rest of its fields deferred as `.only()` leaves
    them (so no default is computed, which may query). A nullable relation
    whose values are all empty is None, as the row's own relation is."""
    own: dict[str, Any] = {}
    related: dict[str, dict[str, Any]] = {}
    for lookup, value in values.items():
        name, _, rest = lookup.partition("__")
        if rest:
            related.setdefault(name, {})[rest] = value
        else:
            field = _field(model, name)
            own[field.attname] = _python(field, value)
    own.setdefault(model._meta.pk.attname, None)
    # In the order of the model's fields, as `from_db` reads them.
    names = [f.attname for f in model._meta.concrete_fields if f.attname in own]
    row = model.from_db(None, names, [own[name] for name in names])
    for name, nested in related.items():
        relation = model._meta.get_field(name)
        if relation.null and all(v is None for v in nested.values()):
            setattr(row, name, None)
        else:
            setattr(row, name, _instance(_related(model, name), nested))
    return row


def _branch(source: SearchSource, ids: Sequence[int]) -> Any:
    values = JSONObject(**{lookup: F(lookup) for lookup in source.link_fields})
    return (
        source.model._base_manager.filter(pk__in=ids)
        .order_by()
        .annotate(
            link_source=Value(source.key, output_field=CharField()),
            link_id=F("pk"),
            link_values=values,
        )
        .values_list("link_source", "link_id", "link_values")
    )


def result_links(
    wanted: Sequence[tuple[SearchSource, Sequence[int]]],
) -> dict[tuple[str, int], SearchLink]:
    """The link of each wanted row (a source and ids of its rows), keyed by
    (source key, row id), in one query. Rows gone since they were indexed
    have none."""
    branches = [_branch(source, ids) for source, ids in wanted if ids]
    if not branches:
        return {}
    query = branches[0]
    if branches[1:]:
        # The union has no order of its own (not even the first model's).
        query = query.union(*branches[1:], all=True).order_by()
    sources = {source.key: source for source, _ in wanted}
    links = {}
    for key, pk, values in query:
        source = sources[key]
        row = _instance(source.model, {"pk": pk, **values})
        links[key, pk] = source.link(row)
    return links
