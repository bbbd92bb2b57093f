"""Deleting what the retention schedule no longer keeps: each app's daily
job finds its expired records and hands each here, which logs it
(`RetentionDeletion`) and deletes it with every file it held."""

import datetime as dt
from typing import Any

from django.db import models, router
from django.db.models.deletion import Collector

from kcsp.models import RetentionDeletion


def retention_delete(
    record: models.Model, *, rule: str, description: str, kept_until: dt.date
) -> None:
    """Delete a record the retention schedule no longer keeps, with every
    file it held: log it (`RetentionDeletion`), then delete from storage each
    file that it, the records its deletion takes with it (a paper's
    redactions, say), and every earlier version of them recorded in their
    history ever named, then the record itself."""
    RetentionDeletion.objects.create(
        rule=rule,
        kind=record._meta.label_lower,
        record_id=record.pk,
        description=description[:600],
        kept_until=kept_until,
    )
    collector = Collector(using=router.db_for_write(type(record)))
    collector.collect([record])
    stored: set[tuple[Any, str]] = set()
    for model, rows in collector.data.items():
        history = getattr(model, "history", None)
        ids = {f"{model._meta.pk.attname}__in": [row.pk for row in rows]}
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.FileField):
                continue
            names = {getattr(row, field.attname).name for row in rows}
            if history is not None:
                names.update(
                    history.filter(**ids).values_list(field.attname, flat=True)
                )
            stored.update((field.storage, name) for name in names if name)
    for storage, name in sorted(stored, key=lambda pair: pair[1]):
        storage.delete(name)
    record.delete()
