"""Saving records that came from another system, with where they came from.

Every record an import creates says where it came from (`ProvenanceModel`:
`source_system`, `source_id`, `source_url`, first and last import), so a
clerk can trace it back. The apps' import services share these helpers so
that each records provenance, and reports what it did, the same way:
`stamp` marks a record as the source's, and `imported_save` validates and
saves a created or changed record, leaves an unchanged one unsaved, and
says which of the three happened.

A record's `last_imported_at` is the last import that changed it: an import
that finds a record as the source has it writes nothing, so it adds no
history row and leaves the public pages' cache alone.
"""

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from django.db import models

from kcsp.models import ProvenanceModel

__all__ = [
    "Outcome",
    "Saved",
    "Source",
    "assign",
    "fit",
    "imported_save",
    "provenance",
    "stamp",
]


class Outcome(enum.StrEnum):
    """What saving an imported record did."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, kw_only=True)
class Source:
    """Where a record comes from: the system, its id and address there, and
    when it was read."""

    system: str
    id: str
    url: str = ""
    at: dt.datetime


@dataclass(frozen=True)
class Saved[T: models.Model]:
    """A record an import service wrote, and what it did to it."""

    record: T
    outcome: Outcome


def fit(model: type[models.Model], field_name: str, value: str) -> str:
    """`value` cut to the field's length, so validation never fails on length."""
    field = model._meta.get_field(field_name)
    limit = getattr(field, "max_length", None)
    value = value.strip()
    return value[:limit].rstrip() if limit else value


def assign(obj: models.Model, values: dict[str, Any]) -> bool:
    """Set `values` on `obj`; True when any of them differed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def provenance(model: type[ProvenanceModel], source: Source) -> dict[str, Any]:
    """The provenance fields of a record `source` is creating now."""
    return {
        "source_system": source.system,
        "source_id": fit(model, "source_id", source.id),
        "source_url": fit(model, "source_url", source.url),
        "first_imported_at": source.at,
        "last_imported_at": source.at,
    }


def stamp(obj: ProvenanceModel, source: Source) -> bool:
    """Mark `obj` as the source's record; True when that changed anything.

    The first import time is set once; the last is set by `imported_save`.
    A source without an address leaves the record's address as it is.
    """
    model = type(obj)
    values: dict[str, Any] = {
        "source_system": source.system,
        "source_id": fit(model, "source_id", source.id),
    }
    if source.url:
        values["source_url"] = fit(model, "source_url", source.url)
    if obj.first_imported_at is None:
        values["first_imported_at"] = source.at
    return assign(obj, values)


def imported_save(
    obj: models.Model,
    *,
    created: bool,
    changed: bool,
    at: dt.datetime | None = None,
    exclude: list[str] | None = None,
) -> Outcome:
    """Validate and save a created or changed record, and say which it was.

    A created or changed record with provenance has its `last_imported_at`
    set to `at`. An unchanged record is not saved at all: not even its
    import time moves, so a run that changes nothing writes nothing. Raises
    ValidationError as `full_clean` does.
    """
    if not (created or changed):
        return Outcome.UNCHANGED
    if isinstance(obj, ProvenanceModel) and obj.source_system:
        if at is None:
            raise ValueError("an imported record needs the time it was imported")
        obj.last_imported_at = at
    obj.full_clean(exclude=exclude)
    obj.save()
    return Outcome.CREATED if created else Outcome.UPDATED
