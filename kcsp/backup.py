"""Backing up the portal's records and uploaded files into one archive, and
restoring them into a new database that `manage.py migrate` has just made.

The archive is a gzipped tar file holding:
- `records.json`: every record (history, audit logs, back-office log entries,
  users and their two-factor devices included) as Django serialises it, each
  under its own id. It loads into PostgreSQL or SQLite alike;
- `files/...`: every uploaded file under MEDIA_ROOT (papers, evidence,
  review documents);
- `manifest.json`: when it was made, the count of records per model and the
  SHA-256 of every file, checked on restore.

Derived data (sessions, rendered PDFs, render jobs, the search index, the
log of content changes that keys the page cache) is left out: it is rebuilt
on demand (`manage.py search_index` rebuilds the index).

`migrate` itself writes some rows into a new database (see
`_made_by_migrate`). They do not make it a database that holds records, and
a restore replaces them with the archive's own copies, ids included, so that
every record pointing at a content type, a permission or a role group points
at the same one as on the site that was backed up.
"""

import datetime as dt
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import cache
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Model, QuerySet
from django.test.utils import override_settings
from django.utils import timezone

from kcsp import registry
from kcsp.roles import Role

# 2: every record under its own id, content types and permissions included.
# 1 referred to content types, permissions and users by natural key.
FORMAT = 2

# Derived from other records, and rebuilt on demand.
LEFT_OUT = {
    "sessions.Session",
    "kcsp.RenderedDocument",
    "kcsp.RenderJob",
    "kcsp.SearchEntry",
    "kcsp.ContentChange",
}
LEFT_OUT_APPS = {"django_tasks_database"}

Say = Callable[[str], None]


class BackupError(Exception):
    """The archive cannot be made or restored; the message says why."""


def _models() -> list[Any]:
    return [
        model
        for model in apps.get_models()
        if model._meta.label not in LEFT_OUT
        and model._meta.app_label not in LEFT_OUT_APPS
        and model._meta.managed
        and not model._meta.proxy
    ]


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (it cuts them to
    milliseconds), so a restored record is the same to the microsecond."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backup(output: Path, say: Say = lambda _: None) -> dict[str, Any]:
    """Write the archive to `output`; returns its manifest."""
    records: list[Any] = []
    counts: Counter[str] = Counter()
    with transaction.atomic():  # one consistent moment, on PostgreSQL
        for model in _models():
            rows = list(model._base_manager.order_by("pk"))
            counts[model._meta.label] = len(rows)
            records.extend(rows)
    say(f"{sum(counts.values())} records from {len(counts)} kinds of record.")
    # Ids, not natural keys: the archive's content types, permissions and
    # users load under their own ids, so nothing needs looking up by name
    # while loading, whatever order the records come in.
    objects = serializers.serialize("python", records)
    data = json.dumps(objects, cls=_ExactEncoder, indent=1).encode()

    media = Path(settings.MEDIA_ROOT)
    files = sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []
    manifest = {
        "format": FORMAT,
        "made_at": timezone.now().isoformat(),
        "records": dict(sorted(counts.items())),
        "files": {str(p.relative_to(media)): _sha256(p) for p in files},
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with tarfile.open(partial, "w:gz") as archive:
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
        _add_bytes(archive, "records.json", data)
        for path in files:
            archive.add(path, arcname=f"files/{path.relative_to(media)}")
    partial.replace(output)  # never a half-written archive under the real name
    say(f"{len(files)} uploaded files. Backup written to {output}.")
    return manifest


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    archive.addfile(info, io.BytesIO(data))


def _made_by_migrate() -> list[QuerySet[Any]]:
    """The rows `migrate` writes into a new database: a content type and
    permissions for every model, the role groups (kcsp.0002_roles, given
    their permissions after every migrate by `roles.sync_role_permissions`)
    and what the apps' own migrations write (`registry.migration_rows`)."""
    return [
        Group.objects.filter(name__in=Role.values),
        *registry.migration_rows(),
        Permission.objects.all(),
        ContentType.objects.all(),
    ]


def _held_records() -> Counter[type[Model]]:
    """How many records of each kind this database holds beyond the rows
    `migrate` made: empty for a database fit to restore into."""
    made = {rows.model: rows for rows in _made_by_migrate()}
    held: Counter[type[Model]] = Counter()
    for model in _models():
        rows = model._base_manager.all()
        if model in made:
            rows = rows.exclude(pk__in=made[model].values("pk"))
        held[model] = rows.count()
    return +held  # kinds with none dropped


def _describe(held: Counter[type[Model]]) -> str:
    """`held` in words: its total and the first few kinds, in app order."""

    def count(n: int, model: type[Model]) -> str:
        meta = model._meta
        return f"{n:,} {meta.verbose_name if n == 1 else meta.verbose_name_plural}"

    kinds = [count(n, model) for model, n in list(held.items())[:3]]
    if len(held) > len(kinds):
        kinds.append(f"{len(held) - len(kinds)} other kinds")
    listed = ", ".join(kinds[:-1]) + " and " if len(kinds) > 1 else ""
    total = held.total()
    return f"{total:,} record{'' if total == 1 else 's'}: {listed}{kinds[-1]}"


def _check_target() -> None:
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise BackupError(
            "This database is not migrated to this version of the portal. Run "
            "`manage.py migrate` on it first, then restore."
        )
    if held := _held_records():
        raise BackupError(
            f"This database already holds {_describe(held)}. Restore "
            "into a new database: create it, run `manage.py migrate`, then restore."
        )


def restore(source: Path, say: Say = lambda _: None) -> dict[str, Any]:
    """Load an archive made by `backup` into this new, migrated database and
    MEDIA_ROOT. Everything is checked before anything is written."""
    _check_target()
    try:
        archive = tarfile.open(source, "r:gz")  # noqa: SIM115 - closed by `with` below
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{source} is not a backup archive: {error}") from None
    with archive, tempfile.TemporaryDirectory(prefix="kcsp-restore-") as scratch:
        try:
            archive.extractall(scratch, filter="data")
        except (OSError, tarfile.TarError) as error:
            raise BackupError(f"The archive could not be read: {error}") from None
        root = Path(scratch)
        try:
            manifest = json.loads((root / "manifest.json").read_text())
        except (OSError, ValueError):
            raise BackupError("The archive has no readable manifest.") from None
        if manifest.get("format") != FORMAT:
            raise BackupError(
                f"The archive is in format {manifest.get('format')}; this version "
                f"of the portal restores format {FORMAT}."
            )
        for name, digest in manifest["files"].items():
            path = root / "files" / name
            if not path.is_file() or _sha256(path) != digest:
                raise BackupError(f"The archive's copy of {name} is damaged.")

        # The archive carries the history itself: loading must not add to it.
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
            # The archive holds its own copies of what `migrate` made, and the
            # records pointing at them use the archive's ids.
            for rows in _made_by_migrate():
                rows.delete()
            call_command("loaddata", str(root / "records.json"), verbosity=0)
            # Content types are cached by id, and those ids were migrate's.
            ContentType.objects.clear_cache()
            for label, expected in manifest["records"].items():
                found = apps.get_model(label)._base_manager.count()
                if found != expected:
                    raise BackupError(
                        f"{label}: {found} records restored, {expected} expected."
                    )
        media = Path(settings.MEDIA_ROOT)
        for name in manifest["files"]:
            target = media / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / "files" / name, target)
    # Pages and fragments cached from whatever this site showed before.
    cache.clear()
    total = sum(manifest["records"].values())
    say(f"Restored {total} records and {len(manifest['files'])} uploaded files.")
    return manifest
