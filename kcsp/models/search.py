"""The site search index: one entry per searchable row of any app.

The index is derived data. `kcsp.search.index` writes an entry when a row
of a registered source (or a row it follows) is saved, and
`manage.py search_index` rebuilds the lot. Who may find an entry is never
stored here: every search asks the source's own queryset (`visible`), so
publishing, exemption and take-down change what search finds at once.

On PostgreSQL the table also has `vector`, a stored generated tsvector of the
title (weight A) and text (weight B) in the English configuration, with a GIN
index. Migration 0005 adds both on PostgreSQL only, so the model does not
declare the column; `kcsp.search.query.EntryVector` reads it. Migration 0006
adds, also on PostgreSQL only, `searchentry_newest` on (date DESC NULLS
LAST, id DESC): the exact order search candidates are taken in, which
PostgreSQL (sorting nulls first when descending, unlike SQLite) cannot read
from `searchentry_recent`. Migration 0008 adds `pairs`, the row's adjacent
word pairs (also generated, with a GIN index), which phrase searches use
(`kcsp.search.phrases`).
"""

from django.db import models


class SearchEntry(models.Model):
    source = models.CharField(
        max_length=60, help_text="The registered source, e.g. 'meetings.paragraph'."
    )
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=30, help_text="The content type filtered by.")
    title = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "search index entry"
        verbose_name_plural = "search index entries"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "object_id"], name="searchentry_unique_row"
            )
        ]
        indexes = [
            # Newest first within the index: the order candidates are taken in.
            models.Index(fields=["-date", "-id"], name="searchentry_recent")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.object_id}: {self.title[:60]}"
