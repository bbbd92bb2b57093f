"""Backup and restore done exactly as the README says: `manage.py backup` on a
working site, then, on a brand-new database, `manage.py migrate` and
`manage.py restore`, each run as its own process the way a user types them.
Every record (history, audit logs, back-office log entries, users, groups and
two-factor devices) and every uploaded file comes back identical."""

import hashlib
import io
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from psycopg import sql
from psycopg.conninfo import make_conninfo

from dhr.models import Case, Configuration, StageTarget
from kcsp import services
from kcsp.backup import LEFT_OUT, LEFT_OUT_APPS
from kcsp.models import Action
from meetings.models import Meeting
from tests import factories
from tests.dhr import factories as dhr_factories
from tests.security.test_locking import _form

pytestmark = pytest.mark.django_db(transaction=True)

# Kinds of record the source must hold, so that comparing them proves something.
MUST_HOLD = [
    "admin.LogEntry",
    "auth.User",
    "auth.Group",
    "auth.User_groups",
    "auth.Group_permissions",
    "auth.Permission",
    "contenttypes.ContentType",
    "otp_totp.TOTPDevice",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "dhr.AccessLog",
    "dhr.PublishedDocument",
    "dhr.HistoricalPublishedDocument",
    "dhr.StageTarget",
    "dhr.HistoricalStageTarget",
    "dhr.Configuration",
    "kcsp.ActionUpdate",
    "kcsp.HistoricalAction",
    "meetings.Document",
    "meetings.HistoricalMeeting",
]


def _sign_in(username: str) -> Client:
    client = Client()
    response = client.post(
        reverse("login"),
        {"username": username, "password": f"{username}-demo-pass"},
    )
    assert response.status_code == 302, "the demo password should sign in"
    return client


def _work_in_the_back_office(client: Client) -> None:
    """An administrator changes, removes and adds records in the admin, which
    logs each save; the records are ones `migrate` made in a new database."""
    decided = StageTarget.objects.get(stage="decided")
    url = reverse("admin:dhr_stagetarget_change", args=[decided.pk])
    data = _form(client, url) | {"amount": "2"}
    assert client.post(url, data).status_code == 302

    # Put back under another id than the one a new database gives it.
    qa = StageTarget.objects.get(stage="qa_submitted")
    url = reverse("admin:dhr_stagetarget_delete", args=[qa.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    url = reverse("admin:dhr_stagetarget_add")
    data = _form(client, url) | {
        "stage": "qa_submitted",
        "after": "decided",
        "amount": "7",
        "unit": "months",
        "active": "on",
        "basis": "Agreed by the board: seven months.",
    }
    assert client.post(url, data).status_code == 302

    url = reverse("admin:dhr_configuration_change", args=[Configuration.current().pk])
    data = _form(client, url) | {"takedown_after_months": "18"}
    assert client.post(url, data).status_code == 302

    # Reading a review in the back office writes to the DHR access log.
    case = Case.objects.order_by("pk").first()
    assert case is not None
    assert (
        client.get(reverse("admin:dhr_case_change", args=[case.pk])).status_code == 200
    )
    assert {e.action_flag for e in LogEntry.objects.all()} == {
        ADDITION,
        CHANGE,
        DELETION,
    }


@pytest.fixture
def partnership() -> None:
    """The demo partnership after some months of use."""
    call_command("load_demo", force=True, stdout=io.StringIO())
    # A test database emptied by an earlier test lacks the DHR timescale
    # defaults that `migrate` makes; a real site has them.
    defaults = import_module("dhr.migrations.0002_default_targets")
    defaults.add_defaults(apps, None)

    meeting = Meeting.objects.filter(minutes__isnull=False).first()
    factories.document(meeting, title="Quarterly performance report")
    User = get_user_model()
    partner = User.objects.get(username="partner")
    action = Action.objects.filter(
        owner_organisation=partner.person.organisation
    ).open()[0]
    services.action_post_update(
        action=action,
        by=partner,
        text="Figures attached.",
        evidence=io.BytesIO(factories.pdf_bytes()),
        evidence_name="figures.pdf",
    )
    dhr_factories.document(Case.objects.order_by("pk")[0])

    clerk = User.objects.get(username="clerk")
    device = TOTPDevice.objects.create(user=clerk, name="Phone", confirmed=True)
    assert device.verify_token(f"{totp(device.bin_key):06d}")

    wrong = Client().post(
        reverse("login"), {"username": "clerk", "password": "not-the-password"}
    )
    assert wrong.status_code == 200
    _work_in_the_back_office(_sign_in("admin"))


@dataclass
class NewDatabase:
    url: str  # for the commands, as DATABASE_URL
    db: BaseDatabaseWrapper  # for this test to read it


@contextmanager
def _new_database(tmp_path: Path) -> Iterator[NewDatabase]:
    """A brand-new, empty database on the test database's server (a new file
    on SQLite), dropped afterwards."""
    source = connection.settings_dict
    postgres = connection.vendor == "postgresql"
    if postgres:
        name = f"{source['NAME']}_restored"
        server = make_conninfo(
            host=source["HOST"] or None,
            port=source["PORT"] or None,
            user=source["USER"] or None,
            password=source["PASSWORD"] or None,
            dbname="postgres",
        )
        create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)
        )
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(drop)
            admin.execute(create)
        password = (
            f":{quote(source['PASSWORD'], safe='')}" if source["PASSWORD"] else ""
        )
        where = (
            f"{source['HOST']}:{source['PORT']}" if source["PORT"] else source["HOST"]
        )
        url = f"postgres://{quote(source['USER'])}{password}@{where}/{name}"
    else:
        name = str(tmp_path / "restored.sqlite3")
        url = f"sqlite:///{name}"
    options = {k: v for k, v in source["OPTIONS"].items() if k != "pool"}
    # Not one of the project's databases: only this test reads it.
    db = load_backend(source["ENGINE"]).DatabaseWrapper(
        {**source, "NAME": name, "OPTIONS": options}, "restored"
    )
    try:
        yield NewDatabase(url=url, db=db)
    finally:
        db.close()
        if postgres:
            with psycopg.connect(server, autocommit=True) as admin:
                admin.execute(drop)


def _manage(
    database: NewDatabase, media: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    """`.venv/bin/python manage.py <args>` with the site's own settings, as an
    operator runs it, against `database` and `media`."""
    env = os.environ | {
        "DATABASE_URL": database.url,
        "MEDIA_ROOT": str(media),
        "SECRET_KEY": settings.SECRET_KEY,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def _records(db: BaseDatabaseWrapper) -> dict[str, list[Any]]:
    """Every row the archive should carry, by kind, as `db` holds it. Rows of
    the tables Django makes for many-to-many fields are compared without
    their own ids, which a load gives afresh."""
    quote_name = db.ops.quote_name
    records: dict[str, list[Any]] = {}
    with db.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            # A many-to-many table goes with the model that declares the field.
            owner = meta.auto_created if isinstance(meta.auto_created, type) else model
            if (
                owner._meta.label in LEFT_OUT
                or meta.app_label in LEFT_OUT_APPS
                or meta.proxy
                or not meta.managed
            ):
                continue
            columns = ", ".join(
                quote_name(field.column)
                for field in meta.local_concrete_fields
                if field.column and (owner is model or not field.primary_key)
            )
            cursor.execute(
                f"SELECT {columns} FROM {quote_name(meta.db_table)} "  # noqa: S608
                f"ORDER BY {columns}"
            )
            records[meta.label] = cursor.fetchall()
    return records


def _one(db: BaseDatabaseWrapper, query: str, *params: Any) -> Any:
    with db.cursor() as cursor:
        cursor.execute(query, params)
        row = cursor.fetchone()
    return row[0] if row else None


def _files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _damaged_copy(archive: Path, damaged: Path) -> Path:
    """`archive` with each uploaded file's bytes changed."""
    with (
        tarfile.open(archive, "r:gz") as source,
        tarfile.open(damaged, "w:gz") as target,
    ):
        for member in source.getmembers():
            data = source.extractfile(member)
            if member.name.startswith("files/") and member.size and data:
                content = b"tampered" + data.read()
                member.size = len(content)
                target.addfile(member, io.BytesIO(content))
            else:
                target.addfile(member, data)
    return damaged


def test_the_readme_procedure_restores_every_record_and_file_into_a_new_database(
    partnership: None, tmp_path: Path
) -> None:
    archive = tmp_path / "kcsp.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    before = _records(connection)
    files = _files(Path(settings.MEDIA_ROOT))
    for label in MUST_HOLD:
        assert before[label], f"the site should hold some {label}"
    for folder in ("evidence/", "dhr/", "documents/"):
        assert any(name.startswith(folder) for name in files), f"no {folder} files"
    qa_target = StageTarget.objects.get(stage="qa_submitted").pk
    users = "SELECT count(*) FROM auth_user"

    media = tmp_path / "media"
    with _new_database(tmp_path) as new:
        early = _manage(new, media, "restore", str(archive))
        assert early.returncode != 0
        assert "Run `manage.py migrate` on it first" in early.stderr
        migrated = _manage(new, media, "migrate", "--noinput")
        assert migrated.returncode == 0, migrated.stderr
        made = "SELECT id FROM dhr_stagetarget WHERE stage = %s"
        assert _one(new.db, made, "qa_submitted") != qa_target

        damaged = _damaged_copy(archive, tmp_path / "damaged.tar.gz")
        refused = _manage(new, media, "restore", str(damaged))
        assert refused.returncode != 0
        assert "is damaged" in refused.stderr
        assert _one(new.db, users) == 0
        assert not media.exists()

        restored = _manage(new, media, "restore", str(archive))
        assert restored.returncode == 0, restored.stderr
        assert "Restored" in restored.stdout
        after = _records(new.db)
        counts = {label: len(rows) for label, rows in before.items()}
        assert {label: len(rows) for label, rows in after.items()} == counts
        differing = [label for label in before if after[label] != before[label]]
        assert differing == [], "these kinds of record came back different"
        assert _files(media) == files
        password = "SELECT password FROM auth_user WHERE username = %s"
        assert check_password("clerk-demo-pass", _one(new.db, password, "clerk"))

        again = _manage(new, media, "restore", str(archive))
        assert again.returncode != 0
        assert "This database already holds" in again.stderr


def test_restore_refuses_a_database_that_holds_one_record_beyond_what_migrate_made(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "kcsp.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    with pytest.raises(CommandError, match="not a backup archive"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))

    get_user_model().objects.create_user(username="clerk", password="a-long-pass")
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), stdout=io.StringIO())
    assert str(refused.value) == (
        "This database already holds 1 record: 1 user. Restore into a new "
        "database: create it, run `manage.py migrate`, then restore."
    )
