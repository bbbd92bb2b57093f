"""The content version: one row per committed change to the portal's records.

Cached public pages are keyed on the latest row's id (`content_version`), so
any change anything a page may show makes every cached page stale at once,
on every web node (the version lives in the shared database, not in process
memory). A row is written in the same transaction as the change, so the new
version becomes visible exactly when the change does, and a rolled-back
change leaves no version behind. Rows are written once and never edited.
"""

from django.db import models
from django.utils import timezone


class ContentChange(models.Model):
    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Change {self.id} at {self.at:%Y-%m-%d %H:%M:%S}"
